"""Fixtures for the pipeline tests: the demo article pages on a fixed local port.

HTTP is recorded once against the live server (`pytest --record-mode=once`) and replayed from
tests/flows/cassettes; when replaying, the server is not started: its fixed port keeps the
recorded URLs valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fetchers import FetchSettings
from flows.context import Pipeline, PipelineConfig, open_pipeline
from palimpsest.localserver import PageServer

REPO = Path(__file__).parents[2]
PAGES = REPO / "palimpsest" / "demo_pages"
RECORD_PORT = 48117


@pytest.fixture
def site(record_mode: str) -> Iterator[PageServer]:
    server = PageServer(port=RECORD_PORT)
    for page in sorted(PAGES.glob("*.html")):
        server.set(
            f"/{page.stem}",
            page.read_text(encoding="utf-8"),
            last_modified="Mon, 17 Feb 2025 09:00:00 GMT",
        )
    if record_mode == "none":
        yield server
    else:
        with server.running():
            yield server


def config_for(store: Path) -> PipelineConfig:
    return PipelineConfig(
        store=str(store),
        seeds_dir=str(REPO / "seeds"),
        fetch=FetchSettings(host_delay=0.0, retries=0, timeout=10.0),
        extract_workers=1,
    )


@pytest.fixture
def pipeline(tmp_path: Path) -> Iterator[Pipeline]:
    with open_pipeline(config_for(tmp_path / "archive")) as pipe:
        yield pipe
