"""The `archive-sources` Prefect flow under a real (test-harness) Prefect API."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import UUID

import pytest
from palimpsest.flows.archive import archive_sources
from prefect.client.orchestration import get_client

from palimpsest.demo import edit
from palimpsest.localserver import PageServer

pytestmark = pytest.mark.prefect


async def _artifacts_and_task_names(runs: set[UUID]) -> tuple[list, list[str]]:
    """Artifacts and task run names of these flow runs (the API is shared by the session)."""
    async with get_client() as client:
        artifacts = await client.read_artifacts()
        task_runs = await client.read_task_runs()
    return (
        [a for a in artifacts if a.flow_run_id in runs],
        [t.name for t in task_runs if t.flow_run_id in runs],
    )


@pytest.mark.vcr
def test_flow_archives_reports_and_publishes_artifacts(
    prefect_api: str, site: PageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PALIMPSEST_HOST_DELAY", "0")
    monkeypatch.setenv("PALIMPSEST_EXTRACT_WORKERS", "2")  # the process pool path
    store = str(tmp_path / "archive")
    wire, missing = site.url("/minerals-wire"), site.url("/gone")

    state = archive_sources(urls=[wire, missing], store=store, return_state=True)
    runs = {state.state_details.flow_run_id}
    assert state.is_failed() and "1 of 2 URLs failed" in (state.message or "")
    outcomes = {o["url"]: o for o in state.result(raise_on_failure=False)}
    assert outcomes[wire]["status"] == "new" and outcomes[wire]["version"] == 1
    assert outcomes[missing]["status"] == "failed" and "404" in outcomes[missing]["error"]

    site.set("/minerals-wire", edit(site.pages["/minerals-wire"].body.decode()))
    state = archive_sources(urls=[wire], store=store, return_state=True)
    runs.add(state.state_details.flow_run_id)
    assert state.is_completed(), state.message
    (outcome,) = state.result()
    assert (outcome["status"], outcome["version"]) == ("changed", 2)

    artifacts, task_names = asyncio.run(_artifacts_and_task_names(runs))
    keys = {a.key for a in artifacts}
    assert "archive-outcomes" in keys
    diffs = [a for a in artifacts if a.key and a.key.startswith("diff-")]
    assert diffs and any("Bessent" in str(a.data) for a in diffs)
    tables = [a for a in artifacts if a.key == "archive-outcomes"]
    assert len(tables) == 2 and all(wire in str(t.data) for t in tables)
    assert any(missing in str(t.data) and "failed" in str(t.data) for t in tables)
    assert sorted(task_names) == sorted(
        [f"archive {wire}", f"archive {missing}", f"archive {wire}"]
    )


@pytest.mark.vcr
def test_a_scheduled_run_archives_only_what_is_due(
    prefect_api: str, site: PageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PALIMPSEST_HOST_DELAY", "0")
    monkeypatch.setenv("PALIMPSEST_EXTRACT_WORKERS", "1")
    store = str(tmp_path / "archive")
    sources = tmp_path / "sources.yaml"
    urls = [site.url("/minerals-rewrite"), site.url("/minerals-analysis")]
    sources.write_text("sources:\n" + "".join(f"  - url: {u}\n" for u in urls), "utf-8")

    state = archive_sources(sources_file=str(sources), store=store, return_state=True)
    assert sorted(o["url"] for o in state.result()) == sorted(urls)  # never archived: due

    state = archive_sources(sources_file=str(sources), store=store, return_state=True)
    assert state.is_completed() and state.result() == []  # just changed: next check in 15 min

    state = archive_sources(
        sources_file=str(sources), store=store, due_only=False, return_state=True
    )
    assert [o["status"] for o in state.result()] == ["unchanged", "unchanged"]  # full sweep
