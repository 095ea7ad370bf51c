"""A throwaway PostgreSQL server for the test session: Debian's package (`make postgres`),
`initdb` into a temporary directory and a server on 127.0.0.1 (as the `postgres` user when
the tests run as root, since postgres refuses root). The catalog tests give each test a
database of its own on it; the Prefect API server of the session keeps its own there too."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_counter = itertools.count()


def bindir() -> Path | None:
    """Where PostgreSQL's server programs are, or None when it is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(programs: Path) -> Iterator[str]:
    """A new server from `programs` (see `bindir`); yields its URL without a database name."""
    # Not under pytest's temporary tree: that is private to root, and the server may not be.
    root = Path(tempfile.mkdtemp(prefix="palimpsest-postgres-"))
    data = root / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    port = free_port()

    def run(*args: str) -> None:
        done = subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    initdb = ("-A", "trust", "-U", "palimpsest", "-E", "UTF8", "--no-sync")
    run(str(programs / "initdb"), "-D", str(data), *initdb)
    options = f"-p {port} -h 127.0.0.1 -k {root} -F -c fsync=off"
    pg_ctl = str(programs / "pg_ctl")
    run(pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "-t", "60", "start")
    try:
        yield f"postgresql+psycopg://palimpsest@127.0.0.1:{port}"
    finally:
        run(pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def new_database(server: str, prefix: str = "catalog") -> str:
    """The URL of a new, empty database on `server` (a URL from `running`)."""
    from sqlalchemy import create_engine, text

    name = f"{prefix}_{os.getpid()}_{next(_counter)}"
    engine = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return f"{server}/{name}"
