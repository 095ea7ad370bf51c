"""Reading the catalog: the queries behind `list`, `changes`, `timeline`, `search`, `export`
and the scheduler's due selection. Each is one or two indexed queries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields
from datetime import datetime
from typing import Any

from palimpsest.catalog import fulltext
from palimpsest.catalog.model import Change, CheckRow, SearchHit, SourceInfo, SourceState
from palimpsest.catalog.schema import checks, sources, tags, versions
from sqlalchemy import Connection, Select, bindparam, or_, select

# the scheduler's state of a source: SourceState's fields name the sources table's columns
_STATE = select(*(sources.c[f.name] for f in fields(SourceState))).where(
    sources.c.url == bindparam("url")
)  # built once, run with the URL bound (SQLAlchemy finds it compiled in its cache)


def state(conn: Connection, url: str) -> SourceState | None:
    row = conn.execute(_STATE, {"url": url}).first()
    return SourceState(**row._mapping) if row else None


def due(conn: Connection, before: datetime) -> list[str]:
    """URLs never checked or due before `before`: one query on the next-due index."""
    query = select(sources.c.url).where(
        or_(sources.c.next_due.is_(None), sources.c.next_due <= before)
    )
    return list(conn.execute(query).scalars())


def _tags_by_id(conn: Connection, ids: Select[Any]) -> dict[int, list[str]]:
    """The tags of the sources whose ids `ids` selects (one indexed query)."""
    query = (
        select(tags.c.source_id, tags.c.tag)
        .where(tags.c.source_id.in_(ids))
        .order_by(tags.c.source_id, tags.c.tag)
    )
    found: dict[int, list[str]] = {}
    for sid, tag in conn.execute(query):
        found.setdefault(sid, []).append(tag)
    return found


_INFO_COLUMNS = [
    sources.c.url,
    sources.c.host,
    sources.c.versions,
    sources.c.first_seen,
    sources.c.last_change,
    sources.c.last_check,
    sources.c.last_outcome,
    sources.c.failures,
    sources.c.failing_since,
    sources.c.next_due,
    sources.c.title,
    sources.c.origin,
]


def _source_infos(conn: Connection, query: Select[Any]) -> list[SourceInfo]:
    rows = conn.execute(query).all()
    tagged = _tags_by_id(conn, query.with_only_columns(sources.c.id).order_by(None))
    return [SourceInfo(url, host, tagged.get(sid, []), *rest) for sid, url, host, *rest in rows]


def list_sources(
    conn: Connection,
    *,
    tag: str | None = None,
    failing: bool = False,
    changed_since: datetime | None = None,
    url: str | None = None,
) -> list[SourceInfo]:
    query = select(sources.c.id, *_INFO_COLUMNS)
    filtered = tag is not None or failing or changed_since is not None or url is not None
    if not filtered:
        query = query.order_by(sources.c.url)
    if tag is not None:
        query = query.where(sources.c.id.in_(select(tags.c.source_id).where(tags.c.tag == tag)))
    if failing:
        query = query.where(sources.c.failures > 0)
    if changed_since is not None:
        query = query.where(sources.c.last_change >= changed_since)
    if url is not None:
        query = query.where(sources.c.url == url)
    found = _source_infos(conn, query)
    if filtered:  # sorted here: in SQL, the URL order would lead the planner past the filters
        found.sort(key=lambda s: s.url)
    return found


def _changes_query() -> Select[Any]:
    return select(
        sources.c.url,
        versions.c.seq,
        versions.c.captured_at,
        versions.c.title,
        versions.c.words,
        versions.c.summary,
        versions.c.substantive,
        versions.c.seed,
        versions.c.similarity,
        versions.c.sha256,
    ).join(sources, sources.c.id == versions.c.source_id)


def _change(row: Any) -> Change:
    return Change(**row._mapping)


def changes(
    conn: Connection,
    *,
    since: datetime | None = None,
    substantive: bool = False,
    limit: int | None = None,
) -> list[Change]:
    """Versions across sources, newest first."""
    query = _changes_query().order_by(versions.c.captured_at.desc(), sources.c.url, versions.c.seq)
    if since is not None:
        query = query.where(versions.c.captured_at >= since)
    if substantive:
        query = query.where(versions.c.substantive.is_(True))
    if limit is not None:
        query = query.limit(limit)
    return [_change(r) for r in conn.execute(query)]


def history(conn: Connection, url: str) -> tuple[list[Change], list[CheckRow]]:
    """The versions and checks of `url`, oldest first."""
    found = _changes_query().where(sources.c.url == url).order_by(versions.c.seq)
    check_rows = conn.execute(
        select(checks, sources.c.url)
        .join(sources, sources.c.id == checks.c.source_id)
        .where(sources.c.url == url)
        .order_by(checks.c.checked_at, checks.c.id)
    )
    return (
        [_change(r) for r in conn.execute(found)],
        [CheckRow(**{k: v for k, v in r._mapping.items() if k != "source_id"}) for r in check_rows],
    )


def search(conn: Connection, query: str, limit: int) -> list[SearchHit]:
    hits = fulltext.search(conn, query, limit)
    if not hits:
        return []
    found = {
        r.id: r
        for r in conn.execute(
            select(sources.c.id, sources.c.url, sources.c.versions, sources.c.title).where(
                sources.c.id.in_([sid for sid, _ in hits])
            )
        )
    }
    return [
        SearchHit(
            url=found[sid].url, title=found[sid].title, version=found[sid].versions, snippet=snippet
        )
        for sid, snippet in hits
        if sid in found
    ]


def export_rows(conn: Connection, since: datetime | None) -> Iterator[dict[str, Any]]:
    """Every version (oldest first per source) with its diff counts, for analysis."""
    query = (
        select(sources.c.url, sources.c.host, versions)
        .join(sources, sources.c.id == versions.c.source_id)
        .order_by(sources.c.url, versions.c.seq)
    )
    if since is not None:
        query = query.where(versions.c.captured_at >= since)
    for row in conn.execute(query):
        values = dict(row._mapping)
        values.pop("source_id")
        values["changes"] = json.loads(values["changes"]) if values["changes"] else None
        yield values


def dump(conn: Connection) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Every row of every table by its natural key (URL, seq, check id), without the
    database's own ids: two catalogs hold the same rows when their dumps are equal."""
    url_of: dict[int, str] = {
        row.id: row.url for row in conn.execute(select(sources.c.id, sources.c.url))
    }
    out: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    for table, key in ((sources, ("url",)), (versions, ("url", "seq")), (checks, ("id",))):
        rows: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in conn.execute(select(table)):
            values = dict(row._mapping)
            if "source_id" in values:
                values["url"] = url_of[values.pop("source_id")]
            if table is sources:
                del values["id"]
            rows[tuple(values[k] for k in key)] = values
        out[table.name] = rows
    out["tags"] = {
        (url_of[sid], tag): {} for sid, tag in conn.execute(select(tags.c.source_id, tags.c.tag))
    }
    out["texts"] = {
        (url_of[sid],): {"title": title or None, "body": body}
        for sid, title, body in fulltext.rows(conn)
    }
    return out
