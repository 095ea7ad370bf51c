"""The catalog's errors; each names the catalog (never its password).

CatalogError                 anything the catalog cannot do (a palimpsest.errors.PalimpsestError)
├── CatalogUnavailable       cannot be opened or reached (bad URL, server down, no driver)
└── CorruptCatalog           the file or schema is damaged: `palimpsest catalog rebuild`
"""

from __future__ import annotations

from palimpsest.errors import PalimpsestError

REBUILD_HINT = "run `palimpsest catalog rebuild` to rebuild it from the store"


class CatalogError(PalimpsestError):
    def __init__(self, catalog: str, message: str) -> None:
        super().__init__(f"catalog {catalog}: {message}", subject=catalog, reason=message)
        self.catalog = catalog


class CatalogUnavailable(CatalogError):
    pass


class CorruptCatalog(CatalogError):
    def __init__(self, catalog: str, message: str) -> None:
        super().__init__(catalog, f"{message}; {REBUILD_HINT}")
