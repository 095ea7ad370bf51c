"""Engines for the catalog's two databases, the Alembic upgrade, and error translation.

SQLite (the default: a file beside a local store, or named by a setting for an S3 store) runs
in WAL mode, so readers never wait for the writer; writers take the lock at BEGIN (IMMEDIATE)
and wait up to BUSY_TIMEOUT for one another, so two processes archiving at once serialise
their short write transactions instead of failing. PostgreSQL is used when the catalog URL is
a postgresql+psycopg:// URL (many workers, one catalog).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from palimpsest.catalog.errors import CatalogError, CatalogUnavailable, CorruptCatalog
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

# The newest migration (catalog/migrations/versions); a test holds it equal to Alembic's head.
# Knowing it here lets opening a current catalog, or creating a new one, skip Alembic (~0.3 s).
SCHEMA_REVISION = "0003"
BUSY_TIMEOUT_MS = 60_000
MIGRATIONS = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 0x70616C69  # advisory lock id: one migrating worker at a time


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path)}"


def describe(url: str) -> str:
    """The catalog's name in messages: the file for SQLite, the URL without password else."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "(unparseable URL)"
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def _wal(cursor: Any) -> None:
    """Put the database in WAL mode (kept in the file). Switching needs the file to itself:
    while another process opens it too (two creating one catalog together), SQLite answers
    "database is locked" at once, without waiting BUSY_TIMEOUT; so try again until then."""
    give_up = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > give_up:
                raise
            time.sleep(0.02)


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Every transaction may write: take the write lock now, not at the first write, so
        # two writers never deadlock upgrading a read lock (SQLITE_BUSY without waiting).
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write", True) else "BEGIN")

    return engine


def make_engine(url: str) -> Engine:
    """An engine for `url` (sqlite:///path or postgresql+psycopg://...); CatalogUnavailable."""
    name = describe(url)
    try:
        backend = make_url(url).get_backend_name()
        if backend == "sqlite":
            return _sqlite_engine(url)
        if backend == "postgresql":
            return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise CatalogUnavailable(name, f"cannot open: {exc}") from None
    except OSError as exc:
        raise CatalogUnavailable(name, f"cannot create: {exc.strerror or exc}") from None
    raise CatalogUnavailable(name, "only sqlite:/// and postgresql+psycopg:// URLs work")


def alembic_config(connection: Any) -> Any:
    from alembic.config import Config  # only to migrate: not on every start (CLI)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        conn.info["write"] = False
        try:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        finally:
            conn.rollback()
            conn.info["write"] = True


# Alembic's own bookkeeping table, as `alembic upgrade` creates it.
_ALEMBIC_VERSION = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def create_current(conn: Connection) -> None:
    """Create the newest schema in an empty database and record its revision, as Alembic's
    "build from scratch, then stamp" recipe does: what running every migration would make (a
    test compares the two), without importing Alembic or replaying the history."""
    from palimpsest.catalog import fulltext
    from palimpsest.catalog.schema import metadata

    metadata.create_all(conn)
    fulltext.create(conn)
    _ALEMBIC_VERSION.create(conn)
    conn.execute(_ALEMBIC_VERSION.insert().values(version_num=SCHEMA_REVISION))


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision (one query when it is current).
    An empty database gets the newest schema at once, an older one Alembic's migrations."""
    if current_revision(engine) == SCHEMA_REVISION:
        return

    with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE, so one process at a time
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_MIGRATION_LOCK})
        if not inspect(conn).get_table_names():
            create_current(conn)
            return
        from alembic import command

        command.upgrade(alembic_config(conn), "head")


_CORRUPT_SIGNS = ("not a database", "malformed", "no such table", "no such column", "corrupt")


def translate(name: str, exc: SQLAlchemyError) -> CatalogError:
    """One line for a database error: damaged (with the rebuild hint) or unreachable."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    message = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    if any(sign in message.lower() for sign in _CORRUPT_SIGNS):
        return CorruptCatalog(name, f"damaged ({message})")
    return CatalogUnavailable(name, message)


@contextmanager
def guarded(name: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        raise translate(name, exc) from None
