"""extraction_speed_ratio: `extractors.extract` pages/s over `trafilatura.extract` pages/s.

Both run in this process on the same page bytes, interleaved page by page (the order
alternates), so a burst of load on the shared machine hits both alike; per page the faster of
`rounds` runs counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class ExtractionSpeed:
    pages: int
    ours_s: float
    trafilatura_s: float
    failures: dict[str, int]

    @property
    def ratio(self) -> float:
        return self.trafilatura_s / self.ours_s  # = our pages/s / trafilatura's pages/s


def run(pages: list[tuple[str, bytes]], rounds: int = 2) -> ExtractionSpeed:
    import trafilatura
    from palimpsest.extractors import extract
    from palimpsest.extractors.errors import ExtractionError

    def ours(url: str, body: bytes) -> object:
        try:
            return extract(body, url)
        except ExtractionError:
            return None

    def theirs(url: str, body: bytes) -> object:
        return trafilatura.extract(body)

    systems: dict[str, Callable[[str, bytes], object]] = {"ours": ours, "trafilatura": theirs}
    for fn in systems.values():  # imports and caches warm, outside the timing
        fn(*pages[0])
    totals = dict.fromkeys(systems, 0.0)
    failures = dict.fromkeys(systems, 0)
    names = list(systems)
    for k, (url, body) in enumerate(pages):
        best = dict.fromkeys(systems, float("inf"))
        for r in range(rounds):
            order = names if (k + r) % 2 == 0 else names[::-1]
            for name in order:
                t0 = time.perf_counter()
                result = systems[name](url, body)
                best[name] = min(best[name], time.perf_counter() - t0)
                if r == 0 and not result:
                    failures[name] += 1
        for name in names:
            totals[name] += best[name]
    return ExtractionSpeed(len(pages), totals["ours"], totals["trafilatura"], failures)
