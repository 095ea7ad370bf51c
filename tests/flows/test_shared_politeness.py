"""Per-host politeness across workers: two flow-run processes archive URLs of one live local
host through one Prefect server (the session's), with the shared limits and without them.

The site takes HOLD seconds to answer, and a slot's holder starts its requests CONCURRENCY x
SPACING apart (flows/politeness.py), so both limits bind: 2 requests in flight, and at most 2
starts in any 2 x SPACING seconds. Without the shared limits each process keeps them only for
itself, and the two together exceed both.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from palimpsest.fetchers import Fetcher, FetchError, FetchSettings, make_client
from palimpsest.fetchers.politeness import TooLongAWait
from palimpsest.flows.politeness import SLOTS, PrefectHostLimits, host_key
from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL, temporary_settings

pytestmark = pytest.mark.prefect
REPO = Path(__file__).parents[2]
WORKER = Path(__file__).with_name("politeness_worker.py")
HOLD, SPACING, CONCURRENCY, PER_WORKER = 0.8, 0.5, 2, 5
# The site sees a request later than its start was granted, by up to ~0.2 s measured on a
# two-core machine at load 15 (the worker process waiting for a core): half the spacing.
TOLERANCE = SPACING / 2
RENDEZVOUS = 60.0  # seconds the site waits for the second worker's first request


@dataclass(frozen=True)
class Visit:
    agent: str
    path: str
    arrived: float
    ended: float


class SlowSite:
    """Article pages on 127.0.0.1, each answer HOLD seconds after its request arrived; every
    request's arrival and end (after its last byte was sent) are recorded.

    After `reset(rendezvous=True)` no request is answered before requests of two user agents
    have arrived (or RENDEZVOUS seconds passed): on a loaded machine one worker process may
    start seconds after the other, and the two must compete for the host for the test to say
    anything."""

    def __init__(self) -> None:
        self.body = (REPO / "palimpsest" / "demo_pages" / "minerals-wire.html").read_bytes()
        self.visits: list[Visit] = []
        self._lock = threading.Lock()
        self._agents: set[str] = set()
        self._both_here = threading.Event()
        self._both_here.set()
        self.base_url = ""

    def reset(self, rendezvous: bool) -> None:
        with self._lock:
            self.visits.clear()
            self._agents.clear()
            if rendezvous:
                self._both_here.clear()
            else:
                self._both_here.set()

    def release(self) -> None:
        """Answer every request at once again (a rendezvous that never met must not hold the
        next test's requests)."""
        self._both_here.set()

    def _arrive(self, agent: str) -> None:
        with self._lock:
            self._agents.add(agent)
            if len(self._agents) >= 2:
                self._both_here.set()
        self._both_here.wait(RENDEZVOUS)

    @contextmanager
    def running(self) -> Iterator[SlowSite]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                arrived = time.monotonic()
                site._arrive(self.headers.get("User-Agent", ""))
                time.sleep(HOLD)
                found = self.path != "/robots.txt"
                body = site.body if found else b"none"
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                visit = Visit(
                    self.headers.get("User-Agent", ""), self.path, arrived, time.monotonic()
                )
                with site._lock:
                    site.visits.append(visit)

            def log_message(self, *args: object) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        self.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
        try:
            yield self
        finally:
            httpd.shutdown()
            httpd.server_close()


@pytest.fixture(scope="module")
def slow_site() -> Iterator[SlowSite]:
    with SlowSite().running() as site:
        yield site


def two_workers(api: str, site: SlowSite, work: Path, shared: bool) -> list[Visit]:
    """Run two worker processes, PER_WORKER URLs each, started together; the visits."""
    env = {
        **os.environ,
        "PREFECT_API_URL": api,
        "PALIMPSEST_HOST_DELAY": str(SPACING),
        "PALIMPSEST_HOST_CONCURRENCY": str(CONCURRENCY),
        "PALIMPSEST_SHARED_LIMITS": "1" if shared else "0",
        "PALIMPSEST_EXTRACT_WORKERS": "1",
        "PALIMPSEST_RETRIES": "0",
    }
    work.mkdir()
    go, workers = work / "go", []
    site.reset(rendezvous=True)
    for name in ("worker-a", "worker-b"):
        urls = [f"{site.base_url}/{name}/{i}" for i in range(PER_WORKER)]
        args = [work / f"{name}.ready", go, work / name, *urls]
        workers.append(
            subprocess.Popen(
                [sys.executable, WORKER, *args],
                env={**env, "PALIMPSEST_USER_AGENT": name},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    try:
        deadline = time.monotonic() + 90
        while not all((work / f"{n}.ready").exists() for n in ("worker-a", "worker-b")):
            assert all(w.poll() is None for w in workers), [w.communicate()[0] for w in workers]
            assert time.monotonic() < deadline, "the workers did not start in 90 s"
            time.sleep(0.05)
        go.touch()
        outputs = [w.communicate(timeout=120)[0] for w in workers]
    finally:
        for w in workers:
            w.kill()
        site.release()
    for worker, output in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, output
        assert output.count(" new") == PER_WORKER, output  # every URL archived
    return sorted(site.visits, key=lambda v: v.arrived)


def in_flight(visits: list[Visit]) -> int:
    """The most requests in flight at once (at each arrival: those arrived and not ended)."""
    return max(sum(o.arrived <= v.arrived < o.ended - 0.01 for o in visits) for v in visits)


def most_starts_within(visits: list[Visit], seconds: float) -> int:
    """The most requests that arrived within `seconds` of each other."""
    times = [v.arrived for v in visits]
    return max(sum(t <= u < t + seconds for u in times) for t in times)


def test_two_workers_keep_the_host_limits_together_only_when_shared(
    prefect_api: str, slow_site: SlowSite, tmp_path: Path
) -> None:
    visits = two_workers(prefect_api, slow_site, tmp_path / "shared", shared=True)
    agents = [v.agent for v in visits]
    assert sorted(set(agents)) == ["worker-a", "worker-b"]
    assert len(visits) == 2 * (PER_WORKER + 1)  # each worker's robots.txt, then its pages
    # the two really competed: their requests interleave
    assert agents.index("worker-b") < len(agents) - 1 - agents[::-1].index("worker-a")
    assert agents.index("worker-a") < len(agents) - 1 - agents[::-1].index("worker-b")
    window = CONCURRENCY * SPACING - TOLERANCE
    assert in_flight(visits) <= CONCURRENCY
    assert most_starts_within(visits, window) <= CONCURRENCY

    # the control: the same two workers, each keeping the limits for itself only
    alone = two_workers(prefect_api, slow_site, tmp_path / "alone", shared=False)
    assert in_flight(alone) > CONCURRENCY
    assert most_starts_within(alone, window) > CONCURRENCY


def test_limit_names_carry_the_host_only() -> None:
    assert host_key("https://user:secret@News.Example.COM:443/a?b=c") == "news.example.com"
    assert host_key("http://127.0.0.1:8080") == "127.0.0.1:8080"
    assert host_key("http://[::1]:81/x") == "[::1]:81"
    assert host_key("http://ex%41mple.com/") == "ex_41mple.com"  # never a character Prefect bans


def test_limits_are_created_once_and_follow_the_settings(prefect_api: str) -> None:
    """Two fetchers' limits on one host: the second finds the limit made; new settings update
    it; a slot stays with its process after the request (cooling down) until `close`."""
    host = "http://limits.example:8080"
    first = PrefectHostLimits(FetchSettings(host_concurrency=3, host_delay=0.0))
    second = PrefectHostLimits(FetchSettings(host_concurrency=1, host_delay=0.0))
    try:
        with first.slot(host, None):
            first.start(host, 0.0, None)
        with get_client(sync_client=True) as client:
            made = client.read_global_concurrency_limit_by_name(SLOTS + host_key(host))
            assert (made.limit, made.slot_decay_per_second, made.active_slots) == (3, 0.0, 1)
            first.close()
            freed = client.read_global_concurrency_limit_by_name(SLOTS + host_key(host))
            assert freed.active_slots == 0
            with second.slot(host, None):
                second.start(host, 0.0, None)
                held = client.read_global_concurrency_limit_by_name(SLOTS + host_key(host))
                assert (held.limit, held.active_slots) == (1, 1)
    finally:
        first.close()
        second.close()


def test_slots_space_their_starts_and_cool_down_in_the_process(prefect_api: str) -> None:
    """Delay 0.4 s, 2 slots: a run of requests takes a second slot rather than wait for the
    first, then the first again 2 x 0.4 s after its start; both stay with the process after
    the requests (another worker cannot have one), the next request takes a cooling one over
    (and may not start before its spacing is over); released at `close`."""
    host = "http://spacing.example"
    waits: list[float] = []
    limits = PrefectHostLimits(FetchSettings(host_concurrency=2), sleep=waits.append)
    other = PrefectHostLimits(FetchSettings(host_concurrency=2))
    name = SLOTS + host_key(host)
    with get_client(sync_client=True) as client:
        taken = lambda: client.read_global_concurrency_limit_by_name(name).active_slots  # noqa: E731
        try:
            for _ in range(3):
                with limits.slot(host, None):
                    limits.start(host, 0.4, None)
            assert len(waits) == 1 and 0.5 < waits[0] <= 0.8
            assert taken() == 2
            with pytest.raises(TooLongAWait), other.slot(host, 0.2):
                pass
            with limits.slot(host, None):
                assert taken() == 2  # a cooling slot, not a third
                with pytest.raises(TooLongAWait):
                    limits.start(host, 0.4, 0.1)
        finally:
            limits.close()
            other.close()
        assert taken() == 0


def test_a_slot_not_had_within_the_wait_is_refused(prefect_api: str) -> None:
    host = "http://busy.example"
    one, other = (PrefectHostLimits(FetchSettings(host_concurrency=1)) for _ in range(2))
    try:
        with one.slot(host, None), pytest.raises(TooLongAWait), other.slot(host, 0.2):
            pass
    finally:
        one.close()
        other.close()


def test_an_unreachable_server_fails_the_url_on_one_line(slow_site: SlowSite) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    settings = FetchSettings(obey_robots=False, retries=0)
    url = slow_site.base_url + "/page"
    with (
        temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{closed}/api"}),
        make_client(settings) as client,
    ):
        fetcher = Fetcher(client, settings, shared=PrefectHostLimits(settings))
        with pytest.raises(FetchError) as failed:
            fetcher.fetch(url)
        fetcher.close()
    key = host_key(slow_site.base_url)
    assert str(failed.value) == (
        f"{url}: the Prefect concurrency limits ({SLOTS}{key}) are unavailable: ConnectError"
    )
    assert not [v for v in slow_site.visits if v.path == "/page"]  # never fetched impolitely


class CountingClient:
    """A Prefect client that counts the calls made through it."""

    def __init__(self, client: object) -> None:
        self.client, self.calls = client, Counter[str]()

    def __getattr__(self, name: str) -> object:
        self.calls[name] += 1
        return getattr(self.client, name)


def test_a_run_of_one_hosts_requests_takes_its_slot_once(
    prefect_api: str, slow_site: SlowSite
) -> None:
    """Requests to one host one after another (a batch): one slot taken from the server for
    all of them; another worker cannot have it meanwhile; free after `close`."""
    settings = FetchSettings(host_concurrency=1, host_delay=0.0, obey_robots=False, retries=0)
    other = PrefectHostLimits(settings)
    name = SLOTS + host_key(slow_site.base_url)
    with make_client(settings) as client, get_client(sync_client=True) as api:
        counting = CountingClient(api)
        fetcher = Fetcher(client, settings, shared=PrefectHostLimits(settings, client=counting))  # type: ignore[arg-type]
        try:
            for i in range(3):
                assert fetcher.fetch(f"{slow_site.base_url}/run/{i}").status == 200
                assert api.read_global_concurrency_limit_by_name(name).active_slots == 1
            assert counting.calls["increment_concurrency_slots_with_lease"] == 1
            with pytest.raises(TooLongAWait), other.slot(slow_site.base_url, 0.2):
                pass
        finally:
            fetcher.close()
            other.close()
        assert api.read_global_concurrency_limit_by_name(name).active_slots == 0


def test_threads_of_one_process_take_turns_on_one_slot(
    prefect_api: str, slow_site: SlowSite
) -> None:
    """One slot, two threads: one fetches two pages one after another, the other one page
    meanwhile; all are fetched (nobody waits for a slot its own process cools), never two at
    once."""
    settings = FetchSettings(
        host_concurrency=1, host_delay=0.0, obey_robots=False, retries=0, deadline=8.0
    )
    url = slow_site.base_url + "/turns/{}"
    got: dict[int, object] = {}
    with make_client(settings) as client:
        fetcher = Fetcher(client, settings, shared=PrefectHostLimits(settings))

        def fetch(*pages: int) -> None:
            for page in pages:
                try:
                    got[page] = fetcher.fetch(url.format(page)).status
                except FetchError as exc:
                    got[page] = str(exc)

        threads = [threading.Thread(target=fetch, args=p) for p in ((0, 1), (2,))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        fetcher.close()
    assert got == {0: 200, 1: 200, 2: 200}
    assert in_flight([v for v in slow_site.visits if v.path.startswith("/turns/")]) == 1
