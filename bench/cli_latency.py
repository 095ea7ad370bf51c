"""cli_latency_ratio: wall time of `palimpsest archive URL` (one page, the embedded default:
no Prefect API, a fresh local store) over a bare script doing the same page with httpx GET +
`trafilatura.extract` + print. Both are fresh Python processes; runs alternate; medians count.

The CLI fetches robots.txt before the page and, by default, waits `PALIMPSEST_HOST_DELAY`
(1 s) between two requests to one host. That wait is politeness, not machine cost, so the
headline figure runs with PALIMPSEST_HOST_DELAY=0; the default-delay time is printed too.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BARE = (
    "import sys, httpx, trafilatura\n"
    "r = httpx.get(sys.argv[1], timeout=30)\n"
    "r.raise_for_status()\n"
    "print(trafilatura.extract(r.text))\n"
)


@dataclass
class CliLatency:
    runs: int
    cli_s: float
    bare_s: float
    cli_default_delay_s: float

    @property
    def ratio(self) -> float:
        return self.cli_s / self.bare_s


def _env(host_delay: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.pop("PALIMPSEST_HOST_DELAY", None)
    if host_delay is not None:
        env["PALIMPSEST_HOST_DELAY"] = host_delay
    return env


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} ... failed: {done.stderr.strip()[-400:]}")
    return seconds


def run(url: str, runs: int = 5) -> CliLatency:
    cli = str(Path(sys.executable).with_name("palimpsest"))
    cli_times, bare_times, default_times = [], [], []
    with tempfile.TemporaryDirectory(prefix="palimpsest-bench-cli-") as tmp:
        for i in range(runs):
            store = str(Path(tmp) / f"store{i}")
            pair = [
                (cli_times, [cli, "archive", url, "--store", store], _env("0")),
                (bare_times, [sys.executable, "-c", BARE, url], _env(None)),
            ]
            for times, cmd, env in pair if i % 2 == 0 else pair[::-1]:
                times.append(_timed(cmd, env))
        for i in range(max(1, runs // 2)):
            store = str(Path(tmp) / f"default{i}")
            default_times.append(_timed([cli, "archive", url, "--store", store], _env(None)))
    return CliLatency(
        runs,
        statistics.median(cli_times),
        statistics.median(bare_times),
        statistics.median(default_times),
    )
