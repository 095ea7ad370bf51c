"""Build the per-run dependencies (fetcher, store, seed corpus, extraction pool) from plain config.

`PipelineConfig` holds plain, hashable values so a Prefect task (or a Dask worker) can receive
it; `open_pipeline` creates the clients once per run and closes them afterwards, and
`pipeline_for` hands the same objects to every task of the run in this process (so per-host
politeness and the robots cache are shared), building them lazily on a worker that has none.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from palimpsest.catalog import sqlite_url
from palimpsest.diffing import SeedCorpus
from palimpsest.extractors import Article, extract
from palimpsest.extractors.pool import ExtractPool, Limits
from palimpsest.fetchers import Fetcher, FetchSettings, make_client
from palimpsest.flows.catalog import CatalogReporter, catalog_url, open_scheduled
from palimpsest.flows.seeds import seeds_for_archiving
from palimpsest.storage import Store, open_store

from palimpsest.settings import Settings

ExtractFn = Callable[[bytes, str, "str | None"], Article]


@dataclass(frozen=True)
class PipelineConfig:
    """Everything a run needs, as plain values (picklable, hashable)."""

    store: str
    seeds_dir: str
    fetch: FetchSettings = field(default_factory=FetchSettings)
    extract_workers: int = 1  # 1 without limits: extract in the calling thread
    extract_limits: Limits | None = None  # a bounded process pool (see extractors.pool)
    cache_dir: str | None = None  # where the built seed corpus is kept between runs
    catalog: str | None = None  # the catalog's URL; None: the store's default (flows/catalog.py)

    @classmethod
    def from_settings(
        cls, settings: Settings, *, store: str | None = None, extract_workers: int | None = None
    ) -> PipelineConfig:
        workers = settings.extract_workers or (os.cpu_count() or 1)
        return cls(
            store=store or settings.store,
            seeds_dir=str(settings.seeds_dir),
            fetch=FetchSettings(
                timeout=settings.fetch_timeout,
                user_agent=settings.user_agent,
                max_bytes=settings.max_bytes,
                retries=settings.retries,
                host_concurrency=settings.host_concurrency,
                host_delay=settings.host_delay,
                deadline=settings.fetch_deadline,
                transfer_timeout=settings.transfer_timeout,
                allow_private=settings.allow_private,
                allow_link_local=settings.allow_link_local,
                allow_networks=settings.allow_networks,
            ),
            extract_workers=extract_workers if extract_workers is not None else workers,
            extract_limits=Limits(
                timeout=settings.extract_timeout, memory=settings.extract_memory_mb << 20
            ),
            cache_dir=str(settings.cache_dir) if settings.cache_dir else None,
            catalog=settings.catalog_url
            or (sqlite_url(settings.catalog_file) if settings.catalog_file else None),
        )


@dataclass
class Pipeline:
    """The live objects one archive run uses."""

    fetcher: Fetcher
    store: Store
    seeds: SeedCorpus
    extract: ExtractFn
    catalog: CatalogReporter | None = None


def extract_bytes(body: bytes, url: str, encoding: str | None) -> Article:
    return extract(body, url, encoding=encoding)


def make_extract_pool(config: PipelineConfig) -> ExtractPool | None:
    """Worker processes with the config's limits, or None to extract in the calling thread
    (one worker and no limits: tests and library use)."""
    if config.extract_limits is None and config.extract_workers <= 1:
        return None
    return ExtractPool(config.extract_workers, config.extract_limits)


_ACTIVE: dict[PipelineConfig, Pipeline] = {}
_LOCK = threading.Lock()


def open_reporter(config: PipelineConfig, store: Store) -> CatalogReporter:
    """The catalog of the run (opened, its schema migrated), wrapped as the pipeline's reporter."""
    cache = Path(config.cache_dir) if config.cache_dir else None
    url = config.catalog or catalog_url(config.store, cache_dir=cache)
    return CatalogReporter(open_scheduled(url), store)


def _build(config: PipelineConfig, client: httpx.Client, extract_fn: ExtractFn) -> Pipeline:
    store = open_store(config.store)
    return Pipeline(
        fetcher=Fetcher(client, config.fetch),
        store=store,
        catalog=open_reporter(config, store),
        seeds=seeds_for_archiving(
            Path(config.seeds_dir), Path(config.cache_dir) if config.cache_dir else None
        ),
        extract=extract_fn,
    )


@contextmanager
def open_pipeline(config: PipelineConfig) -> Iterator[Pipeline]:
    """Create the run's clients, register them for `pipeline_for`, and close them at the end."""
    client = make_client(config.fetch)
    pool = make_extract_pool(config)
    try:
        pipe = _build(config, client, pool.extract if pool else extract_bytes)
        with _LOCK:
            _ACTIVE[config] = pipe
        yield pipe
    finally:
        with _LOCK:
            active = _ACTIVE.pop(config, None)
        if active is not None and active.catalog is not None:
            active.catalog.close()
        client.close()
        if pool:
            pool.close()


def pipeline_for(config: PipelineConfig) -> Pipeline:
    """The pipeline opened for `config` in this process, or a lasting one built on first use
    (a Dask worker runs tasks without the flow's `open_pipeline`; it extracts in-process, as
    a daemonic worker may not start processes: Dask's own memory limit and nanny bound it)."""
    with _LOCK:
        if config not in _ACTIVE:
            _ACTIVE[config] = _build(config, make_client(config.fetch), extract_bytes)
        return _ACTIVE[config]
