"""Fixtures for the pipeline tests (the `site`, `live_site` and `mock_site` page servers
are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from palimpsest.fetchers import FetchSettings
from palimpsest.flows.context import Pipeline, PipelineConfig, open_pipeline

from palimpsest.localserver import PageServer

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


@pytest.fixture
def mock_pipeline(tmp_path: Path, mock_site: PageServer) -> Iterator[Pipeline]:
    """The real pipeline, its fetcher's client on `mock_site`'s transport."""
    with open_pipeline(config_for(tmp_path / "archive"), transport=mock_site.transport) as pipe:
        yield pipe
