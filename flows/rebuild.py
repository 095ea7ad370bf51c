"""`palimpsest catalog rebuild` and `catalog check`: the catalog made again from the store.

The rebuild reads every version record and the check log (flows/checklog.py) and the sources
file's tags and cadences, and replaces the catalog's rows in one transaction. The check
rebuilds into a temporary SQLite catalog and compares it with the live one, row by row.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from palimpsest.catalog import Catalog, CheckRow, VersionRow, sqlite_url
from palimpsest.flows import checklog, discover
from palimpsest.flows.catalog import open_scheduled, rows_of_history
from palimpsest.flows.sources import SourceList, listing_entries
from palimpsest.storage import Store

Listing = list[tuple[str, tuple[str, ...], int | None]]


@dataclass(frozen=True)
class Rebuilt:
    sources: int
    versions: int
    checks: int

    def to_dict(self) -> dict[str, int]:
        return {"sources": self.sources, "versions": self.versions, "checks": self.checks}


def rows_from_store(store: Store) -> tuple[list[VersionRow], list[CheckRow]]:
    versions: list[VersionRow] = []
    for url in store.urls():
        versions.extend(rows_of_history(store.versions(url)))
    return versions, list(checklog.read(store))


def rebuild(store: Store, catalog: Catalog, listing: SourceList | None) -> Rebuilt:
    """Replace the catalog's rows by those the store (and the sources file) give."""
    versions, checks = rows_from_store(store)
    entries: Listing = listing_entries(listing) if listing else []
    catalog.replace_all(entries, versions, checks, discover.read_log(store))
    urls = {r.url for r in versions} | {r.url for r in checks} | {e[0] for e in entries}
    return Rebuilt(len(urls), len(versions), len(checks))


def _describe(table: str, key: tuple[Any, ...]) -> str:
    if table == "versions":
        return f"{key[0]} v{key[1]}"
    if table == "checks":
        return f"check {key[0]}"
    return " ".join(str(k) for k in key)


def differences(store: Store, catalog: Catalog, listing: SourceList | None) -> list[str]:
    """What the catalog holds that a rebuild would not, and the reverse; [] when in step."""
    with tempfile.TemporaryDirectory(prefix="palimpsest-catalog-check-") as tmp:
        fresh = open_scheduled(sqlite_url(Path(tmp) / "catalog.sqlite"))
        try:
            rebuild(store, fresh, listing)
            expected = fresh.dump()
        finally:
            fresh.close()
    actual = catalog.dump()
    found = []
    for table, rows in expected.items():
        have = actual.get(table, {})
        for key in sorted(set(rows) - set(have), key=str):
            found.append(f"{table}: {_describe(table, key)} is in the store, not in the catalog")
        for key in sorted(set(have) - set(rows), key=str):
            found.append(f"{table}: {_describe(table, key)} is in the catalog, not in the store")
        for key in sorted(set(rows) & set(have), key=str):
            changed = sorted(c for c in rows[key] if rows[key][c] != have[key].get(c))
            if changed:
                found.append(f"{table}: {_describe(table, key)} differs in {', '.join(changed)}")
    return found


def reset_sqlite(url: str) -> str | None:
    """Before a rebuild: move a damaged SQLite catalog file aside (never delete it) so a fresh
    one can be made; the path it was moved to, or None if it was sound or not SQLite."""
    from palimpsest.catalog import CorruptCatalog, open_catalog
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    path = Path(parsed.database)
    if not path.exists():
        return None
    try:
        open_catalog(url).close()
        return None
    except CorruptCatalog:
        pass
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return str(aside)
