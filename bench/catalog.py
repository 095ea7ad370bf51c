"""The catalog at scale (synthetic): due selection, `list`, `changes`, `timeline`, `search`.

    .venv/bin/python bench/catalog.py                  # 100k sources, SQLite (minutes: building it)
    .venv/bin/python bench/catalog.py --sources 10000 --postgres postgresql+psycopg://...

Builds a catalog of N sources (3 versions and 3 checks each on average, a tag per source out
of 100, 2% changed in the last day, 1% failing) in bulk, with the derived columns computed by
the same schedule the pipeline uses, then times each read (p50 / p90 of 21 runs; 5 for the
whole list). Baseline, measured in the same run: the scheduler's old state read,
`store.latest(url)` per source from a local store of --store-sources sources, scaled to N
(the store has no index: one listing and one record read per source). Prints one line:

    bench: due_p50_ms=X list_p50_ms=X list_all_p50_ms=X changes_p50_ms=X due_vs_store_ratio=R
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TAGS = [f"tag{n:02d}" for n in range(100)]
WORDS = (
    "council", "budget", "bridge", "minister", "vote", "talks", "ceasefire", "river", "school",
    "court", "election",
)  # fmt: skip


def timed(fn: Callable[[], Any], runs: int = 21) -> tuple[float, float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9)], result


def build(url: str, n: int, seed: int = 7) -> None:
    """Fill an empty catalog with n synthetic sources, in bulk (one transaction)."""
    from palimpsest.catalog import SourceState, open_catalog
    from palimpsest.catalog.schema import checks, sources, tags, versions
    from palimpsest.flows.schedule import next_due
    from sqlalchemy import text

    rng = random.Random(seed)
    catalog = open_catalog(url)
    src_rows, tag_rows, version_rows, check_rows, texts = [], [], [], [], []
    for i in range(1, n + 1):
        page = f"https://news{i % 500}.example/story/{i}"
        recent = rng.random() < 0.02
        first = NOW - timedelta(days=rng.uniform(2, 400))
        seqs = rng.randint(1, 5)
        last_change = (
            NOW - timedelta(hours=rng.uniform(0, 23))
            if recent
            else first + (NOW - first) * rng.uniform(0, 0.5)
        )
        between = [first + (last_change - first) * rng.random() for _ in range(seqs - 2)]
        times = sorted([first, *between, last_change]) if seqs > 1 else [first]
        for seq, at in enumerate(times, 1):
            version_rows.append({
                "source_id": i, "seq": seq, "captured_at": at, "sha256": f"{i:032d}{seq:032d}",
                "title": f"Story {i}", "words": 600,
                "substantive": None if seq == 1 else seq % 3 != 0,
                "summary": "first version" if seq == 1 else "1 edited [number], 1 added",
                "changes": None, "seed": None, "similarity": None, "etag": f'"{i}-{seq}"',
                "last_modified": None, "raw_key": None, "extractor_version": "1",
                "key": f"k/{i}/{seq}",
            })  # fmt: skip
        failing = rng.random() < 0.01
        last_check = NOW - timedelta(minutes=rng.uniform(0, 60 * 24 * 7))
        last_check = max(last_check, times[-1])
        outcomes = [("new", times[0]), ("unchanged", last_check - timedelta(hours=1))]
        outcomes.append(("failed" if failing else "unchanged", last_check))
        for k, (outcome, at) in enumerate(outcomes):
            check_rows.append({
                "id": f"{i}-{k}", "source_id": i, "checked_at": at, "outcome": outcome,
                "status": None if outcome == "failed" else 200, "version": None, "etag": None,
                "last_modified": None, "error": "HTTP 503" if outcome == "failed" else None,
                "duration_ms": 120,
            })  # fmt: skip
        state = SourceState(
            url=page, versions=seqs, latest_sha256=f"{i:032d}{seqs:032d}", title=f"Story {i}",
            last_change=times[-1], last_check=last_check, last_outcome=outcomes[-1][0],
            etag=f'"{i}-{seqs}"', failures=1 if failing else 0,
            failing_since=last_check if failing else None, first_seen=times[0],
        )  # fmt: skip
        state = replace(state, next_due=next_due(state))
        src_rows.append({"id": i, "host": f"news{i % 500}.example", **asdict(state)})
        tag_rows.append({"source_id": i, "tag": TAGS[i % len(TAGS)]})
        body = " ".join(rng.choice(WORDS) for _ in range(60))
        texts.append({"id": i, "title": f"Story {i}", "body": body})
    with catalog.engine.begin() as conn:
        conn.execute(sources.insert(), src_rows)
        conn.execute(tags.insert(), tag_rows)
        conn.execute(versions.insert(), version_rows)
        conn.execute(checks.insert(), check_rows)
        column = "source_id" if conn.dialect.name == "postgresql" else "rowid"
        insert = f"INSERT INTO texts ({column}, title, body) VALUES (:id, :title, :body)"
        conn.execute(text(insert), texts)
    catalog.close()


def store_baseline(n: int) -> float:
    """Milliseconds per source of `store.latest(url)` over a local store of n sources."""
    from palimpsest.storage import VersionDraft, open_store

    with tempfile.TemporaryDirectory(prefix="palimpsest-bench-store-") as tmp:
        store = open_store(tmp)
        urls = [f"https://news{i % 50}.example/story/{i}" for i in range(n)]
        for u in urls:
            draft = VersionDraft(u, u, NOW, None, None, None, f"Text of {u}.")
            store.add_version(draft)
        start = time.perf_counter()
        for u in urls:
            store.latest(u)
        return (time.perf_counter() - start) * 1000 / n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", type=int, default=100_000)
    ap.add_argument("--store-sources", type=int, default=1000)
    ap.add_argument("--postgres", help="an empty postgresql+psycopg:// database to use instead")
    args = ap.parse_args()
    from palimpsest.catalog import sqlite_url
    from palimpsest.flows.catalog import open_scheduled
    from palimpsest.flows.schedule import due_before

    with tempfile.TemporaryDirectory(prefix="palimpsest-bench-catalog-") as tmp:
        url = args.postgres or sqlite_url(Path(tmp) / "catalog.sqlite")
        start = time.perf_counter()
        build(url, args.sources)
        took = time.perf_counter() - start
        print(f"built {args.sources} sources in {took:.1f} s ({url.split(':')[0]})")
        catalog = open_scheduled(url)
        before = due_before(NOW, timedelta(minutes=15))
        some = "https://news7.example/story/507"
        day = NOW - timedelta(hours=24)
        figures = {
            "due selection": lambda: catalog.due(before),
            "list (all sources)": lambda: catalog.sources(),
            "list --tag tag07": lambda: catalog.sources(tag="tag07"),
            "list --failing": lambda: catalog.sources(failing=True),
            "list --changed-since 24h": lambda: catalog.sources(changed_since=day),
            "changes --since 24h": lambda: catalog.changes(since=day),
            "changes --since 24h --substantive": lambda: catalog.changes(
                since=day, substantive=True
            ),
            "timeline URL": lambda: catalog.timeline(some),
            "search (two words)": lambda: catalog.search("ceasefire bridge"),
            "state(url) (per archive)": lambda: catalog.state(some),
        }  # fmt: skip
        results = {}
        print(f"{'query':<36} {'p50 ms':>9} {'p90 ms':>9} {'rows':>8}")
        for name, fn in figures.items():
            p50, p90, result = timed(fn, 5 if name == "list (all sources)" else 21)
            rows = len(result) if isinstance(result, list) else 1
            results[name] = p50
            print(f"{name:<36} {p50:>9.2f} {p90:>9.2f} {rows:>8}")
        catalog.close()
    per_source = store_baseline(args.store_sources)
    store_ms = per_source * args.sources
    print(
        f"baseline: store.latest per source {per_source:.3f} ms (local, {args.store_sources} "
        f"sources) -> {store_ms / 1000:.1f} s for {args.sources} sources "
        "(on S3: a listing and a GET each)"
    )
    ratio = store_ms / results["due selection"]
    print(
        f"bench: due_p50_ms={results['due selection']:.1f} "
        f"list_p50_ms={results['list --tag tag07']:.1f} "
        f"list_all_p50_ms={results['list (all sources)']:.1f} "
        f"changes_p50_ms={results['changes --since 24h']:.1f} due_vs_store_ratio={ratio:.0f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
