"""The catalog beside the store: where it lives, the rows made from the store's records and
the pipeline's checks, and the reporter that writes them after the store.

The store is written first and is the truth; the catalog follows. A catalog that lags (a
worker died between the two writes) is caught up on the source's next check: the store then
answers with a version the catalog does not have, and `catch_up` copies what is missing.
Checks are also kept in the store, as a log (flows/checklog.py), so a rebuilt catalog has them.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from pathlib import Path
from typing import Any

from palimpsest.catalog import (
    Catalog,
    CatalogError,
    CheckRow,
    SourceState,
    VersionRow,
    open_catalog,
    sqlite_url,
)
from palimpsest.diffing import VersionDiff, diff_versions
from palimpsest.flows import checklog
from palimpsest.flows.schedule import next_due
from palimpsest.storage import Store, VersionRecord
from palimpsest.storage.errors import StorageError

CATALOG_FILE = "catalog.sqlite"  # in a local archive directory
log = logging.getLogger(__name__)


def catalog_url(
    store: str, *, url: str | None = None, file: str | Path | None = None, cache_dir: Path | None
) -> str:
    """The catalog of `store`: `url` if given (PALIMPSEST_CATALOG_URL), else the SQLite
    `file` (PALIMPSEST_CATALOG_FILE), else catalog.sqlite in a local store's directory, or for
    an S3 store a file in the cache directory named after the store."""
    if url:
        return url
    if file:
        return sqlite_url(file)
    if store.startswith("s3://"):
        name = hashlib.sha256(store.encode()).hexdigest()[:16]
        base = cache_dir or Path.home() / ".cache" / "palimpsest"
        return sqlite_url(base / "catalogs" / f"{name}.sqlite")
    return sqlite_url(Path(store) / CATALOG_FILE)


def open_scheduled(url: str) -> Catalog:
    """The catalog at `url`, scheduling with the adaptive ladder."""
    return open_catalog(url, next_due)


def summary_line(diff: VersionDiff | None) -> str:
    """`1 edited [number], 1 added`: what changed since the previous version."""
    if diff is None:
        return "first version"
    parts = []
    edits = diff.edited
    if edits:
        kinds = sorted({k for e in edits for k in e.kinds})
        parts.append(f"{len(edits)} edited" + (f" [{', '.join(kinds)}]" if kinds else ""))
    for label, items in (("added", diff.added), ("removed", diff.removed), ("moved", diff.moved)):
        if items:
            parts.append(f"{len(items)} {label}")
    return ", ".join(parts) or "no visible change"


def version_row(
    record: VersionRecord, diff: VersionDiff | None, *, latest: bool = True
) -> VersionRow:
    """The catalog's row of `record`; `diff` is against the version before it (None: v1).
    `latest`: index its text for search."""
    seeds: list[dict[str, Any]] = record.diff.get("seeds") or []
    best = seeds[0] if seeds else {}
    return VersionRow(
        url=record.url,
        seq=record.version,
        captured_at=record.captured_at,
        sha256=record.sha256,
        title=record.title,
        words=record.words,
        substantive=diff.substantive if diff is not None else None,
        summary=summary_line(diff),
        key=record.key,
        text=record.text if latest else "",
        changes=diff.summary() if diff is not None else None,
        seed=best.get("seed"),
        similarity=best.get("similarity"),
        etag=record.etag,
        last_modified=record.last_modified,
        raw_key=record.raw_key,
        extractor_version=record.extractor_version or None,
    )


def rows_of_history(records: list[VersionRecord]) -> list[VersionRow]:
    """The rows of a source's whole history (oldest first), each diffed against the one before."""
    rows = []
    for i, record in enumerate(records):
        diff = diff_versions(records[i - 1].text, record.text) if i else None
        rows.append(version_row(record, diff, latest=i == len(records) - 1))
    return rows


def catch_up(store: Store, catalog: Catalog, record: VersionRecord, known: int) -> None:
    """Copy the versions after `known` up to `record` (which the store returned) into the
    catalog: the catalog lagged the store."""
    first = max(known, 1)
    records = [store.get(record.url, seq) for seq in range(first, record.version)] + [record]
    rows = rows_of_history(records)
    catalog.add_all(rows[1:] if known else rows, [])  # records[0] is catalogued if known


def check_id() -> str:
    return str(uuid.uuid4())


class CatalogReporter:
    """Writes every stored version and every check to the catalog, after the store, and keeps
    the checks for the store's check log (written every LOG_EVERY checks and at close).

    A catalog that cannot be written never fails an archive already stored: the error is
    logged, and the catalog is caught up on the source's next check (or by a rebuild)."""

    name = "catalog"
    LOG_EVERY = 500

    def __init__(self, catalog: Catalog, store: Store) -> None:
        self.catalog = catalog
        self.store = store
        self._pending: list[CheckRow] = []
        self._lock = threading.Lock()

    def state(self, url: str) -> SourceState | None:
        """The catalog's state of `url`, or None if unknown or the catalog cannot be read."""
        try:
            return self.catalog.state(url)
        except CatalogError as exc:
            log.warning("%s", exc)
            return None

    def version_written(self, record: VersionRecord, diff: VersionDiff | None) -> None:
        """`record` is in the store (`diff`: against the version before it, if known). A
        catalog that lags the store gets every version it is missing."""
        try:
            self._version_written(record, diff)
        except CatalogError as exc:
            log.warning("%s: %s v%d not catalogued yet", exc, record.url, record.version)

    def _version_written(self, record: VersionRecord, diff: VersionDiff | None) -> None:
        state = self.catalog.state(record.url)
        known = state.versions if state is not None else 0
        if record.version <= known:
            return
        if record.version == known + 1 and (diff is not None or record.version == 1):
            self.catalog.add_version(version_row(record, diff))
        else:
            catch_up(self.store, self.catalog, record, known)

    def history_replaced(self, url: str, records: list[VersionRecord]) -> None:
        """A re-extraction published a new history of `url`: it replaces the catalog's."""
        try:
            self.catalog.replace_history(url, rows_of_history(records))
        except CatalogError as exc:
            log.warning("%s: the new history of %s is not catalogued yet", exc, url)

    def checked(self, row: CheckRow) -> None:
        try:
            self.catalog.add_check(row)
        except CatalogError as exc:
            log.warning("%s: check of %s kept in the store's log only", exc, row.url)
        with self._lock:
            self._pending.append(row)
            if len(self._pending) < self.LOG_EVERY:
                return
            pending, self._pending = self._pending, []
        self._log(pending)

    def _log(self, rows: list[CheckRow]) -> None:
        try:
            checklog.write(self.store, rows)
        except StorageError as exc:  # the checks stay in the catalog; a rebuild lacks them
            log.warning("check log of %d checks not stored: %s", len(rows), exc)

    def close(self) -> None:
        """Write the checks not yet in the store's log, and close the catalog."""
        with self._lock:
            pending, self._pending = self._pending, []
        if pending:
            self._log(pending)
        self.catalog.close()
