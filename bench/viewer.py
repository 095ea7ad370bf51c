"""`python -m bench.viewer`: the viewer's pages with 10k sources in the catalog (p50 <= 100 ms).

A store with 21 real sources (the demo pages under 7 paths each, archived by the pipeline
from 127.0.0.1, edited, archived again) and its SQLite catalog, holding those plus N synthetic
sources (2 versions and 2 checks each, every tenth tagged, a latest text for search;
`--root DIR` keeps the built archive and catalog for the next run). The viewer is served
by uvicorn on 127.0.0.1, and every page is fetched over HTTP: the first fetch of each page
(cold: nothing cached) and then REPEAT fetches (warm), across sources. Prints a table and
one last line: `bench: viewer_pages=K worst_p50_ms=X cold_worst_ms=Y`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
REPEAT = 30
WORDS = [
    "council",
    "harbour",
    "minister",
    "budget",
    "vote",
    "ceasefire",
    "election",
    "court",
    "ruling",
    "strike",
    "union",
    "port",
    "energy",
    "prices",
    "school",
    "hospital",
    "river",
    "flood",
    "bridge",
    "mayor",
    "police",
    "report",
    "inquiry",
    "trade",
    "deal",
    "tariff",
    "export",
    "grain",
    "drought",
    "storm",
    "rescue",
    "museum",
    "festival",
    "league",
    "match",
    "transfer",
    "coach",
]


def synthetic(catalog, n: int, now: datetime) -> None:  # type: ignore[no-untyped-def]
    from palimpsest.catalog import CheckRow, VersionRow

    rng = random.Random(7)
    rows, checks = [], []
    for i in range(n):
        url = f"https://news{i % 97}.example/{i}/story-{i}"
        base = now - timedelta(days=rng.randint(1, 60))
        for seq in (1, 2):
            at = base + timedelta(hours=seq * rng.randint(1, 30))
            rows.append(
                VersionRow(
                    url=url,
                    seq=seq,
                    captured_at=at,
                    sha256=f"{i:032x}{seq:032x}",
                    title=f"Story {i}: {' '.join(rng.sample(WORDS, 4))}",
                    words=300 + seq,
                    substantive=None if seq == 1 else rng.random() < 0.6,
                    summary="first version" if seq == 1 else "1 edited [number], 1 added",
                    key=f"sources/news{i % 97}.example/{i:016x}/versions/{seq:08d}.json",
                    text=" ".join(rng.choices(WORDS, k=80)),
                )
            )
            checks.append(
                CheckRow(
                    id=str(uuid.uuid4()),
                    url=url,
                    checked_at=at,
                    outcome="new" if seq == 1 else "changed",
                    status=200,
                    version=seq,
                )
            )
        if i % 50 == 0:
            checks.append(
                CheckRow(
                    str(uuid.uuid4()),
                    url,
                    now - timedelta(hours=1),
                    "failed",
                    503,
                    error=f"{url}: HTTP 503",
                )
            )
    catalog.add_all(rows, checks)
    catalog.sync_listings(
        (f"https://news{i % 97}.example/{i}/story-{i}", (f"tag{(i // 10) % 20}",), None)
        for i in range(0, n, 10)
    )


def real_sources(root: Path) -> None:
    from palimpsest.fetchers import FetchSettings
    from palimpsest.flows.context import PipelineConfig, open_pipeline
    from palimpsest.flows.run import archive_in_process

    from palimpsest.demo import PAGES, edit
    from palimpsest.localserver import PageServer

    site = PageServer()
    pages = {f"/{k}/{p.stem}": p.read_text("utf-8") for k in range(7) for p in PAGES.glob("*.html")}
    for path, html in pages.items():
        site.set(path, html)
    config = PipelineConfig(
        store=str(root / "archive"),
        seeds_dir=str(REPO / "seeds"),
        fetch=FetchSettings(host_delay=0.0, retries=0, host_concurrency=8),
        extract_workers=1,
        cache_dir=str(root / "cache"),
    )
    # the pipeline writes the store and the catalog beside it
    with site.running(), open_pipeline(config) as pipe:
        urls = [site.url(p) for p in pages]
        archive_in_process(urls, pipe)
        for path, html in pages.items():
            site.set(path, edit(html))
        archive_in_process(urls, pipe)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", type=int, default=10_000)
    ap.add_argument("--root", type=Path, help="keep (or reuse) the built archive here")
    args = ap.parse_args()

    import httpx
    from palimpsest.catalog import open_catalog, sqlite_url
    from palimpsest.flows.seeds import load_seed_corpus
    from palimpsest.storage import open_store
    from palimpsest.viewer import create_app

    from tests.viewer.conftest import serving

    root = args.root or Path(tempfile.mkdtemp(prefix="palimpsest-bench-viewer-"))
    t0 = time.perf_counter()
    store = str(root / "archive")
    path = Path(store) / "catalog.sqlite"  # the pipeline writes it beside a local store
    built = path.is_file()
    if not built:
        real_sources(root)
    catalog = open_catalog(sqlite_url(path))
    if not built:
        synthetic(catalog, args.sources, datetime.now(UTC))
    urls = open_store(store).urls()
    total = len(catalog.sources())
    print(
        f"{'reused' if built else 'built'}: {len(urls)} real sources, {total} in the catalog, "
        f"{time.perf_counter() - t0:.1f} s ({root})",
        flush=True,
    )
    corpus = load_seed_corpus(REPO / "seeds", root / "cache")
    app = create_app(open_store(store), catalog=catalog, seeds=lambda: corpus)

    def per_source(path: str, **extra: object) -> list[str]:
        return [f"{path}?{urlencode({'url': u, **extra})}" for u in urls]

    with httpx.Client(timeout=30) as client:  # one client: keep-alive, like a browser
        pages: dict[str, list[str]] = {
            "changes": ["/"],
            "changes substantive+tag": ["/?substantive=1&tag=tag3"],
            "changes 7d": ["/?since=7d"],
            "atom feed": ["/feed.atom"],
            "sources": ["/sources"],
            "sources page 50": ["/sources?page=50"],
            "search": ["/sources?q=harbour+council"],
            "source": per_source("/source"),
            "diff": per_source("/diff"),
            "seeds": per_source("/seeds"),
            "text": per_source("/text"),
            "capture": per_source("/capture"),
        }
        with serving(app) as base:
            print(f"{'page':<26}{'cold ms':>9}{'p50 ms':>9}{'p90 ms':>9}")
            worst = cold_worst = 0.0
            for name, paths in pages.items():
                cold, warm = [], []  # first fetch of each path; then REPEAT more
                for i in range(len(paths) + REPEAT):
                    path = paths[i % len(paths)]
                    t = time.perf_counter()
                    response = client.get(base + path)
                    ms = (time.perf_counter() - t) * 1000
                    assert response.status_code == 200, (path, response.status_code)
                    (cold if i < len(paths) else warm).append(ms)
                samples = warm
                p50 = statistics.median(samples)
                p90 = statistics.quantiles(samples, n=10)[-1] if len(samples) > 1 else p50
                worst, cold_worst = max(worst, p50), max(cold_worst, max(cold))
                print(
                    f"{name:<26}{statistics.median(cold):>9.1f}{p50:>9.1f}{p90:>9.1f}", flush=True
                )
    print(
        f"bench: viewer_pages={len(pages)} worst_p50_ms={worst:.1f} "
        f"cold_worst_ms={cold_worst:.1f} sources={total}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
