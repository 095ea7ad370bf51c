"""The `Catalog` object: one engine, the read API, and the writes flows/ make after the store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from palimpsest.catalog import discovery, fulltext, outbox, read, write
from palimpsest.catalog.db import describe, guarded, make_engine, migrate
from palimpsest.catalog.model import (
    Change,
    CheckRow,
    SearchHit,
    SourceInfo,
    SourceState,
    Timeline,
    VersionRow,
)
from palimpsest.catalog.schema import checks, sources, tags, versions
from palimpsest.catalog.write import Schedule
from sqlalchemy import Connection, Engine, delete


def _never(_state: SourceState) -> datetime | None:
    return None


class Catalog:
    """The catalog at a database URL. Thread-safe (one engine, a connection per call).

    Read API (stable; the viewer builds on it), every method returning plain dataclasses with
    `to_dict()` (palimpsest.catalog.model):

        sources(tag=, failing=, changed_since=) -> list[SourceInfo]   ordered by URL
        source(url) -> SourceInfo | None
        changes(since=, substantive=, limit=) -> list[Change]          newest first
        timeline(url) -> Timeline | None         the source, its versions and checks, oldest first
        search(text, limit=50) -> list[SearchHit] best first, snippet with [matched] words
        export(since=) -> iterator of dicts      every version with its diff counts
        state(url) -> SourceState | None          what the scheduler knows of a source
        due(before) -> list[str]                  URLs never checked or due before `before`

    Writes (flows/ calls them after the store; all idempotent): `add_version(row)`,
    `add_check(row)`, `add_all(versions, checks)`, `sync_listings(entries)`; the notification
    outbox: `queue_notifications`, `claim_notifications`, `finish_notifications`. `schedule`
    turns a source's state into its next due time (the adaptive ladder of flows/schedule.py).
    """

    def __init__(self, engine: Engine, schedule: Schedule = _never, *, name: str = "") -> None:
        self.engine = engine
        self.schedule = schedule
        self.name = name or describe(engine.url.render_as_string(hide_password=True))

    # -- plumbing ------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with guarded(self.name), self.engine.connect() as conn:
            conn.info["write"] = False
            try:
                yield conn
            finally:
                conn.rollback()
                conn.info["write"] = True

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with guarded(self.name), self.engine.begin() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    # -- reading -------------------------------------------------------------------------

    def sources(
        self,
        *,
        tag: str | None = None,
        failing: bool = False,
        changed_since: datetime | None = None,
    ) -> list[SourceInfo]:
        with self._read() as conn:
            return read.list_sources(conn, tag=tag, failing=failing, changed_since=changed_since)

    def source(self, url: str) -> SourceInfo | None:
        with self._read() as conn:
            found = read.list_sources(conn, url=url)
        return found[0] if found else None

    def changes(
        self,
        *,
        since: datetime | None = None,
        substantive: bool = False,
        limit: int | None = None,
    ) -> list[Change]:
        with self._read() as conn:
            return read.changes(conn, since=since, substantive=substantive, limit=limit)

    def timeline(self, url: str) -> Timeline | None:
        with self._read() as conn:
            found = read.list_sources(conn, url=url)
            if not found:
                return None
            versions_, checks_ = read.history(conn, url)
        return Timeline(found[0], versions_, checks_)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        with self._read() as conn:
            return read.search(conn, text, limit)

    def export(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        with self._read() as conn:
            yield from read.export_rows(conn, since)

    def state(self, url: str) -> SourceState | None:
        with self._read() as conn:
            return read.state(conn, url)

    def due(self, before: datetime) -> list[str]:
        with self._read() as conn:
            return read.due(conn, before)

    # -- writing -------------------------------------------------------------------------

    def add_version(self, row: VersionRow) -> SourceState:
        with self._write() as conn:
            return write.refresh(conn, write.put_version(conn, row), self.schedule)

    def add_check(self, row: CheckRow) -> SourceState:
        with self._write() as conn:
            return write.add_check(conn, row, self.schedule)

    def add_all(self, version_rows: Iterable[VersionRow], check_rows: Iterable[CheckRow]) -> None:
        """Write many rows in one transaction (a rebuild, a catch-up)."""
        with self._write() as conn:
            self._add(conn, version_rows, check_rows)

    def _add(
        self, conn: Connection, version_rows: Iterable[VersionRow], check_rows: Iterable[CheckRow]
    ) -> None:
        touched = {write.put_version(conn, r) for r in version_rows}
        touched |= {write.put_check(conn, r) for r in check_rows}
        for sid in sorted(touched):
            write.refresh(conn, sid, self.schedule)

    def replace_history(self, url: str, version_rows: Iterable[VersionRow]) -> None:
        """Make `version_rows` the whole version history of `url` (a re-extraction's)."""
        with self._write() as conn:
            sid = write.source_id(conn, url)
            conn.execute(delete(versions).where(versions.c.source_id == sid))
            self._add(conn, version_rows, [])
            write.refresh(conn, sid, self.schedule)

    def sync_listings(self, entries: Iterable[tuple[str, tuple[str, ...], int | None]]) -> None:
        """Make the tags and cadences those of the sources file: (url, tags, cadence seconds)."""
        with self._write() as conn:
            for sid in write.sync_listings(conn, entries):
                write.refresh(conn, sid, self.schedule)

    def replace_all(
        self,
        listings: Iterable[tuple[str, tuple[str, ...], int | None]],
        version_rows: Iterable[VersionRow],
        check_rows: Iterable[CheckRow],
        discovered: Iterable[discovery.DiscoveredRow] = (),
    ) -> None:
        """Replace every row by these, in one transaction (a rebuild): readers see the old
        catalog or the new one, never an empty one."""
        with self._write() as conn:
            fulltext.clear(conn)
            for table in (checks, versions, tags, sources):
                conn.execute(delete(table))
            write.sync_listings(conn, listings)
            self._add(conn, version_rows, check_rows)
            discovery.restore_discovered(conn, discovered)

    # -- discovery (catalog/discovery.py) -------------------------------------------------

    def add_discovered(self, rows: Iterable[discovery.DiscoveredRow]) -> list[str]:
        """Add discovered article URLs as sources unless known; the URLs that were new."""
        with self._write() as conn:
            return discovery.add_discovered(conn, rows)

    def known(self, urls: Iterable[str]) -> set[str]:
        with self._read() as conn:
            return discovery.known(conn, urls)

    def discovered_due(self, before: datetime, quiet_since: datetime) -> list[str]:
        with self._read() as conn:
            return discovery.discovered_due(conn, before, quiet_since)

    def retired(self, quiet_since: datetime) -> list[str]:
        with self._read() as conn:
            return discovery.retired(conn, quiet_since)

    def origin(self, url: str) -> tuple[str, str | None] | None:
        """(origin, found_on) of one source, None if unknown."""
        with self._read() as conn:
            return discovery.origin(conn, url)

    def mark_alias(self, url: str, canonical: str) -> None:
        with self._write() as conn:
            discovery.mark_alias(conn, url, canonical)

    def origins(self) -> dict[str, tuple[str, str | None]]:
        with self._read() as conn:
            return discovery.origins(conn)

    def page(self, url: str) -> discovery.PageRow | None:
        with self._read() as conn:
            return discovery.page(conn, url)

    def put_page(self, row: discovery.PageRow) -> None:
        with self._write() as conn:
            discovery.put_page(conn, row)

    # -- the notification outbox (catalog/outbox.py) ------------------------------------

    def queue_notifications(self, rows: Iterable[outbox.OutboxRow], now: datetime) -> None:
        with self._write() as conn:
            outbox.queue(conn, rows, now)

    def claim_notifications(self, owner: str, now: datetime) -> list[outbox.OutboxRow]:
        with self._write() as conn:
            return outbox.claim(conn, owner, now, now.date().isoformat())

    def finish_notifications(
        self, owner: str, keys: list[tuple[str, int, str]], now: datetime, error: str = ""
    ) -> None:
        with self._write() as conn:
            outbox.finish(conn, owner, keys, now, error=error)

    def notifications(self) -> list[outbox.OutboxRow]:
        with self._read() as conn:
            return outbox.rows(conn)

    def dump(self) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
        """Every row by its natural key (see read.dump): for `catalog check` and tests."""
        with self._read() as conn:
            return read.dump(conn)


def open_catalog(url: str, schedule: Schedule = _never) -> Catalog:
    """The catalog at `url` (sqlite:///path or postgresql+psycopg://...), its schema created
    (a new one) or upgraded by Alembic; CatalogUnavailable or CorruptCatalog (with the rebuild
    hint)."""
    name = describe(url)
    engine = make_engine(url)
    try:
        with guarded(name):
            migrate(engine)
    except Exception:
        engine.dispose()
        raise
    return Catalog(engine, schedule, name=name)
