"""Discovery at scale (synthetic): 200 feeds x 50 entries served from 127.0.0.1.

    .venv/bin/python bench/discovery.py [--feeds 200] [--entries 50]

A first discovery pass reads every feed in full and adds its entries to a fresh catalog (the
articles themselves are not fetched: that is archiving, measured elsewhere); a second pass,
with nothing changed, must cost one conditional GET per feed (a 304). A third pass after
one feed gains one entry finds exactly that entry. Baseline in the same run: the same
feeds fetched unconditionally (what a pass would cost without validators). Prints:

    bench: discovery_gets_per_feed=X discovery_unchanged_share=X discovery_seconds_per_feed=X ...
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from palimpsest.catalog import open_catalog, sqlite_url
from palimpsest.fetchers import FEED_TYPES, Fetcher, FetchSettings, make_client
from palimpsest.flows.discover import discover
from palimpsest.flows.sources import Page, SourceList
from palimpsest.storage import open_store

from palimpsest.localserver import PageServer


def atom(base: str, feed: int, entries: int) -> str:
    items = "".join(
        f"<entry><title>Story {feed}-{i}</title><id>urn:{feed}:{i}</id>"
        f"<updated>2026-12-01T10:00:00Z</updated>"
        f'<link href="{base}/2026/12/01/{feed}/{i}?utm_source=rss"/></entry>'
        for i in range(entries)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Feed {feed}</title><id>urn:{feed}</id><updated>2026-12-01T10:00:00Z</updated>"
        f"{items}</feed>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    args = parser.parse_args()
    server = PageServer()
    with server.running(), tempfile.TemporaryDirectory() as folder:
        for f in range(args.feeds):
            server.set(
                f"/feeds/{f}.atom", atom(server.base_url, f, args.entries), "application/atom+xml"
            )
        listed = SourceList(
            "bench", pages=[Page(server.url(f"/feeds/{f}.atom"), "feed") for f in range(args.feeds)]
        )
        settings = FetchSettings(host_delay=0.0, host_concurrency=8, retries=0)
        client = make_client(settings)
        fetcher = Fetcher(client, settings)
        catalog = open_catalog(sqlite_url(Path(folder) / "catalog.sqlite"))
        store = open_store(str(Path(folder) / "archive"))

        def gets() -> int:
            return sum(1 for m, p, _ in server.requests if m == "GET" and p.startswith("/feeds/"))

        started = time.perf_counter()
        first = discover(fetcher, catalog, store, listed)
        first_s = time.perf_counter() - started
        before = gets()
        started = time.perf_counter()
        second = discover(fetcher, catalog, store, listed)
        second_s = time.perf_counter() - started
        second_gets = gets() - before
        server.set(
            "/feeds/0.atom", atom(server.base_url, 0, args.entries + 1), "application/atom+xml"
        )
        third = discover(fetcher, catalog, store, listed)
        started = time.perf_counter()
        for page in listed.pages:  # the baseline: every feed fetched in full
            fetcher.fetch(page.url, None, accept=FEED_TYPES)
        full_s = time.perf_counter() - started
        client.close()
    print(f"first pass: {args.feeds} feeds, {len(first.new)} new articles in {first_s:.2f} s")
    print(
        f"unchanged pass: {second_gets} GETs for {args.feeds} feeds, {second.unchanged} "
        f"answered 304, {second_s:.2f} s (full refetch of every feed: {full_s:.2f} s)"
    )
    print(f"one entry added: {len(third.new)} new article(s) found")
    print(
        f"bench: discovery_gets_per_feed={second_gets / args.feeds:.2f} "
        f"discovery_unchanged_share={second.unchanged / args.feeds:.2f} "
        f"discovery_unchanged_vs_full_ratio={second_s / full_s:.2f} "
        f"discovery_new_found={len(first.new)}/{args.feeds * args.entries}"
    )


if __name__ == "__main__":
    main()
