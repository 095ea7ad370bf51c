"""Suite-wide set-up: every test run gets its own Prefect home, with analytics off.

This runs before any test module imports Prefect, so Prefect reads these values.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import postgres

if TYPE_CHECKING:
    from palimpsest.localserver import PageServer

_PREFECT_HOME = tempfile.mkdtemp(prefix="palimpsest-prefect-home-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PALIMPSEST_CACHE_DIR"] = tempfile.mkdtemp(prefix="palimpsest-cache-")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PREFECT_API_URL", None)

# The user's own cache folder, which no test may write to (an S3 store's catalog and the
# seed corpus go to PALIMPSEST_CACHE_DIR above; a test that builds a child's environment
# or a PipelineConfig by hand must pass it on): checked when the session ends.
_USER_CACHE = Path.home() / ".cache" / "palimpsest"
_STARTED = time.time()


def written_since(folder: Path, since: float) -> list[Path]:
    """Files under `folder` modified at or after `since` (none if it does not exist)."""
    found = []
    for path in folder.rglob("*") if folder.is_dir() else ():
        with suppress(OSError):  # removed meanwhile
            if path.is_file() and path.stat().st_mtime >= since:
                found.append(path)
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if a test wrote to the user's cache folder, naming the files."""
    written = written_since(_USER_CACHE, _STARTED)
    if written:
        names = ", ".join(str(p) for p in written[:5])
        print(f"\ntests wrote to the user's cache folder (use PALIMPSEST_CACHE_DIR): {names}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _prefect_api_url() -> str | None:
    try:
        from prefect.settings import PREFECT_API_URL
    except ImportError:
        return None
    return PREFECT_API_URL.value() or None


def _skip_prefect_api(request):  # type: ignore[no-untyped-def]
    """Cassettes hold the pages' HTTP only, never Prefect's own API calls."""
    api = _prefect_api_url()
    return None if api and request.uri.startswith(api) else request


def _same_conditional_headers(r1, r2) -> None:  # type: ignore[no-untyped-def]
    """Replay fails unless a request carries the validators that were recorded, so a test can
    prove that the second fetch of a page was conditional (vcr's headers ignore case)."""
    for name in ("If-None-Match", "If-Modified-Since"):
        assert r1.headers.get(name) == r2.headers.get(name), f"{name} differs"


def pytest_recording_configure(config, vcr) -> None:  # type: ignore[no-untyped-def]
    vcr.register_matcher("conditional", _same_conditional_headers)


@pytest.fixture(scope="module")
def vcr_config() -> dict:
    return {
        "before_record_request": _skip_prefect_api,
        "match_on": ["method", "scheme", "host", "port", "path", "query", "conditional"],
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server on 127.0.0.1 (without a database name), one a session."""
    programs = postgres.bindir()
    if programs is None:
        pytest.skip("PostgreSQL is not installed (make postgres)")
    with postgres.running(programs) as server:
        yield server


@pytest.fixture(scope="session")
def prefect_api(request: pytest.FixtureRequest) -> Iterator[str]:
    """A Prefect API server for the whole session, on a database of the session's PostgreSQL
    server (~12 s to start here). Prefect on SQLite, the test harness's database, stalls when
    worker processes write at once ("database is locked"; a two-worker test then waits out
    its deadline), so the harness is only the fallback where PostgreSQL is not installed."""
    from prefect.settings import PREFECT_API_URL

    if postgres.bindir() is None:
        from prefect.testing.utilities import prefect_test_harness

        with prefect_test_harness(server_startup_timeout=120):
            yield PREFECT_API_URL.value()
        return
    database = postgres.new_database(request.getfixturevalue("postgres_server"), "prefect")
    with prefect_server(database.replace("+psycopg:", "+asyncpg:", 1)) as api:
        yield api


@contextmanager
def prefect_server(database: str) -> Iterator[str]:
    """Prefect's API server in a subprocess (as the test harness runs it) on `database`; the
    settings of this process point at it meanwhile. Yields the API URL."""
    from prefect.context import _temporary_global_settings_context, get_settings_context
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_SERVER_DATABASE_CONNECTION_URL,
        temporary_settings,
    )

    with temporary_settings({PREFECT_SERVER_DATABASE_CONNECTION_URL: database}):
        server = SubprocessASGIServer(port=postgres.free_port())
        server.start(timeout=120)
    try:
        # and in the settings threads see (they do not inherit the context's), as the
        # harness does it (prefect is pinned below 3.9 for such details)
        with (
            temporary_settings({PREFECT_API_URL: server.api_url}),
            _temporary_global_settings_context(get_settings_context()),
        ):
            yield server.api_url
            with suppress(RuntimeError):  # no log was sent
                APILogWorker.instance().drain()
            EventsWorker.drain_all()  # before the server goes, not into it
    finally:
        server.stop()


REPO = Path(__file__).parents[1]
RECORD_PORT = 48117  # fixed, so recorded URLs stay valid when replaying without a server


def demo_pages(server: PageServer) -> PageServer:
    """`server` with (only) the demo article pages, its request log empty."""
    server.pages.clear()
    server.requests.clear()
    for page in sorted((REPO / "palimpsest" / "demo_pages").glob("*.html")):
        server.set(
            f"/{page.stem}",
            page.read_text(encoding="utf-8"),
            last_modified="Mon, 17 Feb 2025 09:00:00 GMT",
        )
    return server


@pytest.fixture(scope="session")
def _live_server() -> Iterator[PageServer]:
    from palimpsest.localserver import PageServer

    with PageServer().running() as server:
        yield server


@pytest.fixture
def live_site(_live_server: PageServer) -> PageServer:
    """The demo article pages on a live server on 127.0.0.1 (one per session, pages reset for
    each test): for tests that change a page between two runs, which a cassette cannot do."""
    return demo_pages(_live_server)


@pytest.fixture
def mock_site() -> PageServer:
    """The demo pages, for a pipeline on `mock_site.transport` (httpx.MockTransport, no
    socket). Port 1 only names it: a fetch that bypassed the transport is refused, locally."""
    from palimpsest.localserver import PageServer

    return demo_pages(PageServer(port=1))


@pytest.fixture
def site(record_mode: str) -> Iterator[PageServer]:
    """The demo article pages, served on 127.0.0.1 when recording; when replaying from a
    cassette the server is not started (nothing would reach it)."""
    from palimpsest.localserver import PageServer

    server = demo_pages(PageServer(port=RECORD_PORT))
    if record_mode == "none":
        yield server
    else:
        with server.running():
            yield server


@pytest.fixture
def boto3_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Point boto3's standard configuration at an S3 endpoint, as a user would (environment
    only, no ~/.aws files), with the given keys."""

    def point_at(endpoint: str, access_key: str, secret: str) -> None:
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", access_key)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)

    return point_at
