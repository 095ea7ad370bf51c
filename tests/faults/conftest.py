"""Fixtures of the fault suite: the fault site, S3 endpoints that can be killed, run config.

The helpers sit next to this file (tests/ has no packages) and are loaded by path.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from palimpsest.fetchers import FetchSettings
from palimpsest.flows.context import PipelineConfig, open_pipeline
from palimpsest.flows.pipeline import Outcome
from palimpsest.flows.run import archive_in_process as archive_with


def _load(name: str, filename: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(filename))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


faultsite = _load("faults_test_faultsite", "faultsite.py")
s3kill = _load("faults_test_s3kill", "s3kill.py")

REPO = Path(__file__).resolve().parents[2]
ACCESS_KEY = "AKIAFAULTSUITEFAKE01"
SECRET = "fault/SUITE+secret-never-printed-987654321"
TIMEOUT = 3.0  # seconds; generous for a loaded machine, the stalling faults outlast it


def make_config(store: str, *, retries: int = 0) -> PipelineConfig:
    """The real pipeline's configuration, with small timeouts and no politeness delay; its
    cache (an S3 store's catalog, the seed corpus) in the suite's own cache folder
    (tests/conftest.py), never the user's."""
    fetch = FetchSettings(
        timeout=TIMEOUT,
        transfer_timeout=4 * TIMEOUT,
        retries=retries,
        backoff_base=0.01,
        host_concurrency=8,
        host_delay=0,
    )
    return PipelineConfig(
        store=store,
        seeds_dir=str(REPO / "seeds"),
        fetch=fetch,
        cache_dir=os.environ["PALIMPSEST_CACHE_DIR"],
    )


@pytest.fixture
def config_for() -> Callable[..., PipelineConfig]:
    """`config_for(store, retries=0)`: see `make_config`."""
    return make_config


@pytest.fixture
def archive_in_process() -> Callable[[list[str], PipelineConfig], list[Outcome]]:
    """`archive_in_process(urls, config)`: one run of the in-process pipeline, as the CLI's."""

    def run(urls: list[str], config: PipelineConfig) -> list[Outcome]:
        with open_pipeline(config) as pipe:
            return archive_with(urls, pipe)

    return run


@pytest.fixture
def fault_site() -> Iterator[Any]:
    site = faultsite.FaultSite(per_fault=4, ok=8)
    with site.running():
        yield site


@pytest.fixture(scope="module")
def moto_port() -> Iterator[int]:
    proc, port = s3kill.start_moto()
    try:
        yield port
    finally:
        s3kill.stop(proc)


@pytest.fixture
def s3_env(boto3_env: Callable[[str, str, str], None]) -> Callable[[str], None]:
    """Point boto3's standard configuration at an endpoint (as a user would), fake keys."""
    return lambda endpoint: boto3_env(endpoint, ACCESS_KEY, SECRET)


@pytest.fixture
def bucket_name() -> str:
    return f"faults-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def s3tools() -> Any:
    """The s3kill helpers: `start_moto`, `stop`, `KillableProxy`."""
    return s3kill


@pytest.fixture
def fake_keys() -> tuple[str, str]:
    """(access key id, secret) the S3 tests use; neither may appear in any message."""
    return ACCESS_KEY, SECRET


@pytest.fixture
def make_bucket() -> Callable[[str, str], None]:
    def create(endpoint: str, name: str) -> None:
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET,
            region_name="us-east-1",
        ).create_bucket(Bucket=name)

    return create
