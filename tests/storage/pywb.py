"""pywb (webrecorder's replay server) in its own virtualenv, run as a subprocess on 127.0.0.1.

pywb pins werkzeug==3.1.7 (moto and flask use werkzeug too) and redis==2.10.6, so it gets a
venv of its own: `make pywb` makes
`.venv-pywb` (PyPI's pywb, PYWB_VERSION); the fixture makes it the same way if it is missing.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from .seaweed import die_with_parent

PYWB_VERSION = "2.10.0"
VENV = Path(__file__).resolve().parents[2] / ".venv-pywb"


def wayback_binary() -> Path:
    wayback = VENV / "bin" / "wayback"
    if not wayback.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "--quiet", f"pywb=={PYWB_VERSION}"],
            check=True,
            timeout=900,
        )
    return wayback


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_pywb(
    directory: Path, collections: dict[str, dict[str, str]]
) -> tuple[subprocess.Popen, str]:
    """`wayback` serving `collections` (name -> {index, archive_paths}) from `directory`."""
    (directory / "config.yaml").write_text(json.dumps({"collections": collections}))
    port = free_port()
    log = (directory / "pywb.log").open("wb")
    proc = subprocess.Popen(
        [str(wayback_binary()), "--bind", "127.0.0.1", "-p", str(port)],
        cwd=directory,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=die_with_parent,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"pywb exited: {(directory / 'pywb.log').read_text()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("pywb did not start in 120 s")
