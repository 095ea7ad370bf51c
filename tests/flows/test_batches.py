"""Batches of the `archive-sources` flow: whole hosts together, at most `size` URLs each."""

from __future__ import annotations

import threading
from collections import Counter
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from palimpsest.flows.archive import BATCH_RETRIES, host_batches, run_archive
from palimpsest.flows.context import open_pipeline
from palimpsest.storage import LocalBackend, ObjectStore, StoreUnavailable
from palimpsest.storage.keys import source_root
from prefect import flow
from prefect.states import State

from palimpsest.flow import outcomes_of
from palimpsest.localserver import PageServer

from .conftest import config_for


def _urls(hosts: int, per_host: int) -> list[str]:
    return [f"http://127.1.0.{h + 1}:8000/story/{i}" for i in range(per_host) for h in range(hosts)]


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""


@pytest.mark.parametrize(("hosts", "per_host", "size"), [(200, 5, 16), (7, 40, 16), (3, 2, 1)])
def test_every_url_once_in_batches_of_at_most_size(hosts: int, per_host: int, size: int) -> None:
    urls = _urls(hosts, per_host)
    batches = host_batches(urls + urls[:3], size)  # a URL listed twice is archived once
    flat = [u for b in batches for u in b]
    assert sorted(flat) == sorted(urls)
    assert all(1 <= len(b) <= size for b in batches)
    # each host in as few batches as it can be: one when it fits, else ceil(per_host / size)
    spread = Counter(h for b in batches for h in {_host(u) for u in b})
    assert len(spread) == hosts
    assert set(spread.values()) == {-(-per_host // size)}


def test_hosts_take_turns_inside_a_batch() -> None:
    (batch,) = host_batches(_urls(3, 2), 16)
    assert [_host(u) for u in batch] == ["127.1.0.1", "127.1.0.2", "127.1.0.3"] * 2


def test_a_hosts_batches_take_turns_with_other_hosts() -> None:
    """Batches run 16 at a time: a host's own batches come a round of all hosts apart (the
    10k-source recheck ran 3x slower when one host's batches came one after another)."""
    batches = host_batches(_urls(40, 50), 16)  # per host 3 batches of its own, 2 URLs packed
    at: dict[str, list[int]] = {}
    for i, b in enumerate(batches):
        if len({_host(u) for u in b}) == 1:
            at.setdefault(_host(b[0]), []).append(i)
    assert len(at) == 40 and all(len(places) == 3 for places in at.values())
    assert min(b - a for places in at.values() for a, b in pairwise(places)) >= 40


def test_ten_thousand_sources_on_200_hosts_need_a_sixteenth_of_a_task_per_url() -> None:
    batches = host_batches(_urls(200, 50), 16)
    assert len(batches) / 10_000 <= 1 / 16


class FlakyBackend(LocalBackend):
    """A local store whose writes under a source's folder fail `faults[url]` times with
    StoreUnavailable (as an S3 endpoint that drops out would), then succeed."""

    def __init__(self, root: Path, faults: dict[str, int]) -> None:
        super().__init__(root)
        self._faults = {source_root(url): left for url, left in faults.items()}
        self._lock = threading.Lock()

    def create(self, key: str, data: bytes) -> bool:
        with self._lock:
            root = next((r for r, left in self._faults.items() if left and key.startswith(r)), None)
            if root is not None:
                self._faults[root] -= 1
        if root is not None:
            raise StoreUnavailable(f"cannot write {key} in {self.location}: store unreachable")
        return super().create(key, data)


@pytest.mark.prefect
def test_a_retried_batch_skips_the_urls_it_finished(
    prefect_api: str, live_site: PageServer, tmp_path: Path
) -> None:
    """17 URLs of one host: batches of two. The store drops out once on the second URL of the
    first batch (its retry archives it without fetching the first again) and for good on the
    second URL of the next batch (its first URL stays archived, the second fails with the
    store's reason); a missing page fails alone. The run ends Failed naming both."""
    body = live_site.pages["/minerals-wire"].body
    paths = [f"/story-{i}" for i in range(17)]
    for path in paths[:5] + paths[6:]:
        live_site.set(path, body)
    urls = [live_site.url(p) for p in paths]  # paths[5] is missing: 404
    config = config_for(tmp_path / "archive")
    faults = {urls[1]: 1, urls[3]: BATCH_RETRIES + 1}

    @flow(name="archive-with-a-flaky-store")
    def archive_flaky() -> State:
        with open_pipeline(config) as pipe:
            pipe.store = ObjectStore(FlakyBackend(tmp_path / "archive", faults))
            return run_archive(pipe, urls)

    state = archive_flaky(return_state=True)
    assert state.is_failed()
    assert (state.message or "").startswith("2 of 17 URLs failed (2 failed, 15 new): ")
    assert (state.message or "").endswith(f": {urls[3]}, {urls[5]}")
    outcomes = {o.url: o for o in outcomes_of(state)}
    assert [outcomes[u].status for u in urls] == ["new"] * 3 + ["failed", "new", "failed"] + [
        "new"
    ] * 11
    assert "store unreachable" in (outcomes[urls[3]].error or "")  # the batch's last reason
    assert outcomes[urls[5]].error == "HTTP 404 Not Found"
    # one GET per URL, but for the retried ones: each attempt fetched only the URLs its
    # batch had not finished
    fetched = {p: len(live_site.requested(p)) for p in paths}
    assert fetched == {p: {paths[1]: 2, paths[3]: 3}.get(p, 1) for p in paths}
