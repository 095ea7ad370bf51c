"""The catalog's side of discovery: discovered sources, and the feeds and sections followed.

A discovered source is an ordinary source with `origin` feed or section and `found_on` the
page it was found on (both rebuilt from the store's discovery log). A discovered URL whose
page names another canonical URL (`<link rel=canonical>`) becomes an `alias` of it (never
due; the canonical one is tracked). A discovered source retires by itself:
once its last change (or, never changed, its discovery) is older than the quiet period, it
is no longer due, and its history stays. Nothing is stored for that, so a rebuild agrees.
`pages` keeps each followed page's validators, so an unchanged feed costs one 304.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from palimpsest.catalog.schema import pages, sources, tags
from palimpsest.catalog.write import _insert
from sqlalchemy import Connection, and_, func, or_, select, update

ORIGINS = ("listed", "feed", "section", "alias")  # alias: found_on names the canonical URL
_CHUNK = 500


@dataclass(frozen=True)
class DiscoveredRow:
    url: str  # canonical, normalised
    origin: str  # feed | section
    found_on: str  # the feed or section page's URL
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageRow:
    url: str
    kind: str  # feed | section
    checked_at: datetime | None = None
    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    links: int | None = None
    error: str | None = None


def known(conn: Connection, urls: Iterable[str]) -> set[str]:
    """Which of `urls` the catalog has as sources."""
    wanted = list(dict.fromkeys(urls))
    found: set[str] = set()
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        found.update(conn.execute(select(sources.c.url).where(sources.c.url.in_(chunk))).scalars())
    return found


def add_discovered(conn: Connection, rows: Iterable[DiscoveredRow]) -> list[str]:
    """Add the rows' URLs as sources unless known (first finder wins); the URLs added."""
    first: dict[str, DiscoveredRow] = {}
    for row in rows:
        first.setdefault(row.url, row)
    seen = known(conn, first)
    fresh = [r for r in first.values() if r.url not in seen]
    if not fresh:
        return []
    conn.execute(
        _insert(conn, sources).on_conflict_do_nothing(index_elements=["url"]),
        [
            {
                "url": r.url,
                "host": (urlsplit(r.url).hostname or "").lower(),
                "versions": 0,
                "failures": 0,
                "origin": r.origin,
                "found_on": r.found_on,
            }
            for r in fresh
        ],
    )
    query = select(sources.c.url, sources.c.id).where(
        sources.c.url.in_([r.url for r in fresh]), sources.c.found_on.isnot(None)
    )
    ids: dict[str, int] = {url: sid for url, sid in conn.execute(query)}
    tag_rows = [{"source_id": ids[r.url], "tag": t} for r in fresh if r.url in ids for t in r.tags]
    if tag_rows:
        conn.execute(_insert(conn, tags).on_conflict_do_nothing(), tag_rows)
    return [r.url for r in fresh]


def discovered_due(conn: Connection, before: datetime, quiet_since: datetime) -> list[str]:
    """Discovered sources due before `before` that have not retired: changed (or, never
    changed, first seen) after `quiet_since`, or never checked."""
    last_heard = func.coalesce(sources.c.last_change, sources.c.first_seen)
    query = select(sources.c.url).where(
        sources.c.origin.in_(("feed", "section")),
        or_(sources.c.next_due.is_(None), sources.c.next_due <= before),
        or_(last_heard.is_(None), last_heard >= quiet_since),
    )
    return list(conn.execute(query.order_by(sources.c.url)).scalars())


def retired(conn: Connection, quiet_since: datetime) -> list[str]:
    """Discovered sources that retired (quiet since before `quiet_since`)."""
    last_heard = func.coalesce(sources.c.last_change, sources.c.first_seen)
    query = select(sources.c.url).where(
        and_(sources.c.origin != "listed", last_heard < quiet_since)
    )
    return list(conn.execute(query.order_by(sources.c.url)).scalars())


def origin(conn: Connection, url: str) -> tuple[str, str | None] | None:
    row = conn.execute(
        select(sources.c.origin, sources.c.found_on).where(sources.c.url == url)
    ).first()
    return (row[0], row[1]) if row else None


def mark_alias(conn: Connection, url: str, canonical: str) -> None:
    """`url` is another name of `canonical` (its page says so): never due again."""
    conn.execute(
        update(sources).where(sources.c.url == url).values(origin="alias", found_on=canonical)
    )


def origins(conn: Connection) -> dict[str, tuple[str, str | None]]:
    """url -> (origin, found_on) of every source."""
    query = select(sources.c.url, sources.c.origin, sources.c.found_on)
    return {url: (origin, found_on) for url, origin, found_on in conn.execute(query)}


def page(conn: Connection, url: str) -> PageRow | None:
    row = conn.execute(select(pages).where(pages.c.url == url)).first()
    return PageRow(**row._mapping) if row else None


def put_page(conn: Connection, row: PageRow) -> None:
    values = {k: getattr(row, k) for k in PageRow.__dataclass_fields__}
    stmt = _insert(conn, pages).values(**values)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["url"], set_={k: v for k, v in values.items() if k != "url"}
        )
    )


def restore_discovered(conn: Connection, rows: Iterable[DiscoveredRow]) -> None:
    """A rebuild's step: mark the logged discoveries (first per URL wins, as when they were
    found) on sources that the versions and listings already made, adding the rest."""
    first: dict[str, DiscoveredRow] = {}
    for row in rows:  # first finder wins; becoming an alias is a later fact that stands
        if row.origin == "alias" or row.url not in first:
            first[row.url] = row
    if not first:
        return
    add_discovered(conn, first.values())
    for row in first.values():
        conn.execute(
            update(sources)
            .where(sources.c.url == row.url)
            .values(origin=row.origin, found_on=row.found_on)
        )
    query = select(sources.c.url, sources.c.id).where(sources.c.url.in_(list(first)))
    ids: dict[str, int] = {url: sid for url, sid in conn.execute(query)}
    tag_rows = [{"source_id": ids[r.url], "tag": t} for r in first.values() for t in r.tags]
    if tag_rows:
        conn.execute(_insert(conn, tags).on_conflict_do_nothing(), tag_rows)
