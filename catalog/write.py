"""Writing the catalog: idempotent upserts keyed by URL and seq (versions) or id (checks).

After every write the source's derived columns (latest version, last check and outcome,
newest validators, failure streak, next due time) are recomputed from its `versions` and
`checks` rows, so a catalog written live and one rebuilt from the store hold the same rows;
a check newer than every other gets the same columns from the stored ones and the row
(`add_check`, `after_check`).
The next due time comes from the caller's `Schedule` (the adaptive ladder lives in flows/).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, fields, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from palimpsest.catalog import fulltext
from palimpsest.catalog.model import CheckRow, SourceState, VersionRow
from palimpsest.catalog.schema import as_stored, checks, sources, tags, versions
from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

Schedule = Callable[[SourceState], "datetime | None"]  # when a source is next due


def _insert(conn: Connection, table):  # type: ignore[no-untyped-def]
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def source_id(conn: Connection, url: str) -> int:
    """The id of `url`'s row, created if missing, and locked until the transaction ends
    (Postgres: FOR UPDATE; SQLite's writers already hold the database lock), so two writers
    of one source recompute its derived columns one after the other, each seeing the other's
    rows."""
    locked = select(sources.c.id).where(sources.c.url == url).with_for_update()
    found = conn.execute(locked).scalar()
    if found is not None:
        return int(found)
    stmt = (
        _insert(conn, sources)
        .values(
            url=url,
            host=(urlsplit(url).hostname or "").lower(),
            versions=0,
            failures=0,
        )
        .on_conflict_do_nothing(index_elements=["url"])
    )
    conn.execute(stmt)
    return int(conn.execute(locked).scalar_one())


def put_version(conn: Connection, row: VersionRow) -> int:
    """Upsert `row` (same URL and seq: replaced by the same values); the source's id."""
    sid = source_id(conn, row.url)
    values = asdict(row)
    body = values.pop("text")
    values.pop("url")
    values["changes"] = json.dumps(row.changes, sort_keys=True) if row.changes else None
    stmt = _insert(conn, versions).values(source_id=sid, **values)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["source_id", "seq"],
            set_={k: stmt.excluded[k] for k in values if k != "seq"},
        )
    )
    latest = conn.execute(select(func.max(versions.c.seq)).where(versions.c.source_id == sid))
    if latest.scalar() == row.seq and body:
        fulltext.set_text(conn, sid, row.title, body)
    return sid


def put_check(conn: Connection, row: CheckRow) -> int:
    """Insert `row` unless a check with its id is there; the source's id."""
    sid = source_id(conn, row.url)
    values = asdict(row)
    values.pop("url")
    stmt = _insert(conn, checks).values(source_id=sid, **values)
    conn.execute(stmt.on_conflict_do_nothing(index_elements=["id"]))
    return sid


def add_check(conn: Connection, row: CheckRow, schedule: Schedule) -> SourceState:
    """`put_check` then `refresh`, in three statements when `row` is its source's newest
    check (a scheduled check always is): the derived columns then follow from the stored
    ones and the row alone (`after_check`). Otherwise, or when the check was already there,
    they are recomputed from every row (`refresh`). Both give the same state (tested
    against each other: tests/catalog/test_check_state.py)."""
    stored = conn.execute(_STORED_STATE, {"url": row.url}).first()
    if stored is None:
        return refresh(conn, put_check(conn, row), schedule)
    sid, *derived = stored
    if conn.execute(_CHECK_EXISTS, {"id": row.id}).first() is not None:
        return refresh(conn, sid, schedule)  # written before: nothing new
    values = {name: getattr(row, name) for name in _CHECK_NAMES}
    conn.execute(_INSERT_CHECK, {"source_id": sid, **values})
    before = SourceState(row.url, **dict(zip(_DERIVED_NAMES, derived, strict=True)))
    after = after_check(before, row)
    if after is None:
        return refresh(conn, sid, schedule)
    return _store_state(conn, sid, after, schedule)


# The derived columns `refresh` writes (with the cadence, read): SourceState's fields, which
# name the sources table's columns.
_DERIVED_NAMES = [f.name for f in fields(SourceState) if f.name not in ("url", "next_due")]
_DERIVED = [sources.c[name] for name in _DERIVED_NAMES]
_STATE_NAMES = [*(n for n in _DERIVED_NAMES if n != "cadence_seconds"), "next_due"]  # written
_CHECK_NAMES = [f.name for f in fields(CheckRow) if f.name != "url"]
# The check path's statements, built once and executed with bound parameters, so SQLAlchemy
# finds each compiled in its cache (a statement built per call is keyed and looked up anew;
# ON CONFLICT is never cached): a third of the recheck's CPU was this. The existence test
# replaces ON CONFLICT DO NOTHING; the source row's lock (SQLite: the database's) makes the
# two one step.
_STORED_STATE = (
    select(sources.c.id, *_DERIVED).where(sources.c.url == bindparam("url")).with_for_update()
)
_CHECK_EXISTS = select(checks.c.id).where(checks.c.id == bindparam("id"))
_INSERT_CHECK = insert(checks)
_STORE_STATE = update(sources).where(sources.c.id == bindparam("sid"))


def after_check(before: SourceState, row: CheckRow) -> SourceState | None:
    """The state `state_of` gives once `row` is added to a source in state `before`, when it
    follows from the two: `row` is later than every check, so it is the last check, and the
    last good one if it is good. Its validators are the newest then unless it is older than
    the latest version (a check's time is its start, a version's its fetch): then every
    check is, and the validators stay the version's, as `before` has them. None when `row`
    is not the latest check."""
    at = as_stored(row.checked_at)
    if before.last_check is not None and at <= before.last_check:
        return None
    failed = row.outcome == "failed"
    keep = failed or (before.last_change is not None and at < before.last_change)
    return replace(
        before,
        last_check=at,
        last_outcome=row.outcome,
        etag=before.etag if keep else row.etag,
        last_modified=before.last_modified if keep else row.last_modified,
        failures=before.failures + 1 if failed else 0,
        failing_since=(before.failing_since if before.failures else at) if failed else None,
        first_seen=at if before.first_seen is None else min(before.first_seen, at),
        next_due=None,
    )


def state_of(conn: Connection, sid: int) -> SourceState:
    """The source's derived state, computed from its versions and checks."""
    src = conn.execute(
        select(sources.c.url, sources.c.cadence_seconds).where(sources.c.id == sid)
    ).one()
    latest = conn.execute(
        select(
            versions.c.seq,
            versions.c.sha256,
            versions.c.title,
            versions.c.captured_at,
            versions.c.etag,
            versions.c.last_modified,
        )
        .where(versions.c.source_id == sid)
        .order_by(versions.c.seq.desc())
        .limit(1)
    ).first()
    count, first_capture = conn.execute(
        select(func.count(), func.min(versions.c.captured_at)).where(versions.c.source_id == sid)
    ).one()
    of_source = checks.c.source_id == sid
    order = (checks.c.checked_at.desc(), checks.c.id.desc())
    last = conn.execute(select(checks).where(of_source).order_by(*order).limit(1)).first()
    last_ok = conn.execute(
        select(checks).where(of_source, checks.c.outcome != "failed").order_by(*order).limit(1)
    ).first()
    failed = and_(of_source, checks.c.outcome == "failed")
    if last_ok is not None:
        failed = and_(failed, checks.c.checked_at > last_ok.checked_at)
    failures, failing_since = conn.execute(
        select(func.count(), func.min(checks.c.checked_at)).where(failed)
    ).one()
    first_check = conn.execute(select(func.min(checks.c.checked_at)).where(of_source)).scalar()
    etag = last_modified = None
    if latest is not None:
        etag, last_modified = latest.etag, latest.last_modified
    if last_ok is not None and (latest is None or last_ok.checked_at >= latest.captured_at):
        etag, last_modified = last_ok.etag, last_ok.last_modified
    seen = [t for t in (first_check, first_capture) if t is not None]
    return SourceState(
        url=src.url,
        versions=int(count),
        latest_sha256=latest.sha256 if latest else None,
        title=latest.title if latest else None,
        last_change=latest.captured_at if latest else None,
        last_check=last.checked_at if last else None,
        last_outcome=last.outcome if last else None,
        etag=etag,
        last_modified=last_modified,
        failures=int(failures),
        failing_since=failing_since if failures else None,
        first_seen=min(seen) if seen else None,
        cadence_seconds=src.cadence_seconds,
    )


def refresh(conn: Connection, sid: int, schedule: Schedule) -> SourceState:
    """Recompute and store the source's derived columns; its state."""
    return _store_state(conn, sid, state_of(conn, sid), schedule)


def _store_state(conn: Connection, sid: int, state: SourceState, schedule: Schedule) -> SourceState:
    state = replace(state, next_due=schedule(state))
    values = {name: getattr(state, name) for name in _STATE_NAMES}
    conn.execute(_STORE_STATE, {"sid": sid, **values})
    return state


def sync_listings(
    conn: Connection, entries: Iterable[tuple[str, tuple[str, ...], int | None]]
) -> list[int]:
    """Make the catalog's tags and cadences those of `entries` (url, tags, cadence seconds),
    in bulk: one read of what is there, writes only for what differs. The ids of the sources
    whose cadence changed (their due time needs recomputing)."""
    known = {
        r.url: (r.id, r.cadence_seconds)
        for r in conn.execute(select(sources.c.id, sources.c.url, sources.c.cadence_seconds))
    }
    tagged: dict[int, set[str]] = {}
    for sid, tag in conn.execute(select(tags.c.source_id, tags.c.tag)):
        tagged.setdefault(sid, set()).add(tag)
    wanted = {url: (set(t), cadence) for url, t, cadence in entries}
    new = [
        {
            "url": url,
            "host": (urlsplit(url).hostname or "").lower(),
            "cadence_seconds": cadence,
            "versions": 0,
            "failures": 0,
        }
        for url, (_, cadence) in wanted.items()
        if url not in known
    ]
    if new:
        conn.execute(_insert(conn, sources).on_conflict_do_nothing(index_elements=["url"]), new)
        ids = select(sources.c.id, sources.c.url).where(sources.c.url.in_([n["url"] for n in new]))
        known.update({r.url: (r.id, wanted[r.url][1]) for r in conn.execute(ids)})
    recadenced = []
    tag_rows: list[dict[str, Any]] = []
    for url, (tag_set, cadence) in wanted.items():
        sid, old_cadence = known[url]
        if old_cadence != cadence:
            conn.execute(update(sources).where(sources.c.id == sid).values(cadence_seconds=cadence))
            recadenced.append(sid)
        if tagged.get(sid, set()) != tag_set:
            conn.execute(delete(tags).where(tags.c.source_id == sid))
            tag_rows.extend({"source_id": sid, "tag": t} for t in sorted(tag_set))
    if tag_rows:
        conn.execute(tags.insert(), tag_rows)
    return recadenced
