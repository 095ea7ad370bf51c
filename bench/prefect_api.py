"""A temporary Prefect API server for the bench: `prefect server start` as a subprocess on
127.0.0.1, with its own PREFECT_HOME and its log in a file.

A separate process, as in a real deployment, so the API server's work does not share the
bench process's GIL with the flow being timed (the in-process test harness would).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def prefect_server(home: Path, timeout: float = 120) -> Iterator[str]:
    """Start the server, wait for /api/health, set PREFECT_API_URL here; yield the API URL."""
    import httpx

    home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    prefect = Path(sys.executable).with_name("prefect")
    log_path = home / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"prefect server did not start; its log ends:\n{tail}")
                time.sleep(0.5)
            os.environ["PREFECT_API_URL"] = api
            yield api
        finally:
            os.environ.pop("PREFECT_API_URL", None)
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
