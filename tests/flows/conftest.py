"""Fixtures for the pipeline tests (the `site` page server is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from palimpsest.fetchers import FetchSettings
from palimpsest.flows.context import Pipeline, PipelineConfig, open_pipeline

REPO = Path(__file__).parents[2]


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
