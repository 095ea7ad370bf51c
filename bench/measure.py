"""Small measuring helpers shared by the bench modules: timing, store sizes, peak memory."""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def dir_bytes(path: Path, skip: str | None = None) -> int:
    """Total size of the regular files under `path` (0 when it does not exist), leaving out
    the files whose names start with `skip`."""
    if not path.exists():
        return 0
    total = 0
    for root, _dirs, files in os.walk(path):
        kept = [f for f in files if skip is None or not f.startswith(skip)]
        total += sum(os.path.getsize(os.path.join(root, f)) for f in kept)
    return total


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident set size of this process and of its largest waited-for child, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


class Clock:
    """Seconds spent in named sections (`with clock("name"): ...`)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)
