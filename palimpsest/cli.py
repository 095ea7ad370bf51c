"""Entry point of the `palimpsest` command: the app with every command module registered."""

from __future__ import annotations

from palimpsest.app import app
from palimpsest.commands import (  # noqa: F401  (importing a command module registers it)
    archive,
    catalog,
    corpus,
    feed,
    fixity,
    inspect,
    run,
    serve,
    sources,
)

__all__ = ["app"]

if __name__ == "__main__":
    app()
