"""With a Prefect API configured, `palimpsest archive` runs the flow, so the run shows in the UI."""

from __future__ import annotations

import asyncio

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
    before = len(asyncio.run(_archive_flow_runs()))

    url = site.url("/minerals-analysis")
    (outcome,) = cli.json("archive", url)
    assert (outcome["url"], outcome["status"], outcome["version"]) == (url, "new", 1)

    runs = asyncio.run(_archive_flow_runs())
    assert len(runs) == before + 1
    assert runs[0].state and runs[0].state.is_completed()
