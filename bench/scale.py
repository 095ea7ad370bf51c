"""The scale bench: N sources on 200 loopback hosts, archived and rechecked by the scheduled
flow on a real Prefect server with two process workers. Never part of `make test`.

    .venv/bin/python -m bench.scale                   # 1,000 then 10,000 sources
    .venv/bin/python -m bench.scale --sources 500,2000

Per size N, with fresh state: a page server (bench/scale_servers.py) holds N article pages on
`--hosts` addresses 127.1.x.y; a counting in-memory S3 (moto) is the store; one SQLite file
is the catalog both workers write. `prefect server start` runs on 127.0.0.1, the
`archive-sources` flow is deployed to a process work pool, and `--workers` workers (`prefect
worker start --limit 1`) each take one flow run: the hosts are split between the runs, so a
host's politeness never needs two processes to agree. The archive runs once (every page new),
then the recheck (every page answers 304). Printed per phase: pages/s (from creating the
runs to the last one finished, worker start-up included), Prefect task runs per URL, S3
requests per URL, and at the end the catalog's size and rows, peak RSS (each worker's
process tree: worker, flow run, extraction pool; and the Prefect server), and how each
figure grows from the smallest N to the largest (per URL: flat is linear).

Politeness as configured by default (1 s between requests to a host, 2 at a time): with 200
hosts it does not bound the run, and it is what a real crawl runs with. The shared Prefect
host limits (fetchers across workers, flows/politeness.py) are off unless `--shared-limits`:
each host belongs to one flow run here, so the per-process limits already hold across the
workers, and the shared ones cost two API calls per batch. A long phase prints its
progress every two minutes (pages answered so far, from the page server's counts), so a run
cut short still gives its rate.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
POOL = "scale-bench"
PROGRESS_EVERY = 120.0  # seconds between progress lines (partial figures of a long phase)
DEPLOYMENT = "archive-sources/scale-bench"
PREFECT_YAML = """\
name: palimpsest-scale-bench
pull:
  - prefect.deployments.steps.set_working_directory:
      directory: "{repo}"
deployments:
  - name: scale-bench
    entrypoint: {entrypoint}
    parameters: {{due_only: false}}
    work_pool: {{name: {pool}, work_queue_name: default, job_variables: {{}}}}
"""


def entrypoint() -> str:
    """The flow's entry point (palimpsest/flow.py once flows/ is restructured)."""
    if (REPO / "palimpsest" / "flow.py").exists():
        return "palimpsest/flow.py:archive_sources"
    return "flows/archive.py:archive_sources"


@dataclass
class Phase:
    name: str
    urls: int
    seconds: float
    run_seconds: list[float]  # each flow run's own duration (start to end, on the API)
    states: list[str]
    task_runs: int
    store: dict[str, int]

    @property
    def pages_per_s(self) -> float:
        return self.urls / self.seconds

    @property
    def store_requests(self) -> int:
        return sum(v for k, v in self.store.items() if not k.startswith("bytes"))


@dataclass
class SizeResult:
    n: int
    batch: int
    phases: list[Phase] = field(default_factory=list)
    catalog_bytes: int = 0
    catalog_rows: dict[str, int] = field(default_factory=dict)
    worker_rss_mb: float = 0.0
    server_rss_mb: float = 0.0


# ---- memory: sampled from /proc (Linux), the bench's children and their descendants ----


def _tree_rss_kb(root: int, parents: dict[int, int], rss: dict[int, int]) -> int:
    todo, total = [root], 0
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [c for c, p in parents.items() if p == pid]
    return total


def _proc_table() -> tuple[dict[int, int], dict[int, int]]:
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry)] = int(line.split()[1])
    return parents, rss


class PeakRss:
    """Peak RSS of named process trees, sampled every `every` seconds in a thread."""

    def __init__(self, every: float = 1.0) -> None:
        self.roots: dict[str, list[int]] = {}
        self.peak_kb: dict[str, int] = {}
        self._every, self._stop = every, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            parents, rss = _proc_table()
            for name, pids in list(self.roots.items()):
                kb = max((_tree_rss_kb(p, parents, rss) for p in pids), default=0)
                self.peak_kb[name] = max(self.peak_kb.get(name, 0), kb)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def mb(self, name: str) -> float:
        return self.peak_kb.get(name, 0) / 1024


# ---- Prefect: pool, deployment, workers, runs ----


def _prefect(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> None:
    exe = Path(sys.executable).with_name("prefect")
    done = subprocess.run(
        [str(exe), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"prefect {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def deploy(tmp: Path) -> None:
    """The process pool and one deployment of the flow, without a schedule."""
    yaml = tmp / "prefect.yaml"
    yaml.write_text(PREFECT_YAML.format(repo=REPO, entrypoint=entrypoint(), pool=POOL))
    _prefect("work-pool", "create", POOL, "--type", "process")
    _prefect("--no-prompt", "deploy", "--all", "--prefect-file", str(yaml))


@contextmanager
def workers(count: int, env: dict[str, str], logs: Path) -> Iterator[list[subprocess.Popen]]:
    exe = Path(sys.executable).with_name("prefect")
    procs = []
    try:
        for k in range(count):
            with (logs / f"worker-{k}.log").open("wb") as log:
                procs.append(
                    subprocess.Popen(
                        [str(exe), "worker", "start", "--pool", POOL, "--limit", "1",
                         "--name", f"scale-{k}"],
                        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                    )
                )  # fmt: skip
        yield procs
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def run_flows(
    shards: list[list[str]],
    store: str,
    env: dict[str, str],
    batch: int,
    progress: Any = None,
) -> tuple[float, list]:
    """Start one flow run per shard, wait for all; (seconds, the finished flow runs).
    `progress(seconds)` is called every PROGRESS_EVERY seconds meanwhile."""
    from prefect import get_client
    from prefect.deployments import run_deployment

    t0 = time.perf_counter()
    runs = [
        run_deployment(
            DEPLOYMENT,
            parameters={"urls": shard, "store": store, "due_only": False, "batch_size": batch},
            job_variables={"env": env},
            timeout=0,
        )
        for shard in shards
    ]
    last = t0
    with get_client(sync_client=True) as client:
        while True:
            runs = [client.read_flow_run(r.id) for r in runs]
            if all(r.state is not None and r.state.is_final() for r in runs):
                return time.perf_counter() - t0, runs
            if progress is not None and time.perf_counter() - last >= PROGRESS_EVERY:
                last = time.perf_counter()
                progress(last - t0)
            time.sleep(1)


def task_run_count(flow_run_ids: list[Any], settle: float = 3.0, timeout: float = 300) -> int:
    """Task runs the API has recorded for these flow runs, once the count stops growing
    (the server records them from events, after the runs end)."""
    import httpx

    url = os.environ["PREFECT_API_URL"] + "/task_runs/count"
    body = {"flow_runs": {"id": {"any_": [str(i) for i in flow_run_ids]}}}
    last, stable_since, t0 = -1, time.monotonic(), time.monotonic()
    while time.monotonic() - t0 < timeout:
        n = httpx.post(url, json=body, timeout=60).json()
        if n != last:
            last, stable_since = n, time.monotonic()
        elif time.monotonic() - stable_since >= settle:
            break
        time.sleep(1)
    return last


# ---- one size ----


def _delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0)}


def catalog_figures(path: Path) -> tuple[int, dict[str, int]]:
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = {
            t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("sources", "versions", "checks")
        }
    return size, rows


def run_size(
    n: int, batch: int, args: argparse.Namespace, tmp: Path, s3: str, say: Any
) -> SizeResult:
    import boto3

    from bench.scale_servers import counts, news_hosts, page_url

    work = tmp / f"n{n}-b{batch}"
    work.mkdir()
    bucket = f"scale-{n}-b{batch}"
    boto3.client("s3", endpoint_url=s3, region_name="us-east-1").create_bucket(Bucket=bucket)
    run_env = {"PALIMPSEST_CATALOG_FILE": str(work / "catalog.sqlite")}
    result = SizeResult(n, batch)
    t0 = time.perf_counter()
    with news_hosts(n, args.hosts) as port:
        took = time.perf_counter() - t0
        say(f"  {n:,} pages on {args.hosts} hosts (port {port}), up in {took:.0f} s")
        urls = [page_url(i, args.hosts, port) for i in range(n)]
        # hosts split between the runs: host h goes to run h % workers
        shards = [
            [u for i, u in enumerate(urls) if (i % args.hosts) % args.workers == k]
            for k in range(args.workers)
        ]
        with PeakRss() as rss, workers(args.workers, dict(os.environ), work) as procs:
            rss.roots = {"workers": [p.pid for p in procs], "server": [args.server_pid]}
            for name in ("archive", "recheck"):
                before, served = counts(s3), counts(_news_base(port))

                def progress(seconds: float, name: str = name, served: dict = served) -> None:
                    done = _delta(counts(_news_base(port)), served)
                    pages = done.get("200" if name == "archive" else "304", 0)
                    say(f"    ... {name}: {pages:,} of {n:,} pages answered in {seconds:.0f} s"
                        f" ({pages / seconds:.1f} pages/s so far; {done})")  # fmt: skip

                seconds, runs = run_flows(
                    shards, f"s3://{bucket}/archive", run_env, batch, progress
                )
                store = _delta(counts(s3), before)
                phase = Phase(
                    name=name,
                    urls=n,
                    seconds=seconds,
                    run_seconds=[r.total_run_time.total_seconds() for r in runs],
                    states=[f"{r.state.name}: {r.state.message}" for r in runs],
                    task_runs=task_run_count([r.id for r in runs]),
                    store=store,
                )
                result.phases.append(phase)
                say(_phase_line(phase))
            result.worker_rss_mb = rss.mb("workers")
            result.server_rss_mb = rss.mb("server")
    result.catalog_bytes, result.catalog_rows = catalog_figures(work / "catalog.sqlite")
    return result


def _news_base(port: int) -> str:
    from bench.scale_servers import host_address

    return f"http://{host_address(0)}:{port}"


def _phase_line(p: Phase) -> str:
    runs = ", ".join(f"{s:.0f}" for s in p.run_seconds)
    return (
        f"  {p.name}: {p.pages_per_s:.1f} pages/s ({p.seconds:.0f} s; flow runs {runs} s); "
        f"task runs/URL {p.task_runs / p.urls:.3f}; "
        f"S3 requests/URL {p.store_requests / p.urls:.2f} "
        f"{ {k: v for k, v in p.store.items() if not k.startswith('bytes')} }, "
        f"{p.store.get('bytes_in', 0) / p.urls / 1024:.1f} KiB up/URL\n    runs: "
        + " | ".join(p.states)
    )


GROWTH_TOLERANCE = 0.2  # a per-URL figure (or pages/s) within 20 % of the smallest size's


def verdict(kind: str, first: float, last: float, scale: float) -> str:
    """How a figure grows from the smallest size to the largest (`scale` times the sources):
    `rate` (pages/s: flat is linear), `per-url` (flat is linear), `total` (peak memory:
    below the sources' growth is sub-linear)."""
    if not first:
        return "n/a"
    ratio = last / first
    if kind == "rate":
        return "linear" if ratio >= 1 - GROWTH_TOLERANCE else "worse than linear"
    if kind == "per-url":
        return "linear" if ratio <= 1 + GROWTH_TOLERANCE else "worse than linear"
    return "sub-linear" if ratio < scale * (1 - GROWTH_TOLERANCE) else "linear or worse"


def growth(results: list[SizeResult], say: Any) -> None:
    """Each figure at every size, per URL where it should be flat, large/small, and whether
    that is linear growth (flat per URL) or worse."""
    rows: list[tuple[str, str, list[float]]] = []
    for k, name in enumerate(("archive", "recheck")):
        rows.append((f"{name} pages/s", "rate", [r.phases[k].pages_per_s for r in results]))
        rows.append(
            (f"{name} task runs/URL", "per-url", [r.phases[k].task_runs / r.n for r in results])
        )
        rows.append(
            (f"{name} S3 req/URL", "per-url", [r.phases[k].store_requests / r.n for r in results])
        )
    rows.append(("catalog bytes/source", "per-url", [r.catalog_bytes / r.n for r in results]))
    rows.append(("peak RSS, largest worker tree (MB)", "total", [r.worker_rss_mb for r in results]))
    rows.append(("peak RSS, Prefect server (MB)", "total", [r.server_rss_mb for r in results]))
    sizes = "  ".join(f"{f'{r.n:,}/{r.batch}':>10}" for r in results)
    say(f"\n{'figure (sources/batch size)':<38}{sizes}  last/first  growth")
    scale = results[-1].n / results[0].n
    for label, kind, values in rows:
        cells = "  ".join(f"{v:>10.3f}" for v in values)
        ratio = values[-1] / values[0] if values[0] else float("nan")
        grows = verdict(kind, values[0], values[-1], scale) if len(values) > 1 else ""
        say(f"{label:<38}{cells}  {ratio:>10.2f}  {grows}")
    for r in results:
        say(f"catalog at {r.n:,}/{r.batch}: {r.catalog_bytes:,} B, rows {r.catalog_rows}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", default="1000,10000", help="sizes to run (default 1000,10000)")
    ap.add_argument("--hosts", type=int, default=200, help="loopback host addresses")
    ap.add_argument("--workers", type=int, default=2, help="Prefect process workers")
    ap.add_argument(
        "--shared-limits",
        action="store_true",
        help="also take each request's host slot in Prefect's global concurrency limits",
    )
    ap.add_argument(
        "--batch-sizes", default="16", help="the flow's batch_size values to run (default 16)"
    )
    args = ap.parse_args()
    sizes = [int(s) for s in args.sources.split(",")]
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    say = lambda m: print(m, flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="palimpsest-scale-") as name:
        tmp = Path(name)
        os.environ.update(
            PREFECT_HOME=str(tmp / "prefect-client"),
            PREFECT_SERVER_ANALYTICS_ENABLED="false",
            PREFECT_WORKER_QUERY_SECONDS="1",
            PALIMPSEST_SHARED_LIMITS="1" if args.shared_limits else "0",
            AWS_ACCESS_KEY_ID="scale-bench",
            AWS_SECRET_ACCESS_KEY="scale-bench-not-secret",
            AWS_DEFAULT_REGION="us-east-1",
        )
        from bench.prefect_api import prefect_server
        from bench.scale_servers import counting_s3

        say(f"scale bench: sizes {sizes}, batch sizes {batch_sizes}, {args.hosts} hosts, "
            f"{args.workers} workers, flow {entrypoint()}, shared Prefect host limits "
            f"{'on' if args.shared_limits else 'off'}")  # fmt: skip
        t0 = time.perf_counter()
        with counting_s3() as s3, prefect_server(tmp / "prefect-server") as api:
            os.environ["AWS_ENDPOINT_URL"] = s3
            args.server_pid = _server_pid()
            say(f"Prefect API {api} up in {time.perf_counter() - t0:.0f} s; S3 (moto) at {s3}")
            deploy(tmp)
            results = []
            for batch in batch_sizes:
                for n in sizes:
                    say(f"\n[{n:,} sources, batch_size {batch}]")
                    results.append(run_size(n, batch, args, tmp, s3, say))
        growth(results, say)
    return 0


def _server_pid() -> int:
    """The `prefect server start` child of this process."""
    parents, _ = _proc_table()
    me = os.getpid()
    kids = [p for p, parent in parents.items() if parent == me]
    for pid in kids:
        try:
            if b"server" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
