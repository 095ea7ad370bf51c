"""The `archive-sources` Prefect flow under a real (test-harness) Prefect API."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from uuid import UUID

import pytest
from palimpsest.storage.keys import url_hash
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.logging.handlers import APILogHandler

from palimpsest.demo import edit
from palimpsest.flow import archive_sources, outcomes_of
from palimpsest.localserver import PageServer

pytestmark = pytest.mark.prefect


async def _run_records(runs: set[UUID]) -> tuple[list, list, list]:
    """Artifacts, task runs and log lines of these flow runs (the API is shared)."""
    await APILogHandler.aflush()
    async with get_client() as client:
        artifacts = await client.read_artifacts()
        task_runs = await client.read_task_runs()
        logs = await client.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=list(runs)))
        )
    return (
        [a for a in artifacts if a.flow_run_id in runs],
        [t for t in task_runs if t.flow_run_id in runs],
        logs,
    )


def test_flow_archives_reports_and_publishes_artifacts(
    prefect_api: str,
    live_site: PageServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Two runs against a live server, the page edited between them (so the second run sees
    the edit), and what the Prefect UI then shows: task states, logs, artifacts."""
    site = live_site
    caplog.set_level(logging.INFO, logger="prefect.task_runs")  # the suite's default: WARNING
    monkeypatch.setenv("PALIMPSEST_HOST_DELAY", "0")
    monkeypatch.setenv("PALIMPSEST_EXTRACT_WORKERS", "2")  # the process pool path
    store = str(tmp_path / "archive")
    wire, missing = site.url("/minerals-wire"), site.url("/gone")

    state = archive_sources(urls=[wire, missing], store=store, return_state=True)
    runs = {state.state_details.flow_run_id}
    assert state.is_failed() and "1 of 2 URLs failed" in (state.message or "")
    assert (state.message or "").endswith(f": {missing}")  # the failed URLs, named
    outcomes = {o.url: o for o in outcomes_of(state)}
    assert (outcomes[wire].status, outcomes[wire].version) == ("new", 1)
    assert (outcomes[missing].status, outcomes[missing].error) == ("failed", "HTTP 404 Not Found")

    edited = edit(site.pages["/minerals-wire"].body.decode())
    said = "<p>Kyiv's negotiators said they would answer the proposal within days.</p>"
    site.set("/minerals-wire", edited.replace("</article>", said + "</article>", 1))
    state = archive_sources(urls=[wire], store=store, return_state=True)
    runs.add(state.state_details.flow_run_id)
    assert state.is_completed(), state.message
    (outcome,) = state.result()
    assert (outcome["status"], outcome["version"]) == ("changed", 2)
    assert len(site.requested("/minerals-wire")) == 2  # one GET per run, the edit was seen

    artifacts, task_runs, logs = asyncio.run(_run_records(runs))
    (diff,) = [a for a in artifacts if a.key and a.key.startswith("diff-")]
    port = site.base_url.rsplit(":", 1)[1]
    assert diff.key == f"diff-127-0-0-1-{port}-minerals-wire-{url_hash(wire)}"
    assert "Bessent" in str(diff.data) and "Kyiv's negotiators" in str(diff.data)
    tables = [a for a in artifacts if a.key and a.key.startswith("archive-outcomes-adhoc-")]
    assert len(tables) == 2 and all(wire in str(t.data) for t in tables)
    assert len({t.key for t in tables}) == 1  # one store, one key: the UI keeps its history
    assert any(missing in str(t.data) and "HTTP 404 Not Found" in str(t.data) for t in tables)
    # one task run per batch; too few URLs to fill the task threads: a batch each. A failed
    # URL's task still ends Completed, its message counting the outcomes
    by_name = sorted((t.name, t.state.type.value, t.state.message) for t in task_runs)
    assert by_name == [
        ("archive 1 URL(s) of 127.0.0.1", "COMPLETED", message)
        for message in ("1 changed", "1 failed", "1 new")
    ]
    messages = [log.message for log in logs]
    assert "failed: HTTP 404 Not Found" in messages  # each URL's outcome, in its task
    assert any(m.startswith("new v1: ") for m in messages)
    assert any(m.startswith("changed v2: ") for m in messages)
    assert not [m for m in messages if "Unexpected result" in m or "Traceback" in m]
    assert "Unexpected result" not in caplog.text and "TypeError" not in caplog.text


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


def test_a_failed_url_fails_neither_its_batch_nor_the_others(
    prefect_api: str, live_site: PageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """34 URLs on one host: batches of 3 (enough for the 16 task threads), one task run each;
    the 33 missing pages fail alone, the flow run ends Failed naming them."""
    monkeypatch.setenv("PALIMPSEST_HOST_DELAY", "0")
    monkeypatch.setenv("PALIMPSEST_EXTRACT_WORKERS", "1")
    wire = live_site.url("/minerals-wire")
    missing = [live_site.url(f"/gone-{i}") for i in range(33)]
    urls = [missing[0], wire, *missing[1:]]
    state = archive_sources(urls=urls, store=str(tmp_path / "archive"), return_state=True)
    message = state.message or ""
    assert state.is_failed() and message.startswith("33 of 34 URLs failed (33 failed, 1 new): ")
    assert message.endswith(f"{missing[19]} and 13 more")  # the first 20 are named
    assert [(o.url, o.status) for o in outcomes_of(state)] == [
        (u, "new" if u == wire else "failed") for u in urls
    ]
    _, task_runs, logs = asyncio.run(_run_records({state.state_details.flow_run_id}))
    assert sorted(t.state.message for t in task_runs) == [
        "1 failed",  # the 34th URL
        "2 failed, 1 new",
        *["3 failed"] * 10,
    ]
    assert {t.state.type.value for t in task_runs} == {"COMPLETED"}
    assert sum(log.message == "failed: HTTP 404 Not Found" for log in logs) == 33
