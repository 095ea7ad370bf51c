"""One worker of tests/flows/test_shared_politeness.py, as a process of its own.

    python politeness_worker.py READY GO STORE URL...

A flow run that builds the pipeline from the settings in the environment (PREFECT_API_URL,
PALIMPSEST_HOST_*, PALIMPSEST_SHARED_LIMITS), writes the READY file, waits for the GO file (so
that two workers start fetching together), archives the URLs as `archive-sources` does
(`run_archive`: batches as tasks) and prints each URL's status.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from palimpsest.flows.archive import run_archive
from palimpsest.flows.context import open_pipeline
from prefect import flow
from prefect.states import State

from palimpsest.flow import outcomes_of
from palimpsest.runtime import pipeline_config
from palimpsest.settings import Settings


@flow(name="politeness-worker")
def worker(ready: str, go: str, store: str, urls: list[str]) -> State:
    config = pipeline_config(Settings.from_env(), store=store)
    with open_pipeline(config) as pipe:
        Path(ready).touch()
        deadline = time.monotonic() + 60
        while not Path(go).exists():
            if time.monotonic() > deadline:
                raise TimeoutError("no go within 60 s")
            time.sleep(0.01)
        return run_archive(pipe, urls)


def main(ready: str, go: str, store: str, *urls: str) -> None:
    state = worker(ready, go, store, list(urls), return_state=True)
    for outcome in outcomes_of(state):
        print(outcome.url, outcome.status, outcome.error or "")


if __name__ == "__main__":
    main(*sys.argv[1:])
