"""The catalog: a relational index of the archive (sources, versions, checks, latest texts).

The store stays the source of truth; the catalog is derived from it and can be rebuilt from
it (`palimpsest catalog rebuild`). SQLAlchemy Core over SQLite (default) or PostgreSQL;
schema by Alembic (catalog/migrations).

    catalog = open_catalog("sqlite:///archive/catalog.sqlite")     # or postgresql+psycopg://
    catalog.sources(tag="ukraine", failing=False, changed_since=t)  # -> [SourceInfo]
    catalog.changes(since=t, substantive=True)                     # -> [Change], newest first
    catalog.timeline(url)                                          # -> Timeline | None
    catalog.search("ceasefire talks")                              # -> [SearchHit]
    catalog.export(since=t)                                        # -> iterator of dicts

See `Catalog` for the whole API. This package works on plain values: flows/ turns the
store's records into `VersionRow`s and the pipeline's checks into `CheckRow`s.
"""

from __future__ import annotations

from palimpsest.catalog.api import Catalog, open_catalog
from palimpsest.catalog.db import sqlite_url
from palimpsest.catalog.discovery import DiscoveredRow, PageRow
from palimpsest.catalog.errors import CatalogError, CatalogUnavailable, CorruptCatalog
from palimpsest.catalog.model import (
    Change,
    CheckRow,
    SearchHit,
    SourceInfo,
    SourceState,
    Timeline,
    VersionRow,
)
from palimpsest.catalog.outbox import OutboxRow
from palimpsest.catalog.write import Schedule

__all__ = [
    "Catalog",
    "CatalogError",
    "CatalogUnavailable",
    "Change",
    "CheckRow",
    "CorruptCatalog",
    "DiscoveredRow",
    "OutboxRow",
    "PageRow",
    "Schedule",
    "SearchHit",
    "SourceInfo",
    "SourceState",
    "Timeline",
    "VersionRow",
    "open_catalog",
    "sqlite_url",
]
