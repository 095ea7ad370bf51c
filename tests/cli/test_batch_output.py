"""Issue 11.6: `archive` of many URLs prints each outcome as it finishes, with a bar on a tty.

The real command runs in a subprocess against pages on 127.0.0.1; one page is held back by
the server, and the test reads the other URLs' lines while that one is still in flight.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from palimpsest.localserver import PageServer

PAGES = Path(__file__).parents[2] / "palimpsest" / "demo_pages"
ENV = {"PALIMPSEST_HOST_DELAY": "0", "PALIMPSEST_RETRIES": "0", "COLUMNS": "120"}


@pytest.fixture
def server() -> PageServer:
    server = PageServer()
    for page in sorted(PAGES.glob("*.html")):
        server.set(f"/{page.stem}", page.read_text(encoding="utf-8"))
    with server.running():
        yield server


def _command(store: Path, *urls: str) -> list[str]:
    return [sys.executable, "-m", "palimpsest.cli", "archive", *urls, "--store", str(store)]


def test_each_outcome_is_printed_while_the_batch_runs(server: PageServer, tmp_path: Path) -> None:
    held = server.hold("/minerals-wire")
    slow = server.url("/minerals-wire")
    fast = [server.url("/minerals-analysis"), server.url("/minerals-rewrite")]
    with subprocess.Popen(
        _command(tmp_path / "archive", slow, *fast),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **ENV},
    ) as proc:
        assert proc.stdout is not None
        early = [proc.stdout.readline(), proc.stdout.readline()]
        still_running = proc.poll() is None
        held.set()
        rest = proc.stdout.read().splitlines()
    assert still_running  # the held page was not served yet, the others were reported
    assert sorted(line.split()[2] for line in early) == sorted(fast)
    assert all(line.startswith("new ") for line in early)
    assert rest[0].split()[:3] == ["new", "v1", slow]
    assert rest[1:] == ["3 URLs: 3 new"]
    assert proc.returncode == 0


def test_a_terminal_gets_a_progress_bar_with_counts(server: PageServer, tmp_path: Path) -> None:
    urls = [server.url("/minerals-analysis"), server.url("/minerals-rewrite"), server.url("/x")]
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        _command(tmp_path / "archive", *urls),
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, **ENV, "TERM": "xterm"},
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert proc.wait(timeout=60) == 1
    screen = b"".join(chunks).decode("utf-8", errors="replace")
    assert "━" in screen and "0/3" in screen  # rich's bar, with the count of URLs
    assert "2 new, 1 failed" in screen  # the counts so far, in the bar and the summary
    assert "3 URLs: 2 new, 1 failed" in screen
