"""The `palimpsest` console script's target: the CLI is imported when the script runs.

Extraction workers start with multiprocessing's spawn method, which runs the parent's main
script again in every child (as `__mp_main__`). The generated script imports this module, so
a worker loads this file, not the CLI with all its commands and typer (~0.15 s per worker).

Once a command has ended and every `atexit` handler has run (logging's flush, temporary
directories, multiprocessing's clean-up), the process exits without the interpreter's
teardown, which frees every object of every imported module one at a time (~0.25 s after an
archive: SQLAlchemy, numpy, httpx...) only for the OS to reclaim the memory anyway. Nothing
is lost by it: every file the commands write is closed by then, and stdout and stderr are
flushed here. Instagram's services exit the same way (`atexit.register(os._exit, 0)`).
"""

from __future__ import annotations

import atexit
import os
import sys


def main() -> None:
    status: list[int] = []
    atexit.register(_exit_now, status)  # registered first, so it runs after every other
    from palimpsest.cli import app

    try:
        app()
    except SystemExit as done:
        status.append(_exit_status(done.code))
        raise
    status.append(0)


def _exit_status(code: object) -> int:
    """The process status `raise SystemExit(code)` ends with (a message: 1, as Python does)."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _exit_now(status: list[int]) -> None:
    if not status:  # an uncaught exception: leave the exit to Python
        return
    code = status[-1]
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader went away, the disk is full: a failure
            code = code or 1
    os._exit(code)
