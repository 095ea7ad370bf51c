"""The `palimpsest` console script's target: the CLI is imported when the script runs.

Extraction workers start with multiprocessing's spawn method, which runs the parent's main
script again in every child (as `__mp_main__`). The generated script imports this module, so
a worker loads this file, not the CLI with all its commands and typer (~0.15 s per worker).
"""

from __future__ import annotations


def main() -> None:
    from palimpsest.cli import app

    app()
