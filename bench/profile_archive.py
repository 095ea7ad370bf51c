"""Profile of the archive pipeline, stage by stage, and a measured prototype of the fix the
profile suggests. Run: .venv/bin/python -m bench.profile_archive [--pages 120]

1. `flows.pipeline.archive_url` runs sequentially (one thread, extraction in-process) over
   generated bench pages with every stage's entry point wrapped in a timer: fetch, store
   reads, extraction, raw capture write, seed-corpus match, and the rest of `add_version`.
   cProfile runs alongside; its top functions by own time are printed.
2. The profile's slowest stage is the seed-corpus match, and most of that is sentence
   segmentation (pysbd, about 1 ms per paragraph). The prototype (`fast_sentences`) cuts
   a paragraph at sentence ends itself when no full stop in it could be anything else, and
   leaves the rest to pysbd. It is timed against the current segmenter on the bench pages'
   extracted text, and its output compared with pysbd's on every paragraph of those pages
   and of the seed corpus (same sentences required).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

# A full stop, "!" or "?" (closing quotes/brackets stay with it), then space, then a capital:
# a sentence end unless the word before the stop is ambiguous (see _ambiguous).
_END = re.compile(r"[.!?][\"'”’)\]]*(\s+)(?=[A-Z])")
_STOP_WORD = re.compile(r"(\S+)[.](?=[\"'”’)\]]*(?:\s|$))")
_STRAY_STOP = re.compile(r"[.](?![\"'”’)\]]*(?:\s|$))")  # 3.5, U.S, e.g.x, ...
# A stop followed by anything but a capital (a quote, a lower-case word, a digit): pysbd's
# quote and continuation rules decide those.
_ODD_FOLLOW = re.compile(r"[.!?][\"'”’)\]]*\s+(?![A-Z])")


def _balanced(text: str) -> bool:
    return text.count('"') % 2 == 0 and text.count("“") == text.count("”")


def _abbreviations() -> frozenset[str]:
    from pysbd.lang.english import English

    return frozenset(a.lower() for a in English.Abbreviation.ABBREVIATIONS)


ABBREVIATIONS = _abbreviations()


def _ambiguous(paragraph: str) -> bool:
    """True when a full stop could end an abbreviation, an initial, a number or an ellipsis
    (the cases pysbd's rules exist for) rather than a sentence."""
    if "..." in paragraph or "…" in paragraph or _STRAY_STOP.search(paragraph):
        return True
    if _ODD_FOLLOW.search(paragraph) or not _balanced(paragraph):
        return True  # a stray quote: pysbd's quote rules decide
    for match in _STOP_WORD.finditer(paragraph):
        word = match.group(1).lstrip("\"'“‘([")
        if (
            len(word) == 1
            or word.lower() in ABBREVIATIONS
            or "." in word
            or any(c.isdigit() for c in word)
        ):
            return True  # J. / Gen. / Feb. / U.S. / 1990s. : pysbd's rules decide
    return False


def fast_sentences(paragraph: str, slow: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
    if _ambiguous(paragraph):
        return slow(paragraph)
    # pysbd keeps a quotation's sentences together: cut only outside quotes
    cuts = [m.start(1) for m in _END.finditer(paragraph) if _balanced(paragraph[: m.start(1)])]
    bounds = [0, *cuts, len(paragraph)]
    parts = (paragraph[a:b].strip() for a, b in pairwise(bounds))
    return tuple(p for p in parts if p)


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
    from fetchers import FetchSettings
    from flows.context import PipelineConfig, open_pipeline
    from flows.pipeline import archive_url

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
    from diffing import sentences as seg

    slow = seg._paragraph_sentences.__wrapped__  # uncached: time the work, not the cache
    paragraphs = [p for t in texts for p in seg.split_paragraphs(t)]
    t0 = time.perf_counter()
    reference = [slow(p) for p in paragraphs]
    slow_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    candidate = [fast_sentences(p, slow) for p in paragraphs]
    fast_s = time.perf_counter() - t0
    fast_path = sum(not _ambiguous(p) for p in paragraphs)
    differ = sum(a != b for a, b in zip(reference, candidate, strict=True))
    return {
        "paragraphs": len(paragraphs),
        "fast_path": fast_path,
        "differ": differ,
        "slow_ms": slow_s * 1000,
        "fast_ms": fast_s * 1000,
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

    from extractors import extract

    texts = [extract(p.body, base + p.path).text for p in pages]
    seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    print("\nproposed fix: cut unambiguous paragraphs without pysbd (prototype, bench only)")
    for label, corpus in (("bench pages", texts), ("seed corpus", seeds)):
        r = segmenter_trial(corpus)
        print(
            f"  {label:<12} {r['paragraphs']:>5} paragraphs, {r['fast_path']:>5} on the fast path,"
            f" {r['differ']} differ from pysbd; segmentation {r['slow_ms']:.0f} ms -> "
            f"{r['fast_ms']:.0f} ms ({r['slow_ms'] / max(r['fast_ms'], 1e-9):.1f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
