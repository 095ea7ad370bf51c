"""Batches of the `archive-sources` flow: whole hosts together, at most `size` URLs each."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest
from palimpsest.flows.archive import host_batches


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


def test_ten_thousand_sources_on_200_hosts_need_a_sixteenth_of_a_task_per_url() -> None:
    batches = host_batches(_urls(200, 50), 16)
    assert len(batches) / 10_000 <= 1 / 16
