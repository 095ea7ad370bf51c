"""The typer application and what every command shares: options, output, error handling.

Command modules in `palimpsest/commands/` register themselves on `app`; `palimpsest/cli.py`
imports them all. Errors from the stage packages are shown as one line naming the URL, key
or file, never as a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Annotated, Any, NoReturn

import typer

from palimpsest.settings import Settings, SettingsError

app = typer.Typer(
    name="palimpsest",
    help="Archive news articles and show how they change.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Archive location: a directory or s3://bucket/prefix "
        "(default: $PALIMPSEST_STORE, else ./archive).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


@cache
def settings() -> Settings:
    """The process's settings, read from the environment once."""
    try:
        return Settings.from_env()
    except SettingsError as exc:
        fail(str(exc))


def store_spec(store: str | None) -> str:
    return store or settings().store


def open_store(store: str | None) -> Any:
    """Open the store named by --store (or the default); errors become one clear line."""
    from palimpsest.storage import open_store as _open

    with user_errors():
        return _open(store_spec(store))


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n")


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _known_errors() -> tuple[type[BaseException], ...]:
    from palimpsest.diffing.errors import DiffError
    from palimpsest.extractors.errors import ExtractionError
    from palimpsest.fetchers.errors import FetchError
    from palimpsest.flows.errors import PipelineError
    from palimpsest.storage.errors import StorageError

    return (FetchError, ExtractionError, StorageError, DiffError, PipelineError, SettingsError)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the packages' own errors (and bad files) into one line on stderr and exit 1."""
    try:
        yield
    except OSError as exc:
        fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    except Exception as exc:
        if isinstance(exc, _known_errors()):
            fail(str(exc))
        raise
