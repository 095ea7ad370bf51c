"""Run the pipeline for a list of URLs without Prefect (the CLI's path when no API is set)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed

from palimpsest.flows.context import Pipeline
from palimpsest.flows.pipeline import Outcome, archive_url

THREADS = 8


def archive_in_process(
    urls: list[str],
    pipe: Pipeline,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Archive `urls` concurrently in this process; outcomes in the order of `urls`.

    `on_outcome` is called (in the calling thread) with each outcome as soon as it is known,
    so a caller can report progress while the rest of the batch runs."""
    report = on_outcome or (lambda _outcome: None)
    if len(urls) == 1:
        outcome = archive_url(urls[0], pipe)
        report(outcome)
        return [outcome]
    with ThreadPoolExecutor(max_workers=max(1, min(THREADS, len(urls)))) as pool:
        futures = {pool.submit(archive_url, u, pipe): i for i, u in enumerate(urls)}
        outcomes: list[Outcome | None] = [None] * len(urls)
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[futures[future]] = outcome
            report(outcome)
    return [o for o in outcomes if o is not None]
