"""A measured proposal for flows/: one Prefect task per *batch* of URLs instead of per URL.

Not part of the product. `palimpsest.flow.archive_sources` runs one task per URL, and each
Prefect task run costs tens of milliseconds of API round trips and state bookkeeping. On an
unchanged recheck (a 304 per page, nothing extracted or stored) that bookkeeping is nearly
all the work. This flow is `archive_sources` with the fan-out changed to batches of
`BATCH` URLs (same pipeline, same settings, same artifacts), so the bench can show what
the change would buy, measured in the same run.
"""

from __future__ import annotations

from typing import Any

from palimpsest.flows.archive import TASK_THREADS, final_state
from palimpsest.flows.artifacts import publish_outcomes
from palimpsest.flows.context import PipelineRef, open_pipeline, pipeline_for
from palimpsest.flows.pipeline import Outcome, archive_url
from prefect import flow, task, unmapped
from prefect.task_runners import ThreadPoolTaskRunner

from palimpsest.runtime import pipeline_config
from palimpsest.settings import Settings

BATCH = 16


@task(task_run_name="archive {n} URLs from {first}")
def archive_batch(urls: list[str], first: str, n: int, ref: PipelineRef) -> list[dict]:
    pipe = pipeline_for(ref)
    return [archive_url(url, pipe).to_dict() for url in urls]


@flow(name="archive-sources-batched", task_runner=ThreadPoolTaskRunner(max_workers=TASK_THREADS))
def archive_sources_batched(urls: list[str], store: str) -> Any:
    config = pipeline_config(Settings.from_env(), store=store, reporters=("prefect",))
    with open_pipeline(config) as pipe:
        batches = [urls[i : i + BATCH] for i in range(0, len(urls), BATCH)]
        futures = archive_batch.map(
            batches, [b[0] for b in batches], [len(b) for b in batches], ref=unmapped(pipe.ref)
        )
        outcomes = [Outcome(**d) for f in futures for d in f.result()]
        publish_outcomes(outcomes, pipe.store.location)
    return final_state(outcomes)
