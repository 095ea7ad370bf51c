"""A catalog that lags the store (its worker died between the two writes) is caught up by
the next run, without a duplicate version."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from palimpsest.catalog import sqlite_url
from palimpsest.flows.context import open_pipeline
from palimpsest.flows.pipeline import archive_url

from palimpsest.demo import edit
from palimpsest.localserver import PageServer

from ..flows.conftest import config_for


def test_a_lagging_catalog_is_caught_up_on_the_next_run(live_site: PageServer, tmp_path: Path):
    url = live_site.url("/minerals-wire")
    config = replace(config_for(tmp_path / "archive"), catalog=sqlite_url(tmp_path / "a.sqlite"))
    other = replace(config, catalog=sqlite_url(tmp_path / "b.sqlite"))  # another worker's
    with open_pipeline(config) as pipe:
        assert archive_url(url, pipe).status == "new"
    live_site.set("/minerals-wire", edit(live_site.pages["/minerals-wire"].body.decode()))
    with open_pipeline(other) as elsewhere:  # v2 reaches the store; catalog a never hears
        assert archive_url(url, elsewhere).version == 2

    with open_pipeline(config) as pipe:
        assert pipe.catalog is not None
        lagging = pipe.catalog.catalog.timeline(url)
        assert lagging is not None and [v.seq for v in lagging.versions] == [1]
        outcome = archive_url(url, pipe)
        caught_up = pipe.catalog.catalog.timeline(url)

    assert outcome.version == 2  # the store's newest, not a third copy of it
    assert caught_up is not None and [v.seq for v in caught_up.versions] == [1, 2]
    assert [r.version for r in pipe.store.versions(url)] == [1, 2]
