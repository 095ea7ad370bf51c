"""Run the pipeline for a list of URLs without Prefect (the CLI's path when no API is set)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from palimpsest.flows.context import PipelineConfig, open_pipeline
from palimpsest.flows.pipeline import Outcome, archive_url

THREADS = 8


def archive_in_process(urls: list[str], config: PipelineConfig) -> list[Outcome]:
    """Archive `urls` concurrently in this process; outcomes in the order of `urls`."""
    with open_pipeline(config) as pipe:
        if len(urls) == 1:
            return [archive_url(urls[0], pipe)]
        with ThreadPoolExecutor(max_workers=min(THREADS, len(urls))) as pool:
            return list(pool.map(lambda u: archive_url(u, pipe), urls))
