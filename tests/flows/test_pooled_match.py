"""The seed match of a new version runs in the extraction workers when the pipeline has some
(`Pipeline.seed_matches`): the same matches as in the calling thread, under the pool's
deadline."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest
from palimpsest.extractors.pool import Limits
from palimpsest.flows.context import open_pipeline
from palimpsest.flows.pipeline import archive_url

from palimpsest.localserver import PageServer
from tests.flows.conftest import config_for


def test_a_pooled_pipeline_stores_the_matches_its_workers_found(
    tmp_path: Path, mock_site: PageServer
) -> None:
    url = mock_site.url("/minerals-wire")
    plain = config_for(tmp_path / "plain")
    with open_pipeline(plain, transport=mock_site.transport) as pipe:
        assert pipe.pool is None
        here = archive_url(url, pipe)
    assert here.status == "new" and here.seeds[0]["seed"].startswith("002_")

    pooled = replace(config_for(tmp_path / "pooled"), extract_limits=Limits(timeout=30.0))
    with open_pipeline(pooled, transport=mock_site.transport) as pipe:
        assert pipe.pool is not None and pipe.seeds is None  # the workers hold the corpus
        there = archive_url(url, pipe)
        stored = pipe.store.latest(url)
    assert there.status == "new" and there.seeds == here.seeds
    assert stored is not None and stored.diff["seeds"] == here.seeds


def test_a_match_no_worker_could_finish_stores_the_version_without_matches(
    tmp_path: Path, mock_site: PageServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The worker running the match dies (killed, as by the kernel's OOM killer): the version
    is stored with no seed matches and one warning naming the URL; the pool replaces the
    worker and the next version is matched again."""
    url = mock_site.url("/minerals-wire")
    pooled = replace(config_for(tmp_path / "pooled"), extract_limits=Limits(timeout=30.0))
    with open_pipeline(pooled, transport=mock_site.transport) as pipe:
        assert pipe.pool is not None
        text = pipe.extract(mock_site.pages["/minerals-wire"].body, url, None).text
        (worker,) = pipe.pool._all
        worker.process.kill()
        worker.process.join()
        with caplog.at_level(logging.WARNING, logger="palimpsest.flows.context"):
            assert pipe.seed_matches(text, url) == []
        assert [r.getMessage() for r in caplog.records] == [
            f"{url}: the worker died during seed match: stored without seed matches"
        ]
        assert pipe.seed_matches(text, url)[0]["seed"].startswith("002_")
