"""The per-URL pipeline without Prefect: new -> unchanged (conditional GET) -> changed."""

from __future__ import annotations

import pytest
from palimpsest.diffing import diff_versions
from palimpsest.flows.context import Pipeline
from palimpsest.flows.pipeline import archive_url

from palimpsest.demo import edit
from palimpsest.localserver import PageServer


def test_new_unchanged_changed(mock_site: PageServer, mock_pipeline: Pipeline) -> None:
    """Three runs over one page served through the transport seam: each step's page is the
    one the test set, so the edit between the second and third run is what the third sees."""
    url, pipeline = mock_site.url("/minerals-wire"), mock_pipeline

    first = archive_url(url, pipeline)
    assert (first.status, first.version, first.error) == ("new", 1, None)
    assert first.title and "Rare Earth" in first.title
    assert first.seeds[0]["seed"].startswith("002_"), first.seeds

    etag = mock_site.pages["/minerals-wire"].etag
    again = archive_url(url, pipeline)
    assert (again.status, again.version) == ("unchanged", 1)
    assert mock_site.requested("/minerals-wire")[-1]["if-none-match"] == etag  # conditional

    mock_site.set("/minerals-wire", edit(mock_site.pages["/minerals-wire"].body.decode()))
    changed = archive_url(url, pipeline)
    assert (changed.status, changed.version) == ("changed", 2)
    assert changed.changes and changed.changes["edited"] >= 1
    assert mock_site.requested("/minerals-wire")[-1]["if-none-match"] == etag  # it had changed

    records = pipeline.store.versions(url)
    assert [r.version for r in records] == [1, 2]
    assert "Bassent" in records[0].text and "Bessent" not in records[0].text
    assert "Bessent" in records[1].text
    diff = diff_versions(records[0].text, records[1].text)
    assert any("Bassent" in e.before and "Bessent" in e.after for e in diff.edited)
    assert records[1].raw_key and pipeline.store.get_raw(records[1].raw_key)[:2] == b"\x1f\x8b"


@pytest.mark.vcr
def test_failures_are_outcomes_naming_the_url(site: PageServer, pipeline: Pipeline) -> None:
    missing = site.url("/no-such-article")
    outcome = archive_url(missing, pipeline)
    assert outcome.status == "failed" and outcome.version is None
    assert (outcome.url, outcome.error) == (missing, "HTTP 404 Not Found")
    assert pipeline.store.versions(missing) == []

    bad = archive_url("ftp://example.com/x", pipeline)
    assert bad.url == "ftp://example.com/x" and bad.status == "failed" and bad.error
