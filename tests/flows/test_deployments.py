"""prefect.yaml against a real `prefect server` on 127.0.0.1: deploy, run, worker, artifacts.

Subprocesses cannot replay cassettes, so the page comes from a live local server.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from palimpsest.localserver import PageServer

pytestmark = pytest.mark.prefect
REPO = Path(__file__).parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    # A scheduled run that fires while the worker is up reads these, never the repo's
    # sources.yaml (its feeds are on the internet): nothing leaves 127.0.0.0/8.
    quiet = home / "sources.yaml"
    quiet.write_text("sources: []\n", encoding="utf-8")
    env = {
        **os.environ,
        "PALIMPSEST_SOURCES_FILE": str(quiet),
        "PALIMPSEST_STORE": str(home / "scheduled-archive"),
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PALIMPSEST_HOST_DELAY": "0",
        "PALIMPSEST_EXTRACT_WORKERS": "1",
    }
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, (home / "server.log").read_text()
            assert time.monotonic() < deadline, "prefect server did not start in 120 s"
            time.sleep(0.5)
        yield env
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def run(env: dict[str, str], *args: str | Path, timeout: float = 180) -> str:
    result = subprocess.run(
        [str(a) for a in args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_deploy_run_and_worker(server_env: dict[str, str], tmp_path: Path) -> None:
    env = server_env
    store = tmp_path / "archive"
    run(env, BIN / "prefect", "work-pool", "create", "palimpsest", "--type", "process")
    run(env, BIN / "prefect", "--no-prompt", "deploy", "--all")

    deployments = httpx.post(f"{env['PREFECT_API_URL']}/deployments/filter", json={}).json()
    by_name = {d["name"]: d for d in deployments}
    assert {"hourly", "daily"} <= set(by_name)
    crons = {n: [s["schedule"]["cron"] for s in d["schedules"]] for n, d in by_name.items()}
    assert crons["hourly"] == ["0 * * * *"] and crons["daily"] == ["30 5 * * *"]
    assert all(d["work_pool_name"] == "palimpsest" for d in deployments)
    # The Run form: every parameter typed and described (the flow's docstring `Args:`).
    form = by_name["hourly"]["parameter_openapi_schema"]["properties"]
    assert set(form) == {
        "urls",
        "sources_file",
        "store",
        "due_only",
        "period_minutes",
        "dask_address",
        "batch_size",
    }
    assert all(p.get("description") and ("type" in p or "anyOf" in p) for p in form.values())

    site = PageServer()
    site.set("/story", (REPO / "palimpsest" / "demo_pages" / "minerals-wire.html").read_bytes())
    site.set("/other", (REPO / "palimpsest" / "demo_pages" / "minerals-rewrite.html").read_bytes())
    worker_log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [BIN / "prefect", "worker", "start", "--pool", "palimpsest"],
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        with site.running():
            url = site.url("/story")
            out = run(
                env,
                BIN / "prefect",
                "deployment",
                "run",
                "archive-sources/hourly",
                "--param",
                f"urls={json.dumps([url])}",
                "--param",
                f"store={store}",
                "--watch",
                timeout=300,
            )
            assert "Completed" in out, out
            # The CLI's way for users with workers: trigger, wait, print the outcome.
            other = site.url("/other")
            out = run(
                env,
                BIN / "palimpsest",
                "archive",
                "--deployment",
                "hourly",
                url,
                other,
                "--store",
                str(store),
                "--json",
                timeout=300,
            )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        worker_log.close()

    outcomes = {o["url"]: o for o in json.loads(out)}
    assert (outcomes[url]["status"], outcomes[url]["version"]) == ("unchanged", 1)
    assert (outcomes[other]["status"], outcomes[other]["version"]) == ("new", 1)
    versions = run(env, BIN / "palimpsest", "versions", url, "--store", str(store), "--json")
    assert [v["version"] for v in json.loads(versions)] == [1]
    artifacts = run({**env, "COLUMNS": "250"}, BIN / "prefect", "artifact", "ls")
    assert "archive-outcomes-hourly-" in artifacts  # keyed by the deployment (and store)
