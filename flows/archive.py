"""The body of the `archive-sources` Prefect flow: one task per batch of URLs, from plain functions.

The flow itself (its parameters, its Run form) is palimpsest/flow.py, where the pipeline is
built from the settings; `run_archive` is what it runs with that pipeline: pick the URLs, fan
them out as tasks (a batch holds whole hosts: `host_batches`), publish the outcomes table
(one row per URL), and end in a state that names the URLs that failed. `archive_url`
(flows/pipeline.py) does each URL's work; one task per URL cost ~6 ms of Prefect client CPU
and a task run row each, most of an unchanged recheck.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from itertools import zip_longest
from typing import Any
from urllib.parse import urlsplit

from palimpsest.catalog import Catalog
from palimpsest.flows.artifacts import publish_outcomes
from palimpsest.flows.context import Pipeline, PipelineRef, pipeline_for
from palimpsest.flows.discover import plan
from palimpsest.flows.errors import PipelineError, UrlsFailed
from palimpsest.flows.pipeline import Outcome, archive_url
from palimpsest.flows.sources import load_sources, long_failing
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import task_run
from prefect.states import Completed, Failed, State
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

# Threads overlap the network waits; extraction runs in the pipeline's process pool.
TASK_THREADS = 16


BATCH_SIZE = 16  # URLs per task run by default (the flow's `batch_size`): bench/scale.py
BATCH_RETRIES = 2  # a batch is retried when the store is unreachable (StoreUnavailable)
FAILED_LISTED = 20  # failed URLs named in the flow run's final message

# URLs each batch task run has finished, kept across its retries (in this process) so a
# retry skips them: task run id -> URL -> outcome row.
_FINISHED: dict[str, dict[str, dict[str, Any]]] = {}
_FINISHED_LOCK = threading.Lock()


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # the pipeline reports the bad URL; here it only needs a group
        return ""


def host_batches(urls: Sequence[str], size: int) -> list[list[str]]:
    """`urls` in batches of at most `size`, each host's URLs together: whole hosts are packed
    into a batch while they fit, a host with more than `size` URLs gets batches of its own.
    Inside a batch the hosts take turns, so one host's politeness delay overlaps the others'
    work. The batches of one host take turns with other hosts' batches, so the batches that
    run at once work on different hosts (one host's batches wait on its delay one by one)."""
    by_host: dict[str, list[str]] = {}
    for url in dict.fromkeys(urls):
        by_host.setdefault(_host(url), []).append(url)
    batches: list[list[list[str]]] = []  # each batch as its hosts' URL lists
    current: list[list[str]] = []
    filled = 0
    for group in by_host.values():
        while len(group) >= size:
            batches.append([group[:size]])
            group = group[size:]
        if group and filled + len(group) > size:
            batches.append(current)
            current, filled = [], 0
        if group:
            current.append(group)
            filled += len(group)
    if current:
        batches.append(current)
    turns: dict[str, list[list[list[str]]]] = {}  # a host's own batches; packed ones alone
    for i, hosts in enumerate(batches):
        turns.setdefault(_host(hosts[0][0]) if len(hosts) == 1 else f"packed {i}", []).append(hosts)
    ordered = [b for turn in zip_longest(*turns.values()) for b in turn if b]
    return [[u for turn in zip_longest(*hosts) for u in turn if u] for hosts in ordered]


# No cache policy: an archive must always run (and hashing the inputs and the task's source
# for a cache key costs time on every task run); nothing to persist.
@task(
    task_run_name="archive {n} URL(s) of {hosts}",
    cache_policy=NO_CACHE,
    persist_result=False,
    retries=BATCH_RETRIES,
    retry_delay_seconds=5,
)
def archive_batch(urls: list[str], hosts: str, n: int, ref: PipelineRef) -> State:
    """Archive a batch of URLs one after another; each URL's outcome is logged in this task
    (the Prefect reporter). A failed URL fails neither the batch nor the others: the task
    ends Completed with the counts in its message. Only an unreachable store raises (no URL
    could succeed); the retry then skips the URLs already finished."""
    pipe = pipeline_for(ref)
    run_id = str(task_run.id or "")
    finished = _finished(run_id)
    for url in urls:
        if url not in finished:
            finished[url] = archive_url(url, pipe).to_dict()
    _forget(run_id)
    rows = [finished[u] for u in urls]
    return Completed(message=_counts_message(rows), data=rows)


# Module functions, not globals used in the task's body: a task shipped to a Dask worker is
# pickled by value, and a lock in its globals cannot be.
def _finished(run_id: str) -> dict[str, dict[str, Any]]:
    """The URLs task run `run_id` has finished so far (empty on its first attempt)."""
    with _FINISHED_LOCK:
        return _FINISHED.setdefault(run_id, {})


def _forget(run_id: str) -> dict[str, dict[str, Any]]:
    with _FINISHED_LOCK:
        return _FINISHED.pop(run_id, {})


def _counts_message(rows: Sequence[dict[str, Any]]) -> str:
    counts = Counter(str(r["status"]) for r in rows)
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no URLs"


def report_failing(catalog: Catalog, now: datetime, logger: Any) -> None:
    """Warn about the sources failing for a day or more (the schedule backs off from them)."""
    for s in long_failing(catalog, now):
        logger.warning(
            "%s: %d failed checks in a row since %s; next try %s",
            s.url,
            s.failures,
            s.failing_since,
            s.next_due,
        )


def task_runner(dask_address: str | None) -> TaskRunner:
    """Threads in this process, or the Dask cluster at `dask_address` (the `dask` extra)."""
    if not dask_address:
        return ThreadPoolTaskRunner(max_workers=TASK_THREADS)
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError:
        raise PipelineError(
            f"Dask scheduler {dask_address} given, but prefect-dask is not installed: "
            "pip install 'palimpsest[dask]'",
            subject=dask_address,
        ) from None
    return DaskTaskRunner(address=dask_address)


def run_batches(batches: list[list[str]], ref: PipelineRef, runner: TaskRunner) -> list[Outcome]:
    """Submit one task per batch; every URL's outcome, in the order of the batches' URLs."""
    with runner:
        futures = [
            runner.submit(
                archive_batch,
                {"urls": b, "hosts": _hosts_label(b), "n": len(b), "ref": ref},
            )
            for b in batches
        ]
        return collect(batches, futures)


def _hosts_label(batch: Sequence[str]) -> str:
    hosts = list(dict.fromkeys(_host(u) for u in batch))
    return hosts[0] if len(hosts) == 1 else f"{hosts[0]} and {len(hosts) - 1} more host(s)"


def collect(batches: list[list[str]], futures: Sequence[PrefectFuture[Any]]) -> list[Outcome]:
    """Every URL's outcome; a batch that failed for good (its retries spent) keeps the URLs it
    finished and reports the others failed with the batch's reason."""
    outcomes = []
    for batch, future in zip(batches, futures, strict=True):
        future.wait()
        state = future.state
        if state.is_completed():
            outcomes += [Outcome(**row) for row in future.result()]
            continue
        finished = _forget(str(future.task_run_id))
        reason = state.message or "failed"
        for url in batch:
            row = finished.get(url)
            outcomes.append(Outcome(**row) if row else Outcome(url, "failed", error=reason))
    return outcomes


def final_state(outcomes: list[Outcome]) -> State:
    """Completed with the outcomes, or Failed with `UrlsFailed` (which carries them)."""
    data = [o.to_dict() for o in outcomes]
    message = _counts_message(data)
    failed = [o.url for o in outcomes if o.status == "failed"]
    if failed:
        named = ", ".join(failed[:FAILED_LISTED])
        more = f" and {len(failed) - FAILED_LISTED} more" if len(failed) > FAILED_LISTED else ""
        message = f"{len(failed)} of {len(outcomes)} URLs failed ({message}): {named}{more}"
        return Failed(message=message, data=UrlsFailed(message, data))
    return Completed(message=message, data=data)


def targets(
    pipe: Pipeline, urls: list[str] | None, sources_file: str, due_only: bool, period: timedelta
) -> list[str]:
    """`urls`, or else the sources of `sources_file` (those due in this period, if `due_only`)."""
    if urls:
        return list(urls)
    logger = get_run_logger()
    listed = load_sources(sources_file)
    for problem in listed.problems:
        logger.warning("%s (skipped; the other sources run)", problem)
    if pipe.catalog is None:
        return listed.urls()
    now = datetime.now(UTC)
    if due_only:
        report_failing(pipe.catalog.catalog, now, logger)
    todo, found = plan(
        pipe.fetcher,
        pipe.catalog.catalog,
        pipe.store,
        listed,
        due_only=due_only,
        now=now,
        period=period,
    )
    if found.pages:
        logger.info(
            "discovery: %d new article(s) on %d followed page(s) (%d unchanged)",
            len(found.new),
            found.pages,
            found.unchanged,
        )
    for trouble in found.problems:
        logger.warning("%s (skipped; the run goes on)", trouble)
    return todo


def run_archive(
    pipe: Pipeline,
    urls: list[str],
    dask_address: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> State:
    """Inside a flow run: archive `urls` with `pipe`, one task per batch of at most
    `batch_size` URLs grouped by host, and publish every URL's outcome."""
    if batch_size < 1:
        raise PipelineError(f"batch_size must be at least 1, not {batch_size}")
    # smaller batches when there are too few to keep every task thread busy (a batch runs
    # its URLs one after another)
    batches = host_batches(urls, max(1, min(batch_size, -(-len(urls) // TASK_THREADS))))
    get_run_logger().info(
        "archiving %d URL(s) in %d batch(es) into %s", len(urls), len(batches), pipe.store.location
    )
    done = run_batches(batches, pipe.ref, task_runner(dask_address))
    by_url = dict(zip((u for b in batches for u in b), done, strict=True))
    outcomes = [by_url[u] for u in dict.fromkeys(urls)]  # in the order given
    publish_outcomes(outcomes, pipe.store.location)
    return final_state(outcomes)
