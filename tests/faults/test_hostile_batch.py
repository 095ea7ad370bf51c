"""Issue 13's hostile server, end to end: one `palimpsest archive` batch of hostile URLs and
good ones, in a subprocess. Every hostile URL fails alone, on one line naming it and the
reason, in bounded time and memory; the good URLs are archived; no secret is printed.

The hostile server is the fetcher suite's `FaultServer` on 127.0.0.1; a second one on
127.0.0.2 plays the private host (refused with PALIMPSEST_ALLOW_PRIVATE=0, 127.0.0.1 being
allowed explicitly). Link-local targets are covered at the address check
(tests/fetchers/test_hostile.py): nothing here leaves 127.0.0.0/8.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from palimpsest.storage import open_store
from warcio.archiveiterator import ArchiveIterator

DEADLINE = 5.0  # PALIMPSEST_FETCH_DEADLINE for the run: each hostile fetch is cut there
EXTRACT_TIMEOUT = 8.0  # generous: a loaded CI machine still extracts a story in well under 1 s


def _servers() -> Any:
    path = Path(__file__).resolve().parents[1] / "fetchers" / "servers.py"
    spec = importlib.util.spec_from_file_location("faults_hostile_servers", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


servers = _servers()


@pytest.fixture(scope="module")
def hostile() -> Iterator[tuple[Any, Any, Any]]:
    """The hostile origin, one whose robots.txt is a bomb, and the "private" one."""
    started = [servers.FaultServer().start() for _ in range(2)]
    private = servers.FaultServer(host="127.0.0.2").start()
    started[1].robots = "bomb"
    servers.nested_bomb()
    try:
        yield started[0], started[1], private
    finally:
        for server in [*started, private]:
            server.stop()


def run_batch(urls: list[str], store: Path) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """`palimpsest archive --json` in a child; (result, seconds, peak RSS of the child tree)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PALIMPSEST_", "PREFECT_API"))}
    env.update(
        PALIMPSEST_FETCH_DEADLINE=str(DEADLINE),
        PALIMPSEST_FETCH_TIMEOUT="2",
        PALIMPSEST_TRANSFER_TIMEOUT="3",
        PALIMPSEST_EXTRACT_TIMEOUT=str(EXTRACT_TIMEOUT),
        PALIMPSEST_RETRIES="1",
        PALIMPSEST_HOST_DELAY="0",
        PALIMPSEST_HOST_CONCURRENCY="16",
        PALIMPSEST_ALLOW_PRIVATE="0",
        PALIMPSEST_ALLOW_NETWORKS="127.0.0.1/32",
        PALIMPSEST_CACHE_DIR=os.environ["PALIMPSEST_CACHE_DIR"],  # the suite's, not the user's
    )
    # A small parent measures the child tree's peak RSS (the CLI and its extraction workers).
    measure = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stderr.write(f'\\nPEAK_RSS_KB={peak}\\n'); sys.exit(done.returncode)\n"
    )
    command = [sys.executable, "-m", "palimpsest.cli", "archive", *urls]
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", measure, *command, "--store", str(store), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    seconds = time.monotonic() - started
    peak = int(done.stderr.rsplit("PEAK_RSS_KB=", 1)[1].split()[0])
    return done, seconds, peak


def test_a_hostile_batch_fails_url_by_url_and_archives_the_rest(hostile, tmp_path) -> None:
    site, bomb_robots, private = hostile
    port = site.port
    hostile_urls = {
        site.url("/nested-bomb"): "too large",
        site.url("/drip-head?every=0.5"): "deadline",
        site.url("/continue?every=0.1"): "deadline",
        site.url("/attributes"): f"extraction took over {EXTRACT_TIMEOUT:g} s",
        "http://xn--zz-.example/": "invalid host",
        site.url("/redirect?to=http://xn--zz-.example/"): "redirects to an unusable URL",
        "http://" + "a" * 60 + "." + "b" * 200 + ".example/": "longer than 253",
        f"http://admin:secret@127.0.0.1:{port}/story": "credentials",
        site.url("/leaky-redirect"): "redirects to an unusable URL 'http://***@127.0.0.1",
        site.url(f"/redirect?to={private.url('/story')}"): "127.0.0.2: loopback",
        f"http://127.0.0.1:{port}/story?a=1\r\nX-Injected: 1": "malformed",
    }
    redirected = site.url("/redirect?code=301&to=/story?n=4")
    good = [site.url("/story?n=1"), redirected, bomb_robots.url("/story?n=3")]
    urls = [good[0], *hostile_urls, good[1], good[2]]

    done, seconds, peak_kb = run_batch(urls, tmp_path / "archive")

    assert done.returncode == 1  # some URLs failed
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert "secret" not in done.stdout + done.stderr
    assert "X-Injected" not in done.stdout.replace("%0D%0AX-Injected", "")  # no raw CR/LF
    outcomes = json.loads(done.stdout)
    assert len(outcomes) == len(urls)
    by_status = {o["url"]: o for o in outcomes}
    for url in good:
        assert by_status[url]["status"] == "new", by_status[url]
    failed = [o for o in outcomes if o["status"] == "failed"]
    assert len(failed) == len(hostile_urls)
    for outcome, expected in zip(failed, hostile_urls.values(), strict=True):
        assert expected in outcome["error"], outcome
        assert "\n" not in outcome["error"] and "\r" not in outcome["error"]
    assert private.requests == []  # the private host never saw a request
    assert bomb_robots.count("/robots.txt") == 1
    store = open_store(str(tmp_path / "archive"))
    assert sorted(store.urls()) == sorted(good)
    # The redirected page's capture holds the 301 (the URL archived) and then the page.
    warc = store.get_raw(store.latest(redirected).raw_key)
    records = [
        (r.rec_headers.get_header("WARC-Target-URI"), r.http_headers.get_statuscode())
        for r in ArchiveIterator(BytesIO(warc))
        if r.rec_type == "response"
    ]
    assert records == [(redirected, "301"), (site.url("/story?n=4"), "200")]
    # Bounded: the batch runs concurrently, each hostile URL is cut at its deadline.
    assert seconds < 60, seconds
    assert peak_kb < 1024 * 1024, f"peak RSS {peak_kb} kB"
    print(f"hostile batch: {len(urls)} URLs in {seconds:.1f} s, peak RSS {peak_kb // 1024} MB")
