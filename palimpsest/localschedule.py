"""`make schedule`: a local Prefect server, the work pool, every deployment, and a worker.

    python -m palimpsest.localschedule --port 4200 --home .prefect-local

In order: refuse a port something already answers on (deploying to a server we did not start
would schedule runs somewhere else); start `prefect server start` on 127.0.0.1:<port> and wait
until it answers, failing with its log's last lines if it exits first; create the
`palimpsest` process pool if missing; `prefect deploy --all`; run a worker. The server and the
worker run in their own process groups, so Ctrl-C reaches only this process, which then stops
the worker first (its runs finish or are marked crashed while the API is still there) and the
server last.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

STARTUP_TIMEOUT = 120.0
STOP_TIMEOUT = 30.0


class ScheduleError(Exception):
    """Setting up the local schedule failed; the message says which step and why."""


def _answering(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _tail(log: Path, lines: int = 5) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return "\n".join(text[-lines:])


def _healthy(api: str) -> bool:
    try:
        return httpx.get(f"{api}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_for_server(server: subprocess.Popen, api: str, log: Path, timeout: float) -> None:
    """Until the server we started answers; its exit first (port taken, bad database, ...)
    is an error with the end of its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ScheduleError(
                f"the Prefect server exited with status {server.returncode} before answering "
                f"(log: {log})\n{_tail(log)}"
            )
        if _healthy(api):
            return
        time.sleep(0.5)
    raise ScheduleError(f"the Prefect server did not answer within {timeout:g} s (log: {log})")


def stop(proc: subprocess.Popen | None, name: str) -> None:
    """SIGTERM (Prefect shuts down gracefully on it), then SIGKILL after STOP_TIMEOUT."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=STOP_TIMEOUT)
        print(f"stopped the {name}", flush=True)
        return
    except subprocess.TimeoutExpired:
        pass
    proc.kill()
    proc.wait()
    print(f"killed the {name}", flush=True)


def run(port: int, home: Path, prefect: Sequence[str], cwd: Path) -> int:
    api = f"http://127.0.0.1:{port}/api"
    env = {
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # no telemetry unless asked for
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
    }
    home.mkdir(parents=True, exist_ok=True)
    log = home / "server.log"
    if _answering(port):
        raise ScheduleError(
            f"127.0.0.1:{port} is already in use (another Prefect server?): stop it, or pick "
            "another port with `make schedule SCHEDULE_PORT=4300`"
        )

    def prefect_cmd(*args: str, **kw: object) -> subprocess.CompletedProcess:
        return subprocess.run([*prefect, *args], env=env, cwd=cwd, **kw)  # type: ignore[call-overload]

    server = worker = None
    try:
        with log.open("ab") as out:
            server = subprocess.Popen(
                [*prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_for_server(server, api, log, STARTUP_TIMEOUT)
        pool = prefect_cmd("work-pool", "inspect", "palimpsest", capture_output=True)
        created = (
            pool.returncode == 0
            or not prefect_cmd("work-pool", "create", "palimpsest", "--type", "process").returncode
        )
        if not created:
            raise ScheduleError("could not create the `palimpsest` work pool")
        if prefect_cmd("--no-prompt", "deploy", "--all").returncode:
            raise ScheduleError("`prefect deploy --all` failed (its output is above)")
        print(
            f"Prefect UI: http://127.0.0.1:{port}  (Ctrl-C stops the worker, then the server)",
            flush=True,
        )
        worker = subprocess.Popen(
            [*prefect, "worker", "start", "--pool", "palimpsest"],
            env=env, cwd=cwd, start_new_session=True,
        )  # fmt: skip
        return worker.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        stop(worker, "worker")
        stop(server, "Prefect server")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m palimpsest.localschedule")
    parser.add_argument("--port", type=int, default=4200)
    parser.add_argument("--home", type=Path, default=Path(".prefect-local"))
    parser.add_argument(
        "--prefect",
        default=str(Path(sys.executable).with_name("prefect")),
        help="the Prefect CLI to run (default: the one beside this Python)",
    )
    args = parser.parse_args(argv)
    # Ctrl-C or a SIGTERM (from make, say) ends the worker's wait below; SIGINT is set
    # explicitly because a shell's background job starts with it ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return run(args.port, args.home.resolve(), [args.prefect], Path.cwd())
    except ScheduleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
