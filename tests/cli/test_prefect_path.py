"""With a Prefect API configured, `palimpsest archive` runs the flow, so the run shows in the UI."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowFilter, FlowFilterName

from palimpsest.app import settings
from palimpsest.localserver import PageServer

pytestmark = pytest.mark.prefect


async def _archive_flow_runs() -> list:
    async with get_client() as client:
        flow_filter = FlowFilter(name=FlowFilterName(any_=["archive-sources"]))
        return await client.read_flow_runs(flow_filter=flow_filter)


@pytest.mark.vcr
def test_archive_runs_through_prefect_when_an_api_is_set(  # type: ignore[no-untyped-def]
    cli, site: PageServer, prefect_api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", prefect_api)
    monkeypatch.setenv("PALIMPSEST_EXTRACT_WORKERS", "1")
    settings.cache_clear()
    before = {run.id for run in asyncio.run(_archive_flow_runs())}

    url = site.url("/minerals-analysis")
    (outcome,) = cli.json("archive", url)
    assert (outcome["url"], outcome["status"], outcome["version"]) == (url, "new", 1)

    (run,) = [run for run in asyncio.run(_archive_flow_runs()) if run.id not in before]
    assert run.state and run.state.is_completed()


def test_a_failed_url_reads_the_same_with_or_without_prefect(
    prefect_api: str, live_site: PageServer, tmp_path: Path
) -> None:
    """`palimpsest archive` of an ordinary 404, as a user runs it (a process of its own, with
    Prefect's default INFO logging): with PREFECT_API_URL set the run goes through Prefect,
    yet the terminal shows the same one line, no Prefect logs, no traceback."""
    url = live_site.url("/gone")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {"PALIMPSEST_HOST_DELAY": "0", "PALIMPSEST_EXTRACT_WORKERS": "1"}
    env |= {"PREFECT_LOGGING_LEVEL": "INFO"}
    palimpsest = Path(sys.executable).with_name("palimpsest")

    def archive(**extra: str) -> subprocess.CompletedProcess[str]:
        argv = [palimpsest, "archive", url, "--store", str(tmp_path / "archive")]
        return subprocess.run(
            argv, env=env | extra, capture_output=True, text=True, timeout=180, check=False
        )

    before = {run.id for run in asyncio.run(_archive_flow_runs())}
    plain, through_prefect = archive(), archive(PREFECT_API_URL=prefect_api)
    (run,) = [r for r in asyncio.run(_archive_flow_runs()) if r.id not in before]
    assert run.state and run.state.is_failed()  # it did run the flow, which says so
    assert plain.returncode == through_prefect.returncode == 1
    assert (through_prefect.stdout, through_prefect.stderr) == (plain.stdout, plain.stderr)
    assert url in plain.stdout and "HTTP 404" in plain.stdout and plain.stdout.count(url) == 1
    assert "Traceback" not in plain.stderr + plain.stdout
