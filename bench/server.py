"""Serve the bench pages from a separate process, so the server's share of the GIL does not
slow down (or speed up) the client side being measured.

The child runs `palimpsest.localserver.PageServer` (threaded, ETag/Last-Modified, 304 on
conditional requests) on 127.0.0.1 and reports its address through a pipe.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection

FIXED_LAST_MODIFIED = "Mon, 17 Feb 2025 09:00:00 GMT"


def _serve(pages: list[tuple[str, bytes]], conn: Connection) -> None:
    from palimpsest.localserver import PageServer

    server = PageServer()
    for path, body in pages:
        server.set(path, body, last_modified=FIXED_LAST_MODIFIED)
    with server.running():
        conn.send(server.base_url)
        conn.recv()  # block until the parent says stop (or goes away)


@contextmanager
def serving(pages: list[tuple[str, bytes]]) -> Iterator[str]:
    """Yield the base URL of a page server process holding `pages` (path, body)."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_serve, args=(pages, child), daemon=True)
    proc.start()
    try:
        if not parent.poll(60):
            raise RuntimeError("bench page server did not start within 60 s")
        yield parent.recv()
    finally:
        with suppress(OSError):
            parent.send("stop")
        proc.join(timeout=10)
        if proc.is_alive():
            proc.kill()
            proc.join()
