"""`python -m bench` (`make bench`): every headline figure, measured side by side in one run.

Pages: >= 300 generated article pages (bench/pages.py) served from a separate process on
127.0.0.1. Politeness is switched off for the run (PALIMPSEST_HOST_DELAY=0,
PALIMPSEST_HOST_CONCURRENCY=8, PALIMPSEST_SHARED_LIMITS=0): all pages sit on one host, and
the bench measures the machine, not the crawl delay. Prints a table, peak memory, then one
last line:

    bench: archive_throughput_ratio=R recheck_speedup=R corpus_query_p50_ms=X
    extraction_speed_ratio=R stored_bytes_ratio=R cli_latency_ratio=R alignment_heldout_f1_min=F
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _prepare_env(home: str) -> None:
    """Prefect and pipeline settings; must happen before anything imports Prefect."""
    os.environ["PREFECT_HOME"] = home
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.pop("PREFECT_API_URL", None)
    os.environ["PALIMPSEST_HOST_DELAY"] = "0"
    os.environ["PALIMPSEST_HOST_CONCURRENCY"] = "8"
    os.environ["PALIMPSEST_SHARED_LIMITS"] = "0"  # nor across workers (one flow run here)
    os.environ.setdefault("PALIMPSEST_RETRIES", "1")


def _say(message: str) -> None:
    print(message, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=320, help="generated pages (default 320)")
    ap.add_argument("--corpus-docs", type=int, default=100_000, help="documents in the corpus")
    ap.add_argument("--cli-runs", type=int, default=5, help="runs of each CLI command")
    args = ap.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="palimpsest-bench-") as tmp:
        _prepare_env(str(Path(tmp) / "prefect-home"))
        from bench import report

        return report.run_all(args, Path(tmp), _say, started)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
