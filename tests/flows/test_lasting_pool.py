"""The flow's extraction pool (`open_pipeline(keep_pool=True)`): not started by a run that
extracts nothing, started by the first page, and the same warm workers in the next run."""

from __future__ import annotations

import multiprocessing
from dataclasses import replace
from pathlib import Path

from palimpsest.extractors.pool import Limits
from palimpsest.flows.context import close_lasting_pools, lasting_pool, open_pipeline
from palimpsest.flows.pipeline import archive_url

from palimpsest.demo import edit
from palimpsest.localserver import PageServer
from tests.flows.conftest import config_for


def _workers() -> set[int]:
    return {p.pid for p in multiprocessing.active_children() if p.pid is not None}


def test_the_pool_starts_with_the_first_page_and_stays_warm(
    tmp_path: Path, mock_site: PageServer
) -> None:
    url = mock_site.url("/minerals-wire")
    # limits of its own, so no other test's lasting pool is this one
    config = replace(config_for(tmp_path / "archive"), extract_limits=Limits(timeout=29.5))
    try:
        with open_pipeline(config, transport=mock_site.transport, keep_pool=True) as pipe:
            pool = lasting_pool(config)
            assert pool is not None and not pool.started  # nothing extracted yet
            before = _workers()
            assert archive_url(url, pipe).status == "new"
            assert pool.started
            started = _workers() - before
            assert len(started) == 1
        assert started <= _workers()  # the run ended, its workers did not
        with open_pipeline(config, transport=mock_site.transport, keep_pool=True) as pipe:
            assert archive_url(url, pipe).status == "unchanged"  # a 304: nothing extracted
            mock_site.set("/minerals-wire", edit(mock_site.pages["/minerals-wire"].body.decode()))
            assert archive_url(url, pipe).status == "changed"
            assert lasting_pool(config) is pool and _workers() - before == started
    finally:
        close_lasting_pools()
    assert not started & _workers()
