"""sources.yaml: the sources to archive, validated with errors that name the line.

sources:
  - url: https://example.com/news/story
    tags: [politics]          # optional
    cadence: adaptive         # optional: adaptive (default) or a fixed 15m / 2h / 1d / 1w
    notify: substantive       # optional: substantive | any | never | daily-digest
    to: [desk, desk-hook]     # destination names (PALIMPSEST_NOTIFY_<NAME>), with notify
notify:                       # optional: the rules of sources without their own
  default: {notify: never}
  tags:
    ukraine: {notify: substantive, to: [desk]}
feeds:                        # optional: RSS, Atom or JSON Feed; new entries are archived
  - url: https://example.com/world/rss.xml
    tags: [world]             # inherited by the articles found there
sections:                     # optional: front or section pages; article links are archived
  - url: https://example.com/world/
    match: "/20[0-9][0-9]/"   # optional: a regular expression the article URLs match
retire_after: 30d             # optional: a discovered article unchanged this long retires
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from palimpsest.catalog import Catalog, SourceInfo
from palimpsest.fetchers import FetchError, normalize_url
from palimpsest.flows.errors import SourcesError
from palimpsest.flows.schedule import FAILING_REPORTED, due_before
from palimpsest.notify import Rule, rule_for
from palimpsest.text.redact import safe_url

_DURATION = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_KEYS = {"url", "tags", "cadence", "notify", "to"}
_RULE_KEYS = {"notify", "to"}
_PAGE_KEYS = {"feeds": {"url", "tags"}, "sections": {"url", "tags", "match"}}
RETIRE_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class Source:
    url: str
    tags: tuple[str, ...] = ()
    cadence: timedelta | None = None  # None: adaptive
    line: int = 0
    notify: Rule | None = None  # None: the rule of its tags, else the default


@dataclass(frozen=True)
class Page:
    """A feed or section page that discovery reads for new article URLs."""

    url: str
    kind: str  # feed | section
    tags: tuple[str, ...] = ()
    match: str | None = None  # sections: the pattern article URLs match
    line: int = 0


@dataclass(frozen=True)
class SourceList:
    """The valid sources of a file, and one `SourcesError` (file and line) per entry that
    was skipped: one bad entry must not stop the others from being archived."""

    path: str
    sources: list[Source] = field(default_factory=list)
    problems: list[SourcesError] = field(default_factory=list)
    default_rule: Rule = field(default_factory=Rule)
    tag_rules: dict[str, Rule] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)  # feeds and sections, for discovery
    retire_after: timedelta = RETIRE_AFTER

    def urls(self) -> list[str]:
        return [s.url for s in self.sources]

    def rules(self) -> list[tuple[str, Rule]]:
        """(normalised URL, the rule that applies to it) of each source."""
        return [
            (normalize_url(s.url), rule_for(s.notify, s.tags, self.tag_rules, self.default_rule))
            for s in self.sources
        ]


def parse_cadence(value: str) -> timedelta | None:
    """`adaptive` -> None; `15m`, `2h`, `1d`, `1w` -> a fixed interval; else ValueError."""
    text = value.strip().lower()
    if text == "adaptive":
        return None
    m = _DURATION.match(text)
    if not m or int(m.group(1)) == 0:
        raise ValueError(f"cadence {value!r} is not 'adaptive' or a duration like 15m, 2h, 1d, 1w")
    return timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})


def _scalar(node: yaml.Node, path: str, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise SourcesError(path, f"{what} must be a non-empty string", node.start_mark.line + 1)
    return str(node.value).strip()


def _rule(values: dict[str, yaml.Node], node: yaml.Node, path: str) -> Rule:
    """A `notify:` / `to:` pair (in a source or a rule mapping) -> Rule; SourcesError."""
    line = node.start_mark.line + 1
    mode = _scalar(values["notify"], path, "notify") if "notify" in values else "never"
    to: tuple[str, ...] = ()
    if "to" in values:
        tnode = values["to"]
        if not isinstance(tnode, yaml.SequenceNode):
            raise SourcesError(
                path, "to must be a list of destination names", tnode.start_mark.line + 1
            )
        to = tuple(_scalar(t, path, "a destination name") for t in tnode.value)
    try:
        return Rule(mode, to)
    except ValueError as exc:
        raise SourcesError(path, str(exc), line) from None


def _rule_node(node: yaml.Node, path: str) -> Rule:
    if not isinstance(node, yaml.MappingNode):
        raise SourcesError(
            path,
            "a rule must be a mapping like {notify: any, to: [desk]}",
            node.start_mark.line + 1,
        )
    values = {_scalar(k, path, "a key"): v for k, v in node.value}
    unknown = sorted(set(values) - _RULE_KEYS)
    if unknown:
        raise SourcesError(
            path, f"unknown key(s) {', '.join(unknown)} in a rule", node.start_mark.line + 1
        )
    return _rule(values, node, path)


def _rules(node: yaml.Node, listed: SourceList) -> tuple[Rule, dict[str, Rule]]:
    """The top-level `notify:` mapping (default and per-tag rules); a bad rule is a problem
    and is skipped (the default stays `never`)."""
    path = listed.path
    default, by_tag = Rule(), dict[str, Rule]()
    if not isinstance(node, yaml.MappingNode):
        listed.problems.append(
            SourcesError(
                path,
                "'notify' must be a mapping with 'default' and/or 'tags'",
                node.start_mark.line + 1,
            )
        )
        return default, by_tag
    for key, value in node.value:
        try:
            name = _scalar(key, path, "a key")
            if name == "default":
                default = _rule_node(value, path)
            elif name == "tags":
                if not isinstance(value, yaml.MappingNode):
                    raise SourcesError(
                        path, "'tags' must map tags to rules", value.start_mark.line + 1
                    )
                for tag, rule in value.value:
                    try:
                        by_tag[_scalar(tag, path, "a tag")] = _rule_node(rule, path)
                    except SourcesError as problem:
                        listed.problems.append(problem)
            else:
                raise SourcesError(
                    path, f"unknown key {name!r} in 'notify'", key.start_mark.line + 1
                )
        except SourcesError as problem:
            listed.problems.append(problem)
    return default, by_tag


def _tags(values: dict[str, yaml.Node], path: str) -> tuple[str, ...]:
    if "tags" not in values:
        return ()
    tnode = values["tags"]
    if not isinstance(tnode, yaml.SequenceNode):
        raise SourcesError(path, "tags must be a list", tnode.start_mark.line + 1)
    return tuple(_scalar(t, path, "a tag") for t in tnode.value)


def _source(node: yaml.Node, path: str) -> Source:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise SourcesError(path, "each source must be a mapping with a 'url'", line)
    values = {_scalar(k, path, "a key"): v for k, v in node.value}
    unknown = sorted(set(values) - _KEYS)
    if unknown:
        raise SourcesError(path, f"unknown key(s) {', '.join(unknown)}", line)
    if "url" not in values:
        raise SourcesError(path, "source has no 'url'", line)
    url = _scalar(values["url"], path, "url")
    url_line = values["url"].start_mark.line + 1
    if not re.match(r"^https?://[^/\s]+", url):
        raise SourcesError(path, f"{safe_url(url)!r} is not an http(s) URL", url_line)
    try:
        normalize_url(url)
    except FetchError as exc:
        raise SourcesError(path, f"{exc.url}: {exc.reason}", url_line) from None
    tags = _tags(values, path)
    cadence = None
    if "cadence" in values:
        cnode = values["cadence"]
        try:
            cadence = parse_cadence(_scalar(cnode, path, "cadence"))
        except ValueError as exc:
            raise SourcesError(path, str(exc), cnode.start_mark.line + 1) from None
    rule = _rule(values, node, path) if _RULE_KEYS & set(values) else None
    return Source(url=url, tags=tags, cadence=cadence, line=line, notify=rule)


def load_sources(path: str | Path) -> SourceList:
    """Parse and validate a sources file. A file that cannot be read or parsed raises
    SourcesError; a bad entry (or a repeated URL) is kept in `problems`, naming its line."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError(name, f"cannot read: {exc.strerror or exc}") from None
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourcesError(
            name, f"not valid YAML: {getattr(exc, 'problem', exc)}", mark.line + 1 if mark else None
        ) from None
    if root is None:
        return SourceList(name)
    if not isinstance(root, yaml.MappingNode):
        raise SourcesError(name, "top level must be a mapping with a 'sources' list", 1)
    top = {_scalar(k, name, "a key"): v for k, v in root.value}
    node = top.get("sources")
    if node is None and not set(top) & set(_PAGE_KEYS):
        raise SourcesError(name, "no 'sources' list (nor 'feeds' or 'sections')", 1)
    if node is not None and not isinstance(node, yaml.SequenceNode):
        raise SourcesError(name, "'sources' must be a list", node.start_mark.line + 1)
    listed = SourceList(name, retire_after=_retire_after(top.get("retire_after"), name))
    if "notify" in top:
        default, by_tag = _rules(top["notify"], listed)
        listed = SourceList(
            name,
            problems=listed.problems,
            default_rule=default,
            tag_rules=by_tag,
            retire_after=listed.retire_after,
        )
    _pages(top, name, listed)
    seen: dict[str, int] = {}
    for item in node.value if node is not None else []:
        try:
            source = _source(item, name)
            if source.url in seen:
                first = seen[source.url]
                raise SourcesError(
                    name, f"{source.url} is listed twice (first on line {first})", source.line
                )
        except SourcesError as problem:
            listed.problems.append(problem)
            continue
        seen[source.url] = source.line
        listed.sources.append(source)
    return listed


def _retire_after(node: yaml.Node | None, path: str) -> timedelta:
    if node is None:
        return RETIRE_AFTER
    try:
        value = parse_cadence(_scalar(node, path, "retire_after"))
    except ValueError as exc:
        raise SourcesError(path, f"retire_after: {exc}", node.start_mark.line + 1) from None
    if value is None:
        raise SourcesError(path, "retire_after must be a duration", node.start_mark.line + 1)
    return value


def _pages(top: dict[str, yaml.Node], path: str, listed: SourceList) -> None:
    """The `feeds:` and `sections:` entries into `listed.pages`; bad ones into its problems."""
    seen: set[str] = set()
    for kind_key, keys in _PAGE_KEYS.items():
        node = top.get(kind_key)
        if node is None:
            continue
        if not isinstance(node, yaml.SequenceNode):
            listed.problems.append(
                SourcesError(path, f"'{kind_key}' must be a list", node.start_mark.line + 1)
            )
            continue
        for item in node.value:
            try:
                page = _page(item, path, kind_key[:-1], keys)
                if page.url in seen:
                    raise SourcesError(path, f"{page.url} is listed twice", page.line)
            except SourcesError as problem:
                listed.problems.append(problem)
                continue
            seen.add(page.url)
            listed.pages.append(page)


def _page(node: yaml.Node, path: str, kind: str, keys: set[str]) -> Page:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise SourcesError(path, f"each {kind} must be a mapping with a 'url'", line)
    values = {_scalar(k, path, "a key"): v for k, v in node.value}
    unknown = sorted(set(values) - keys)
    if unknown:
        raise SourcesError(path, f"unknown key(s) {', '.join(unknown)} for a {kind}", line)
    if "url" not in values:
        raise SourcesError(path, f"{kind} has no 'url'", line)
    url = _scalar(values["url"], path, "url")
    try:
        url = normalize_url(url)
    except FetchError as exc:
        line = values["url"].start_mark.line + 1
        raise SourcesError(path, f"{exc.url}: {exc.reason}", line) from None
    tags = _tags(values, path)
    match = None
    if "match" in values:
        match = _scalar(values["match"], path, "match")
        try:
            re.compile(match)
        except re.error as exc:
            raise SourcesError(
                path,
                f"match {match!r} is not a regular expression: {exc}",
                values["match"].start_mark.line + 1,
            ) from None
    return Page(url=url, kind=kind, tags=tags, match=match, line=line)


def listing_entries(listed: SourceList) -> list[tuple[str, tuple[str, ...], int | None]]:
    """(normalised URL, tags, cadence in seconds) of each source, as the catalog keeps them."""
    return [
        (
            normalize_url(s.url),
            s.tags,
            int(s.cadence.total_seconds()) if s.cadence is not None else None,
        )
        for s in listed.sources
    ]


@dataclass(frozen=True)
class SourceStatus:
    """A source of the file with its state from the catalog."""

    source: Source
    info: SourceInfo | None  # None: not checked yet
    due: bool

    def to_dict(self) -> dict[str, object]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        info = self.info
        return {
            "url": self.source.url,
            "tags": list(self.source.tags),
            "cadence": "adaptive" if self.source.cadence is None else str(self.source.cadence),
            "versions": info.versions if info else 0,
            "last_change": iso(info.last_change) if info else None,
            "last_check": iso(info.last_check) if info else None,
            "last_outcome": info.last_outcome if info else None,
            "failures": info.failures if info else 0,
            "next_due": iso(info.next_due) if info else None,
            "due": self.due,
        }


def source_statuses(
    listed: SourceList, catalog: Catalog, now: datetime, period: timedelta
) -> list[SourceStatus]:
    """Each source's state, read from the catalog in one query (after syncing its tags)."""
    catalog.sync_listings(listing_entries(listed))
    infos = {i.url: i for i in catalog.sources()}
    before = due_before(now, period)
    statuses = []
    for source in listed.sources:
        info = infos.get(normalize_url(source.url))
        due = info is None or info.next_due is None or info.next_due <= before
        statuses.append(SourceStatus(source, info, due))
    return statuses


def due_urls(listed: SourceList, catalog: Catalog, now: datetime, period: timedelta) -> list[str]:
    """The URLs of the sources file that a run at `now`, every `period`, should archive: the
    catalog's due selection (one query on its next-due index), in the file's order."""
    catalog.sync_listings(listing_entries(listed))
    due = set(catalog.due(due_before(now, period)))
    return [s.url for s in listed.sources if normalize_url(s.url) in due]


def long_failing(catalog: Catalog, now: datetime) -> list[SourceInfo]:
    """The sources whose checks have all failed for FAILING_REPORTED or longer."""
    return [
        s
        for s in catalog.sources(failing=True)
        if s.failing_since is not None and now - s.failing_since >= FAILING_REPORTED
    ]
