"""Discovery in a run: read the feeds and section pages of sources.yaml, add new articles.

Each followed page is fetched like any page (robots.txt, politeness, the deadline) and
conditionally, with the validators the catalog kept from the last read, so an unchanged feed
costs one 304. Its article links are made canonical (tracking parameters and fragments
removed) and those the catalog does not know become sources (origin feed or section, the
page's tags), archived in the same run. The store keeps a log of every discovery, so the
catalog can be rebuilt from the store alone:

    discoveries/{yyyy}/{mm}/{dd}/{hhmmss}-{uuid}.jsonl

A page that cannot be read is one problem line naming it; the rest of the run goes on.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from palimpsest.catalog import Catalog, DiscoveredRow, PageRow
from palimpsest.discovery import canonical_url, feed_entries, section_links
from palimpsest.fetchers import FEED_TYPES, Fetcher, Validators, normalize_url
from palimpsest.flows.schedule import due_before
from palimpsest.flows.sources import Page, SourceList, due_urls
from palimpsest.storage import Store
from palimpsest.text.redact import safe_url

from palimpsest.errors import PalimpsestError

log = logging.getLogger(__name__)
LOG_PREFIX = "discoveries/"


@dataclass
class Discovery:
    """What one discovery pass found: the new article URLs and what it could not read."""

    new: list[str] = field(default_factory=list)
    pages: int = 0  # followed pages checked
    unchanged: int = 0  # of which answered 304
    problems: list[str] = field(default_factory=list)


def discover(fetcher: Fetcher, catalog: Catalog, store: Store, listed: SourceList) -> Discovery:
    """Read every followed page of `listed`; add the new article URLs to the catalog (and
    the store's discovery log). URLs listed by hand stay listed."""
    found = Discovery()
    rows: list[DiscoveredRow] = []
    for page in listed.pages:
        found.pages += 1
        links = _read(fetcher, catalog, page, found)
        for link in links:
            url = _canonical(link)
            if url:
                rows.append(DiscoveredRow(url, page.kind, page.url, page.tags))
    by_hand = {normalize_url(s.url) for s in listed.sources}
    rows = [r for r in rows if r.url not in by_hand]
    found.new = catalog.add_discovered(rows)
    if found.new:
        fresh = set(found.new)
        logged = []
        for row in rows:  # the first finder of each new URL, as the catalog kept it
            if row.url in fresh:
                fresh.discard(row.url)
                logged.append(row)
        write_log(store, logged)
    return found


def _read(fetcher: Fetcher, catalog: Catalog, page: Page, found: Discovery) -> list[str]:
    """The page's article links ([] when unchanged or unreadable), its state kept."""
    known = catalog.page(page.url)
    validators = Validators(known.etag, known.last_modified) if known else None
    now = datetime.now(UTC)
    try:
        fetched = fetcher.fetch(page.url, validators, accept=FEED_TYPES)
        if fetched.not_modified:
            found.unchanged += 1
            catalog.put_page(
                PageRow(
                    page.url,
                    page.kind,
                    now,
                    304,
                    validators.etag if validators else None,
                    validators.last_modified if validators else None,
                    known.links if known else None,
                )
            )
            return []
        if page.kind == "feed":
            links = [e.url for e in feed_entries(fetched.body, fetched.final_url)]
        else:
            links = section_links(fetched.body, fetched.final_url, page.match)
    except PalimpsestError as exc:
        problem = f"{safe_url(page.url)}: {exc.describe(about=page.url)}"
        found.problems.append(problem)
        log.warning("%s (this %s skipped; the run goes on)", problem, page.kind)
        catalog.put_page(
            PageRow(
                page.url,
                page.kind,
                now,
                None,
                known.etag if known else None,
                known.last_modified if known else None,
                known.links if known else None,
                problem,
            )
        )
        return []
    got = fetched.validators
    catalog.put_page(
        PageRow(page.url, page.kind, now, fetched.status, got.etag, got.last_modified, len(links))
    )
    return links


def _canonical(link: str) -> str | None:
    try:
        return normalize_url(canonical_url(link))
    except (PalimpsestError, ValueError):
        return None


def write_log(store: Store, rows: Iterable[DiscoveredRow]) -> str | None:
    """Keep `rows` in the store as one log object (the catalog is rebuilt from these)."""
    lines = [json.dumps(asdict(r), sort_keys=True) for r in rows]
    if not lines:
        return None
    key = f"{LOG_PREFIX}{datetime.now(UTC):%Y/%m/%d/%H%M%S}-{uuid.uuid4().hex}.jsonl"
    store.backend.create(key, ("\n".join(lines) + "\n").encode("utf-8"))  # type: ignore[attr-defined]
    return key


def read_log(store: Store) -> Iterator[DiscoveredRow]:
    """Every logged discovery, oldest first (a damaged line is skipped with a warning)."""
    backend = store.backend  # type: ignore[attr-defined]
    for key in backend.list(LOG_PREFIX):
        for number, line in enumerate(backend.read(key).decode("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                values = json.loads(line)
                yield DiscoveredRow(
                    values["url"], values["origin"], values["found_on"], tuple(values["tags"])
                )
            except (ValueError, KeyError, TypeError):
                log.warning("%s:%d: not a discovery record (skipped)", key, number)


def plan(
    fetcher: Fetcher,
    catalog: Catalog,
    store: Store,
    listed: SourceList,
    *,
    due_only: bool,
    now: datetime,
    period: timedelta,
) -> tuple[list[str], Discovery]:
    """What a scheduled run archives: the listed sources (due ones, if `due_only`) and the
    discovered articles that have not retired (due ones, if `due_only`), after a discovery
    pass whose new articles are due at once."""
    found = discover(fetcher, catalog, store, listed) if listed.pages else Discovery()
    quiet_since = now - listed.retire_after
    if due_only:
        listed_urls = due_urls(listed, catalog, now, period)
        discovered = catalog.discovered_due(due_before(now, period), quiet_since)
    else:
        listed_urls = listed.urls()
        discovered = catalog.discovered_due(datetime.max.replace(tzinfo=UTC), quiet_since)
    listed_set = {normalize_url(u) for u in listed_urls}
    return listed_urls + [u for u in discovered if u not in listed_set], found
