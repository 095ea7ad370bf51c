"""The catalog's errors; each names the catalog (never its password).

CatalogError                 anything the catalog cannot do
├── CatalogUnavailable       cannot be opened or reached (bad URL, server down, no driver)
└── CorruptCatalog           the file or schema is damaged: `palimpsest catalog rebuild`
"""

from __future__ import annotations

REBUILD_HINT = "run `palimpsest catalog rebuild` to rebuild it from the store"


class CatalogError(Exception):
    def __init__(self, catalog: str, message: str) -> None:
        super().__init__(f"catalog {catalog}: {message}")
        self.catalog = catalog


class CatalogUnavailable(CatalogError):
    pass


class CorruptCatalog(CatalogError):
    def __init__(self, catalog: str, message: str) -> None:
        super().__init__(catalog, f"{message}; {REBUILD_HINT}")
