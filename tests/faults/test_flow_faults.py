"""The same faults through the scheduled Prefect flow: the run reports every URL, fails as a
whole with a count, and the rerun after recovery completes with one version per URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from palimpsest.storage import open_store, verify

from palimpsest.flow import archive_sources, outcomes_of

pytestmark = pytest.mark.prefect


def test_flow_reports_every_fault_then_completes(
    prefect_api: str, fault_site: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = fault_site
    urls = [u for fault in (*site.FAULTS, "ok") for u in site.urls(fault)[:1]]
    for name, value in {
        "PALIMPSEST_FETCH_TIMEOUT": "3",
        "PALIMPSEST_RETRIES": "0",
        "PALIMPSEST_HOST_DELAY": "0",
        "PALIMPSEST_HOST_CONCURRENCY": "8",
        "PALIMPSEST_EXTRACT_WORKERS": "1",
    }.items():
        monkeypatch.setenv(name, value)
    store = str(tmp_path / "archive")

    state = archive_sources(urls=urls, store=store, return_state=True)
    faulty = len(urls) - 1
    assert state.is_failed()
    assert f"{faulty} of {len(urls)} URLs failed" in (state.message or "")
    outcomes = outcomes_of(state)
    assert [o.url for o in outcomes] == urls
    for o in outcomes:
        ok = site.page_of(o.url).fault == "ok"
        assert o.status == ("new" if ok else "failed"), o
        assert ok or o.error, o

    site.healthy = True
    state = archive_sources(urls=urls, store=store, return_state=True)
    assert state.is_completed(), state.message
    statuses = [o["status"] for o in state.result()]
    assert statuses == ["new"] * faulty + ["unchanged"]
    archive = open_store(store)
    assert all(len(archive.versions(u)) == 1 for u in urls)
    assert verify(archive) == []
