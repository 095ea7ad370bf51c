"""Fixtures of the fetcher tests: the local servers, a fake clock, vcr configuration.

Recorded tests (`@pytest.mark.vcr`) replay cassettes recorded once against `FixtureServer`
(`pytest tests/fetchers --record-mode=once` after deleting a cassette re-records it). The
server's random port is rewritten to `RECORDED_PORT` before a request is recorded or matched,
and in replay mode the tests aim at that port, where nothing listens: a request missing from a
cassette cannot silently reach a live server. Fault tests talk to a live `FaultServer`.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _load(name: str, filename: str) -> Any:
    """Import a helper module that sits next to this file (tests have no packages here)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(filename))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


servers = _load("fetchers_test_servers", "servers.py")
h2server = _load("fetchers_test_h2server", "h2server.py")

from palimpsest.fetchers import Fetcher, FetchSettings, make_client  # noqa: E402

RECORDED_PORT = 9  # the "discard" port: nothing answers there during replay
PREFECT_API_HOSTS = ["api.prefect.cloud"]


def _placeholder_port(request: Any) -> Any:
    """Record/match the fixture server under a fixed port; leave Prefect's API unrecorded."""
    if re.match(r"^/api(/|$)", request.path):
        return None  # Prefect's own API (ephemeral server on 127.0.0.1): never recorded
    request.uri = re.sub(r"^(https?://127\.0\.0\.1):\d+", rf"\1:{RECORDED_PORT}", request.uri)
    for name in list(request.headers):
        if name.lower() == "host":
            request.headers[name] = f"127.0.0.1:{RECORDED_PORT}"
    return request


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return {
        # "conditional" (tests/conftest.py): the same If-None-Match / If-Modified-Since
        "match_on": ["method", "scheme", "host", "port", "path", "query", "conditional"],
        "before_record_request": _placeholder_port,
        "ignore_hosts": PREFECT_API_HOSTS,
        "allow_playback_repeats": False,
        "decode_compressed_response": False,
    }


@pytest.fixture(scope="module")
def fixture_base(record_mode: str) -> Iterator[str]:
    """Base URL of the fixture pages: a live server while recording, the placeholder in replay."""
    if record_mode == "none":
        yield f"http://127.0.0.1:{RECORDED_PORT}"
        return
    server = servers.FixtureServer().start()
    try:
        yield server.base_url
    finally:
        server.stop()


def _fault_server(host: str = "127.0.0.1") -> Iterator[Any]:
    server = servers.FaultServer(host).start()
    try:
        yield server
    finally:
        server.stop()


fault = pytest.fixture(_fault_server, name="fault")
# A second fault server: a different origin (port) for per-host tests.
other_fault = pytest.fixture(_fault_server, name="other_fault")


@pytest.fixture(scope="session")
def private_fault() -> Iterator[Any]:
    """A fault server on 127.0.0.2: the "private" host of the address-guard tests."""
    yield from _fault_server("127.0.0.2")


@pytest.fixture(scope="session")
def nested_bomb() -> bytes:
    """The gzip-of-gzip bomb the fault server sends, built once per session."""
    return servers.nested_bomb()


@pytest.fixture
def h2_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An HTTP/2 TLS server whose self-signed certificate httpx trusts (via SSL_CERT_FILE,
    which httpx reads when a client is created), so the real `make_client` can be used."""
    server = h2server.H2Server(tmp_path).start()
    monkeypatch.setenv("SSL_CERT_FILE", str(server.cert))
    try:
        yield server
    finally:
        server.stop()


class FakeClock:
    """Monotonic time that only moves when told; `sleep` records the wait and (optionally)
    advances the time, so politeness and backoff are asserted exactly, without waiting."""

    def __init__(self, advance: bool = True) -> None:
        self.now = 1000.0
        self.advance = advance
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(round(seconds, 6))
            if self.advance:
                self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_fetcher(clock: FakeClock) -> Iterator[Any]:
    """`make_fetcher(backend=None, **settings)`: a Fetcher on a real client, with the fake
    clock and sleep (and `backend` as the client's network backend, when given).

    Defaults for tests: 2 s timeout, no politeness delay, seeded jitter."""
    clients = []

    def build(backend: Any = None, **overrides: Any) -> Fetcher:
        import random

        values: dict[str, Any] = {"timeout": 2.0, "host_delay": 0.0}
        values.update(overrides)
        settings = FetchSettings(**values)
        client = make_client(settings, backend=backend)
        clients.append(client)
        return Fetcher(client, settings, clock.sleep, clock=clock, rng=random.Random(7))

    yield build
    for client in clients:
        client.close()
