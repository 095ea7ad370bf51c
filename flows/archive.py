"""The body of the `archive-sources` Prefect flow: one task per URL, composed from plain functions.

The flow itself (its parameters, its Run form) is palimpsest/flow.py, where the pipeline is
built from the settings; `run_archive` is what it runs with that pipeline: pick the URLs, fan
them out as tasks, publish the outcomes table, and end in a state that says what failed.
`archive_url` (flows/pipeline.py) does each URL's work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from palimpsest.catalog import Catalog
from palimpsest.flows.artifacts import publish_outcomes
from palimpsest.flows.context import Pipeline, PipelineRef, pipeline_for
from palimpsest.flows.errors import PipelineError, UrlsFailed
from palimpsest.flows.pipeline import Outcome, archive_url
from palimpsest.flows.sources import due_urls, load_sources, long_failing
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.states import Completed, Failed, State
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

# Threads overlap the network waits; extraction runs in the pipeline's process pool.
TASK_THREADS = 16


# No cache policy: an archive must always run (and hashing the inputs and the task's source
# for a cache key costs time on every one of thousands of task runs); nothing to persist.
@task(task_run_name="archive {url}", cache_policy=NO_CACHE, persist_result=False)
def archive_task(url: str, ref: PipelineRef) -> dict[str, Any] | State:
    """Archive one URL; a failed URL ends the task run Failed with its short reason (the
    task's name carries the URL), without an exception or a traceback in the logs."""
    outcome = archive_url(url, pipeline_for(ref))
    if outcome.status == "failed":
        return Failed(message=outcome.error or "failed")
    return outcome.to_dict()


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


def run_tasks(urls: list[str], ref: PipelineRef, runner: TaskRunner) -> list[Outcome]:
    """Submit one task per URL and collect every outcome; one failure never stops the rest."""
    with runner:
        futures = [runner.submit(archive_task, {"url": u, "ref": ref}) for u in urls]
        return collect(urls, futures)


def collect(urls: list[str], futures: Sequence[PrefectFuture[Any]]) -> list[Outcome]:
    outcomes = []
    for url, future in zip(urls, futures, strict=True):
        future.wait()
        state = future.state
        if state.is_completed():
            outcomes.append(Outcome(**future.result()))
        else:
            outcomes.append(Outcome(url=url, status="failed", error=state.message or "failed"))
    return outcomes


def final_state(outcomes: list[Outcome]) -> State:
    """Completed with the outcomes, or Failed with `UrlsFailed` (which carries them)."""
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    message = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no URLs"
    data = [o.to_dict() for o in outcomes]
    failed = counts.get("failed", 0)
    if failed:
        message = f"{failed} of {len(outcomes)} URLs failed ({message})"
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
    if not due_only or pipe.catalog is None:
        return listed.urls()
    now = datetime.now(UTC)
    report_failing(pipe.catalog.catalog, now, logger)
    return due_urls(listed, pipe.catalog.catalog, now, period)


def run_archive(pipe: Pipeline, urls: list[str], dask_address: str | None = None) -> State:
    """Inside a flow run: archive `urls` with `pipe`, one task each, and publish the outcomes."""
    get_run_logger().info("archiving %d URL(s) into %s", len(urls), pipe.store.location)
    outcomes = run_tasks(urls, pipe.ref, task_runner(dask_address))
    publish_outcomes(outcomes, pipe.store.location)
    return final_state(outcomes)
