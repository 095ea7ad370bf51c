"""sources.yaml: the sources to archive, validated with errors that name the line.

sources:
  - url: https://example.com/news/story
    tags: [politics]          # optional
    cadence: adaptive         # optional: adaptive (default) or a fixed 15m / 2h / 1d / 1w
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from palimpsest.fetchers import FetchError, normalize_url
from palimpsest.flows.errors import SourcesError
from palimpsest.flows.schedule import Due, due_status
from palimpsest.storage import Store
from palimpsest.text.redact import safe_url

_DURATION = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_KEYS = {"url", "tags", "cadence"}


@dataclass(frozen=True)
class Source:
    url: str
    tags: tuple[str, ...] = ()
    cadence: timedelta | None = None  # None: adaptive
    line: int = 0


@dataclass(frozen=True)
class SourceList:
    """The valid sources of a file, and one `SourcesError` (file and line) per entry that
    was skipped: one bad entry must not stop the others from being archived."""

    path: str
    sources: list[Source] = field(default_factory=list)
    problems: list[SourcesError] = field(default_factory=list)

    def urls(self) -> list[str]:
        return [s.url for s in self.sources]


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
    tags: tuple[str, ...] = ()
    if "tags" in values:
        tnode = values["tags"]
        if not isinstance(tnode, yaml.SequenceNode):
            raise SourcesError(path, "tags must be a list", tnode.start_mark.line + 1)
        tags = tuple(_scalar(t, path, "a tag") for t in tnode.value)
    cadence = None
    if "cadence" in values:
        cnode = values["cadence"]
        try:
            cadence = parse_cadence(_scalar(cnode, path, "cadence"))
        except ValueError as exc:
            raise SourcesError(path, str(exc), cnode.start_mark.line + 1) from None
    return Source(url=url, tags=tags, cadence=cadence, line=line)


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
    if node is None:
        raise SourcesError(name, "no 'sources' list", 1)
    if not isinstance(node, yaml.SequenceNode):
        raise SourcesError(name, "'sources' must be a list", node.start_mark.line + 1)
    listed = SourceList(name)
    seen: dict[str, int] = {}
    for item in node.value:
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


@dataclass(frozen=True)
class SourceStatus:
    """A source with its state from the store and what the schedule makes of it."""

    source: Source
    versions: int
    last_change: datetime | None
    due: Due

    def to_dict(self) -> dict[str, object]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "url": self.source.url,
            "tags": list(self.source.tags),
            "cadence": "adaptive" if self.source.cadence is None else str(self.source.cadence),
            "versions": self.versions,
            "last_change": iso(self.last_change),
            "last_check": iso(self.due.last_check),
            "next_due": iso(self.due.next_due),
            "due": self.due.due,
        }


def source_statuses(
    sources: SourceList, store: Store, now: datetime, period: timedelta
) -> list[SourceStatus]:
    """Each source's state, read from the store (the latest version is the last change)."""
    statuses = []
    for source in sources.sources:
        latest = store.latest(normalize_url(source.url))
        last_change = latest.captured_at if latest else None
        due = due_status(now, last_change, period, source.cadence)
        statuses.append(SourceStatus(source, latest.version if latest else 0, last_change, due))
    return statuses


def due_of(sources: SourceList, store: Store, now: datetime, period: timedelta) -> list[str]:
    """The URLs of `sources` that a run at `now`, every `period`, should archive."""
    return [s.source.url for s in source_statuses(sources, store, now, period) if s.due.due]


def due_urls(path: str | Path, store: Store, now: datetime, period: timedelta) -> list[str]:
    """The URLs of the sources file that a run at `now`, every `period`, should archive."""
    return due_of(load_sources(path), store, now, period)
