"""The Prefect flow `archive-sources`: one task per URL, composed from plain functions.

The flow only composes: `archive_url` (flows/pipeline.py) does the work; this module picks the
URLs, fans them out as tasks, and publishes the outcome as Prefect artifacts.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task, unmapped
from prefect.states import Completed, Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from flows.artifacts import publish_artifacts
from flows.context import PipelineConfig, open_pipeline, pipeline_for
from flows.pipeline import Outcome, archive_url
from palimpsest.settings import Settings

# Threads overlap the network waits; extraction runs in the pipeline's process pool.
TASK_THREADS = 16


class UrlFailed(Exception):
    """Raised by a task whose URL failed, so Prefect shows that task run as Failed."""


@task(task_run_name="archive {url}")
def archive_task(url: str, config: PipelineConfig) -> dict[str, Any]:
    outcome = archive_url(url, pipeline_for(config))
    if outcome.status == "failed":
        raise UrlFailed(outcome.error)
    return outcome.to_dict()


def run_tasks(urls: list[str], config: PipelineConfig) -> list[Outcome]:
    """Submit one task per URL and collect every outcome; one failure never stops the rest."""
    futures = archive_task.map(urls, config=unmapped(config))
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


@flow(name="archive-sources", task_runner=ThreadPoolTaskRunner(max_workers=TASK_THREADS))
def archive_sources(
    urls: list[str] | None = None,
    sources_file: str | None = None,
    store: str | None = None,
) -> State:
    """Archive `urls` (or the sources due in `sources_file`) into `store`."""
    from flows.sources import due_urls

    settings = Settings.from_env()
    config = PipelineConfig.from_settings(settings, store=store)
    logger = get_run_logger()
    with open_pipeline(config) as pipe:
        targets = urls or due_urls(sources_file or settings.sources_file, pipe.store)
        logger.info("archiving %d URL(s) into %s", len(targets), pipe.store.location)
        outcomes = run_tasks(list(targets), config)
        publish_artifacts(outcomes, pipe.store)
    return final_state(outcomes)
