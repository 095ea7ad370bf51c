"""Does the segmentation fast path (diffing/plainsplit.py) earn its code? Issue 14.4: keep a
re-implementation of a dependency only if it moves a user-visible figure by more than 10 %.

The figure: pages archived per second by the pipeline (`flows.pipeline.archive_url`, one
thread, as the CLI runs it) over generated bench pages served from 127.0.0.1, every page
new (so each is segmented twice: for its version diff and for its seed match). The same
pages are archived in alternating rounds with the fast path on and off (pysbd alone), each
round into a fresh store, so that the machine's load drifts over both alike.

    .venv/bin/python -m bench.segmenter [--pages 60] [--rounds 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def archive_all(urls: list[str], store: str, fast: bool) -> tuple[float, float]:
    """(wall, CPU) seconds to archive `urls` (after one warm-up URL) with the fast path on
    or off. Extraction runs in this process (one worker, no limits), so the CPU time is the
    whole pipeline's but the page server's, and much less at the mercy of a busy machine
    than the wall time."""
    from palimpsest.diffing import sentences
    from palimpsest.diffing.plainsplit import plain_sentences
    from palimpsest.fetchers import FetchSettings
    from palimpsest.flows.context import PipelineConfig, open_pipeline
    from palimpsest.flows.pipeline import archive_url

    sentences.plain_sentences = plain_sentences if fast else (lambda paragraph, cut: None)
    sentences._paragraph_sentences.cache_clear()
    fetch = FetchSettings(host_delay=0, host_concurrency=8)
    config = PipelineConfig(store, str(REPO / "seeds"), fetch, extract_workers=1)
    with open_pipeline(config) as pipe:
        archive_url(urls[0], pipe)
        t0, c0 = time.perf_counter(), time.process_time()
        for url in urls[1:]:
            outcome = archive_url(url, pipe)
            if outcome.status == "failed":
                raise RuntimeError(outcome.error)
        return time.perf_counter() - t0, time.process_time() - c0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    from bench.pages import make_pages
    from bench.server import serving

    pages = make_pages(args.pages)
    seconds: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    with serving([(p.path, p.body) for p in pages]) as base, tempfile.TemporaryDirectory() as tmp:
        urls = [base + p.path for p in pages]
        for r in range(args.rounds):
            for fast in (True, False) if r % 2 == 0 else (False, True):
                seconds[fast].append(archive_all(urls, str(Path(tmp) / f"s{r}{fast}"), fast))
    n = len(pages) - 1
    wall = {f: n / statistics.median(w for w, _ in seconds[f]) for f in (True, False)}
    cpu = {f: n / statistics.median(c for _, c in seconds[f]) for f in (True, False)}
    print(f"{n} new pages archived, {args.rounds} rounds each (fast path on / off):")
    for f in (True, False):
        rounds = ", ".join(f"{w:.1f}s wall {c:.1f}s cpu" for w, c in seconds[f])
        print(f"  {'fast path + pysbd' if f else 'pysbd alone':<18} {rounds}")
    print(
        f"  median pages/s: wall {wall[True]:.1f} vs {wall[False]:.1f} "
        f"({wall[True] / wall[False] - 1:+.0%}); per CPU second {cpu[True]:.1f} vs "
        f"{cpu[False]:.1f} ({cpu[True] / cpu[False] - 1:+.0%})"
    )
    print(
        f"segmenter: fast_path_wall_ratio={wall[True] / wall[False]:.2f} "
        f"fast_path_cpu_ratio={cpu[True] / cpu[False]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
