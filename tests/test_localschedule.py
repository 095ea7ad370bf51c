"""Issue 11.18: `make schedule` takes its port from a variable, deploys only to the server it
started, and on Ctrl-C stops the worker before the server.

The orchestration runs for real (processes, signals, a port on 127.0.0.1); the Prefect CLI it
drives is a small stand-in script that logs what it was asked to do and when it stopped, so
the order of events can be read back (a real server and worker take ~30 s to start here;
tests/flows/test_deployments.py covers deploying to a real one).
"""

from __future__ import annotations

import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FAKE_PREFECT = """\
import http.server, os, signal, sys, time
log = open(os.environ["FAKE_LOG"], "a", buffering=1)
args = sys.argv[1:]
log.write(" ".join(args) + "\\n")
def stopping(what):
    def handler(*_):
        log.write(what + " stopped\\n")
        os._exit(0)
    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
if args[:2] == ["server", "start"]:
    if os.environ.get("FAKE_SERVER_FAILS"):
        print("ERROR: the database is locked")
        sys.exit(3)
    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
        def log_message(self, *a):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(args[-1])), Health)
    stopping("server")
    server.serve_forever()
elif args[:2] == ["worker", "start"]:
    stopping("worker")
    log.write("worker running\\n")
    while True:
        time.sleep(0.1)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def fake_prefect(tmp_path: Path) -> Path:
    script = tmp_path / "prefect"
    script.write_text(f"#!{sys.executable}\n{FAKE_PREFECT}")
    script.chmod(0o755)
    return script


def _start(tmp_path: Path, fake: Path, port: int, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "palimpsest.localschedule", "--port", str(port),
         "--home", str(tmp_path / "home"), "--prefect", str(fake)],
        env={**os.environ, "FAKE_LOG": str(tmp_path / "log"), **env},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _log(tmp_path: Path) -> list[str]:
    path = tmp_path / "log"
    return path.read_text().splitlines() if path.exists() else []


def test_ctrl_c_stops_the_worker_then_the_server(tmp_path: Path, fake_prefect: Path) -> None:
    port = _free_port()
    proc = _start(tmp_path, fake_prefect, port)
    deadline = time.monotonic() + 60
    while "worker running" not in _log(tmp_path):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)  # what Ctrl-C delivers to the foreground process
    out, _ = proc.communicate(timeout=60)
    log = _log(tmp_path)
    assert log[0] == f"server start --host 127.0.0.1 --port {port}"
    assert log[1:4] == [
        "work-pool inspect palimpsest",
        "--no-prompt deploy --all",
        "worker start --pool palimpsest",
    ]
    assert log[-2:] == ["worker stopped", "server stopped"]
    assert f"Prefect UI: http://127.0.0.1:{port}" in out
    assert proc.returncode == 130


def test_a_port_already_answering_is_refused_before_anything_starts(
    tmp_path: Path, fake_prefect: Path
) -> None:
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        port = other.server_address[1]
        proc = _start(tmp_path, fake_prefect, port)
        _, err = proc.communicate(timeout=60)
    finally:
        other.shutdown()
        other.server_close()
    assert proc.returncode == 1
    assert err.strip().splitlines()[0].startswith(f"error: 127.0.0.1:{port} is already in use")
    assert _log(tmp_path) == []  # no server started, nothing deployed


def test_a_server_that_fails_to_start_stops_everything(tmp_path: Path, fake_prefect: Path) -> None:
    proc = _start(tmp_path, fake_prefect, _free_port(), FAKE_SERVER_FAILS="1")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "the Prefect server exited with status 3 before answering" in err
    assert "the database is locked" in err  # the end of its log
    assert [line.split()[0] for line in _log(tmp_path)] == ["server"]  # nothing deployed


def test_make_passes_the_port() -> None:
    dry = subprocess.run(
        ["make", "-n", "schedule", "SCHEDULE_PORT=4321"], cwd=ROOT, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert "-m palimpsest.localschedule --port 4321 " in dry.stdout
