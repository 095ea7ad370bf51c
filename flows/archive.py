"""The Prefect flow `archive-sources`: one task per URL, composed from plain functions.

The flow only composes: `archive_url` (flows/pipeline.py) does the work; this module picks the
URLs, fans them out as tasks, and publishes the outcome as Prefect artifacts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from palimpsest.catalog import Catalog
from palimpsest.flows.artifacts import publish_artifacts
from palimpsest.flows.context import PipelineConfig, open_pipeline, pipeline_for
from palimpsest.flows.errors import PipelineError
from palimpsest.flows.pipeline import Outcome, archive_url
from palimpsest.flows.sources import due_urls, load_sources, long_failing
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.states import Completed, Failed, State
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from palimpsest.settings import Settings

# Threads overlap the network waits; extraction runs in the pipeline's process pool.
TASK_THREADS = 16


class UrlFailed(Exception):
    """Raised by a task whose URL failed, so Prefect shows that task run as Failed."""


# No cache policy: an archive must always run (and hashing the inputs and the task's source
# for a cache key costs time on every one of thousands of task runs); nothing to persist.
@task(task_run_name="archive {url}", cache_policy=NO_CACHE, persist_result=False)
def archive_task(url: str, config: PipelineConfig) -> dict[str, Any]:
    outcome = archive_url(url, pipeline_for(config))
    if outcome.status == "failed":
        raise UrlFailed(outcome.error)
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
            "pip install 'palimpsest[dask]'"
        ) from None
    return DaskTaskRunner(address=dask_address)


def run_tasks(urls: list[str], config: PipelineConfig, runner: TaskRunner) -> list[Outcome]:
    """Submit one task per URL and collect every outcome; one failure never stops the rest."""
    with runner:
        futures = [runner.submit(archive_task, {"url": u, "config": config}) for u in urls]
        return collect(urls, futures)


def collect(urls: list[str], futures: list[PrefectFuture]) -> list[Outcome]:
    outcomes = []
    for url, future in zip(urls, futures, strict=True):
        state = future.wait() or future.state
        if state.is_completed():
            outcomes.append(Outcome(**future.result()))
        else:
            outcomes.append(Outcome(url=url, status="failed", error=state.message or "failed"))
    return outcomes


def final_state(outcomes: list[Outcome]) -> State:
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    message = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no URLs"
    data = [o.to_dict() for o in outcomes]
    failed = counts.get("failed", 0)
    if failed:
        return Failed(message=f"{failed} of {len(outcomes)} URLs failed ({message})", data=data)
    return Completed(message=message, data=data)


@flow(name="archive-sources")
def archive_sources(
    urls: list[str] | None = None,
    sources_file: str | None = None,
    store: str | None = None,
    due_only: bool = True,
    period_minutes: int = 15,
    dask_address: str | None = None,
) -> State:
    """Archive `urls`, or else the sources of `sources_file` that are due, into `store`.

    `period_minutes` is how often the schedule runs this flow: a source is due when one of
    its adaptive recheck slots falls within the last period (`due_only=False`: all sources).
    `dask_address` (default: $PALIMPSEST_DASK_ADDRESS) runs the tasks on a Dask cluster.
    """
    settings = Settings.from_env()
    config = PipelineConfig.from_settings(settings, store=store)
    logger = get_run_logger()
    with open_pipeline(config) as pipe:
        if urls:
            targets = list(urls)
        else:
            listed = load_sources(sources_file or settings.sources_file)
            for problem in listed.problems:
                logger.warning("%s (skipped; the other sources run)", problem)
            targets = listed.urls()
            if due_only and pipe.catalog is not None:
                now, period = datetime.now(UTC), timedelta(minutes=period_minutes)
                targets = due_urls(listed, pipe.catalog.catalog, now, period)
                report_failing(pipe.catalog.catalog, now, logger)
        logger.info("archiving %d URL(s) into %s", len(targets), pipe.store.location)
        runner = task_runner(dask_address or settings.dask_address)
        outcomes = run_tasks(targets, config, runner)
        publish_artifacts(outcomes, pipe.store)
    return final_state(outcomes)
