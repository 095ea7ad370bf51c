"""The real pipeline against a site that fails in every common way, then recovers.

First run: every URL is reported, each faulty one as `failed` with its URL and a reason, and
nothing of it is stored. Second run, the site healthy again: the failed URLs are archived,
the others are unchanged (conditional GET), every URL has exactly one version holding the
full page text, and the store's fixity check passes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from palimpsest.extractors import extract
from palimpsest.flows.context import PipelineConfig
from palimpsest.storage import open_store, verify

Configure = Callable[..., PipelineConfig]

# What a failure's reason must mention, per fault (lower case); several fetch paths may
# report a stalled or broken body (timeout, truncation, reset), so those accept any of them.
BROKEN_BODY = ("timed out", "timeout", "truncated", "reset", "closed", "incomplete", "broke")
EXPECTED_REASON: dict[str, tuple[str, ...]] = {
    "status500": ("500",),
    "reset": BROKEN_BODY,
    "truncated": BROKEN_BODY,
    "chunked_reset": BROKEN_BODY,
    "stall_headers": BROKEN_BODY,
    "stall_body": BROKEN_BODY,
    "wrong_type": ("content type",),
    "redirect_loop": ("redirect",),
}


def _expected_text(site: Any, url: str) -> str:
    return extract(site.page_of(url).body, url).text


def test_every_fault_reported_then_recovered_without_partial_or_duplicate_versions(
    fault_site: Any, config_for: Configure, archive_in_process: Any, tmp_path: Path
) -> None:
    site = fault_site
    urls = site.urls()
    assert len(urls) >= 40 and {p.fault for p in site.pages.values()} == {*site.FAULTS, "ok"}
    store_dir = str(tmp_path / "archive")
    config = config_for(store_dir)

    first = archive_in_process(urls, config)
    assert [o.url for o in first] == urls  # every URL reported, in order
    for outcome in first:
        fault = site.page_of(outcome.url).fault
        if fault == "ok":
            assert (outcome.status, outcome.version) == ("new", 1), outcome
            continue
        assert outcome.status == "failed", f"{fault}: {outcome}"
        error = (outcome.error or "").lower()
        assert any(word in error for word in EXPECTED_REASON[fault]), f"{fault}: {error}"

    store = open_store(store_dir)
    for url in urls:
        stored = store.versions(url)
        if site.page_of(url).fault == "ok":
            assert [r.version for r in stored] == [1]
        else:
            assert stored == [], f"a failed fetch left a version of {url}"

    site.healthy = True
    second = archive_in_process(urls, config)
    assert [o.url for o in second] == urls
    for outcome in second:
        expected = "unchanged" if site.page_of(outcome.url).fault == "ok" else "new"
        assert (outcome.status, outcome.version) == (expected, 1), outcome

    for url in urls:
        (record,) = store.versions(url)  # exactly one version: no duplicate
        assert record.text == _expected_text(site, url)  # the whole page, not a truncated one
        assert site.page_of(url).last_sentence in record.text
    assert verify(store) == []


TRANSIENT = ("status500", "reset", "truncated", "chunked_reset", "stall_headers", "stall_body")


def test_retries_archive_a_flaky_site_in_one_run(
    fault_site: Any, config_for: Configure, archive_in_process: Any, tmp_path: Path
) -> None:
    """Every transient fault, once per URL: one retry is enough, and nothing is doubled."""
    site = fault_site
    site.heal_after = 1
    urls = [u for fault in TRANSIENT for u in site.urls(fault)]
    store_dir = str(tmp_path / "archive")

    outcomes = archive_in_process(urls, config_for(store_dir, retries=1))
    assert [(o.url, o.status, o.version) for o in outcomes] == [(u, "new", 1) for u in urls]
    store = open_store(store_dir)
    for url in urls:
        assert site.hits[url.removeprefix(site.base_url)] == 2  # the failure, then the retry
        (record,) = store.versions(url)
        assert record.text == _expected_text(site, url)
    assert verify(store) == []
