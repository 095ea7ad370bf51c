"""Profile of the archive pipeline, stage by stage, and a measured prototype of the fix the
profile suggests. Run: .venv/bin/python -m bench.profile_archive [--pages 120]

1. `flows.pipeline.archive_url` runs sequentially (one thread, extraction in-process) over
   generated bench pages with every stage's entry point wrapped in a timer: fetch, store
   reads, extraction, raw capture write, seed-corpus match, and the rest of `add_version`.
   cProfile runs alongside; its top functions by own time are printed.
2. The profile's slowest stage was the seed-corpus match, and most of that was sentence
   segmentation (pysbd, about 1 ms per paragraph). The fix now ships in diffing
   (plainsplit.py: a paragraph is cut at sentence ends directly when no full stop in it
   could be anything else; the rest goes to pysbd). It is timed here against pysbd alone on
   the bench pages' extracted text and the seed corpus, and the sentences compared.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


class StageTimer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - t0

        return timed


def profile_pipeline(urls: list[str], store: str) -> tuple[StageTimer, float, str]:
    from palimpsest.fetchers import FetchSettings
    from palimpsest.flows.context import PipelineConfig, open_pipeline
    from palimpsest.flows.pipeline import archive_url

    fetch = FetchSettings(host_delay=0, host_concurrency=8)
    config = PipelineConfig(store, str(REPO / "seeds"), fetch, extract_workers=1)
    timer = StageTimer()
    with open_pipeline(config) as pipe:
        archive_url(urls[0], pipe)  # warm: imports, connection, robots.txt
        pipe.fetcher.fetch = timer.wrap("fetch (HTTP GET)", pipe.fetcher.fetch)
        pipe.store.latest = timer.wrap("store: read latest version", pipe.store.latest)
        pipe.extract = timer.wrap("extract (trafilatura + cleaners)", pipe.extract)
        pipe.store.put_capture = timer.wrap("store: write WARC capture", pipe.store.put_capture)
        pipe.seeds.match = timer.wrap("seed corpus match (in add_version)", pipe.seeds.match)
        pipe.store.add_version = timer.wrap(
            "store: add_version (incl. match)", pipe.store.add_version
        )
        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        for url in urls[1:]:
            outcome = archive_url(url, pipe)
            if outcome.status == "failed":
                raise RuntimeError(outcome.error)
        profiler.disable()
        total = time.perf_counter() - t0
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    return timer, total, out.getvalue()


def segmenter_trial(texts: list[str]) -> dict[str, float]:
    """The shipped segmenter (diffing's fast path, pysbd for the rest) against pysbd alone,
    on every paragraph of `texts`: time, and how many paragraphs come out differently."""
    from palimpsest.diffing import sentences as seg

    shipped = seg._paragraph_sentences.__wrapped__  # uncached: time the work, not the cache
    segmenter = seg._segmenter()
    paragraphs = [p for t in texts for p in seg.split_paragraphs(t)]
    t0 = time.perf_counter()
    reference = [tuple(seg._segment(segmenter, p)) for p in paragraphs]
    pysbd_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    candidate = [tuple(shipped(p)) for p in paragraphs]
    shipped_s = time.perf_counter() - t0
    differ = sum(a != b for a, b in zip(reference, candidate, strict=True))
    return {
        "paragraphs": len(paragraphs),
        "differ": differ,
        "slow_ms": pysbd_s * 1000,
        "fast_ms": shipped_s * 1000,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=120)
    args = ap.parse_args()
    from bench.pages import make_pages
    from bench.server import serving

    pages = make_pages(args.pages)
    with serving([(p.path, p.body) for p in pages]) as base, tempfile.TemporaryDirectory() as tmp:
        urls = [base + p.path for p in pages]
        timer, total, top = profile_pipeline(urls, str(Path(tmp) / "store"))
    n = len(urls) - 1
    print(f"{n} pages archived sequentially in {total:.2f} s ({n / total:.1f} pages/s, profiled)")
    print(f"{'stage':<40}{'ms/page':>9}{'share':>8}")
    for name, seconds in sorted(timer.seconds.items(), key=lambda kv: -kv[1]):
        print(f"{name:<40}{seconds / n * 1000:>9.1f}{seconds / total:>8.0%}")
    print("\ncProfile, top functions by own time:")
    print("\n".join(line for line in top.splitlines() if line.strip())[-2400:])

    from palimpsest.extractors import extract

    texts = [extract(p.body, base + p.path).text for p in pages]
    seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    print("\nthe fix, shipped in diffing/plainsplit.py: unambiguous paragraphs skip pysbd")
    for label, corpus in (("bench pages", texts), ("seed corpus", seeds)):
        r = segmenter_trial(corpus)
        print(
            f"  {label:<12} {r['paragraphs']:>5} paragraphs,"
            f" {r['differ']} differ from pysbd; segmentation {r['slow_ms']:.0f} ms -> "
            f"{r['fast_ms']:.0f} ms ({r['slow_ms'] / max(r['fast_ms'], 1e-9):.1f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
