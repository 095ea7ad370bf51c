"""The per-URL pipeline without Prefect: new -> unchanged (conditional GET) -> changed."""

from __future__ import annotations

import pytest
from palimpsest.diffing import diff_versions
from palimpsest.flows.context import Pipeline
from palimpsest.flows.pipeline import archive_url

from palimpsest.demo import edit
from palimpsest.localserver import PageServer


@pytest.mark.vcr
def test_new_unchanged_changed(site: PageServer, pipeline: Pipeline) -> None:
    url = site.url("/minerals-wire")

    first = archive_url(url, pipeline)
    assert (first.status, first.version, first.error) == ("new", 1, None)
    assert first.title and "Rare Earth" in first.title
    assert first.seeds[0]["seed"].startswith("002_"), first.seeds

    again = archive_url(url, pipeline)  # the cassette only matches a conditional request
    assert (again.status, again.version) == ("unchanged", 1)

    site.set("/minerals-wire", edit(site.pages["/minerals-wire"].body.decode()))
    changed = archive_url(url, pipeline)
    assert (changed.status, changed.version) == ("changed", 2)
    assert changed.changes and changed.changes["edited"] >= 1

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
    assert "404" in (outcome.error or "") and missing in (outcome.error or "")
    assert pipeline.store.versions(missing) == []

    bad = archive_url("ftp://example.com/x", pipeline)
    assert bad.status == "failed" and "ftp://example.com/x" in (bad.error or "")
