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

from palimpsest import __version__, terminal
from palimpsest.errors import PalimpsestError
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


USAGE = 2  # exit status for options that cannot be used (as click's own usage errors)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"palimpsest {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_show_version
        ),
    ] = False,
) -> None:
    """Archive news articles and show how they change."""
    terminal.install()
    settings()  # a bad setting stops every command alike, before any work


@cache
def settings() -> Settings:
    """The process's settings, read from the environment once."""
    try:
        return Settings.from_env()
    except SettingsError as exc:
        fail(str(exc), USAGE)


def store_spec(store: str | None) -> str:
    return store or settings().store


def open_store(store: str | None, *, missing_ok: bool = False) -> Any:
    """Open the store named by --store (or the default) for reading; errors become one line.

    A store that is not there (a typo) is an error naming it: only `archive` creates a store.
    `missing_ok`: the command can say something useful without one (`sources`)."""
    from palimpsest.storage import open_store as _open

    with user_errors():
        opened = _open(store_spec(store))
        if not missing_ok and not _is_there(opened):
            fail(
                f"{opened.location}: no archive there (check --store or $PALIMPSEST_STORE; "
                "only `archive` creates one)"
            )
        return opened


def _is_there(store: Any) -> bool:
    """A local store is there when its directory is; an S3 one when its prefix holds any
    object (a bucket that is missing or refused is already an error when listed)."""
    root = getattr(store.backend, "root", None)
    if root is not None:
        return bool(root.is_dir())
    return next(iter(store.backend.list("")), None) is not None


def print_json(value: Any) -> None:
    dumped = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(terminal.escape_json(dumped) + "\n")


def echo(text: str, *, err: bool = False) -> None:
    """Print a line that may hold page text (titles, article text, reasons), made inert."""
    typer.echo(terminal.clean(text), err=err)


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {terminal.clean(message)}", err=True)
    raise typer.Exit(code)


def refuse(message: str) -> NoReturn:
    """Options that cannot be honoured together: one line, exit 2, nothing done."""
    fail(message, USAGE)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the packages' own errors (and bad files) into one line on stderr and exit 1."""
    try:
        yield
    except PalimpsestError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
