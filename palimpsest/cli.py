"""Entry point of the `palimpsest` command: the app with every command module registered."""

from __future__ import annotations

from palimpsest.app import app
from palimpsest.commands import archive, corpus, fixity, inspect  # noqa: F401  (they register commands)

__all__ = ["app"]

if __name__ == "__main__":
    app()
