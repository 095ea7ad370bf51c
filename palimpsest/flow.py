"""The `archive-sources` Prefect flow: the deployments' entry point (prefect.yaml).

This is where a flow run reads the settings and builds its pipeline (through the composition
root, palimpsest/runtime.py); `flows.archive.run_archive` does the rest. The flow's
signature and docstring are what the deployment's Run form shows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from prefect import flow
from prefect.logging.handlers import PrefectConsoleHandler
from prefect.states import State

from palimpsest.flows.archive import BATCH_SIZE, run_archive, targets
from palimpsest.flows.context import open_pipeline
from palimpsest.flows.errors import PipelineError, UrlsFailed
from palimpsest.flows.pipeline import Outcome
from palimpsest.runtime import pipeline_config
from palimpsest.settings import Settings


@flow(name="archive-sources")
def archive_sources(
    urls: list[str] | None = None,
    sources_file: str | None = None,
    store: str | None = None,
    due_only: bool = True,
    period_minutes: int = 15,
    dask_address: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> State:
    """Archive article URLs: fetch each, store a new version when its text changed, diff it.

    Args:
        urls: The URLs to archive now. When empty, the sources of `sources_file` are used.
        sources_file: The sources file (YAML) to read when no URLs are given. Default:
            $PALIMPSEST_SOURCES_FILE, else sources.yaml.
        store: Where to archive: a directory or s3://bucket/prefix. Default:
            $PALIMPSEST_STORE, else ./archive.
        due_only: Archive only the sources due under their recheck cadence (adaptive: a
            source that changed recently is due often); off archives every source.
        period_minutes: How often the schedule runs this flow, in minutes: a source is due
            when one of its recheck slots falls within the last period.
        dask_address: Run the tasks on the Dask cluster at this scheduler address (the
            `dask` extra). Default: $PALIMPSEST_DASK_ADDRESS, else threads in this process.
        batch_size: URLs per task run (a host's URLs stay together; each URL's outcome is
            logged in its batch's task and listed in the outcomes table).
    """
    settings = Settings.from_env()
    sources = sources_file or str(settings.sources_file)
    config = pipeline_config(
        settings, store=store, reporters=("prefect", "events"), sources_file=sources
    )
    with open_pipeline(config, keep_pool=True) as pipe:
        todo = targets(
            pipe,
            urls,
            sources,
            due_only,
            timedelta(minutes=period_minutes),
        )
        return run_archive(pipe, todo, dask_address or settings.dask_address, batch_size)


@contextmanager
def _quiet_console() -> Iterator[None]:
    """Keep Prefect's console log handler quiet (the logs still reach the API and the UI)."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]
    levels = [h.level for h in handlers]
    for handler in handlers:
        handler.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for handler, level in zip(handlers, levels, strict=True):
            handler.setLevel(level)


def outcomes_of(state: State) -> list[Outcome]:
    """The outcomes a finished `archive-sources` run returned (Completed or Failed)."""
    result = state.result(raise_on_failure=False)
    rows = result.outcomes if isinstance(result, UrlsFailed) else result
    if not isinstance(rows, list):  # the run crashed before it had outcomes
        raise PipelineError(f"flow run ended {state.name}: {state.message}")
    return [Outcome(**row) for row in rows]


def archive_quietly(urls: list[str], store: str) -> list[Outcome]:
    """Run the flow on `urls` in this process, for the CLI: the run shows in the Prefect UI
    while the terminal shows only the outcomes (as without Prefect)."""
    with _quiet_console():
        state = archive_sources(urls=urls, store=store, return_state=True)
    return outcomes_of(state)
