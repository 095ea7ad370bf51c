"""The composition root: the one place a `PipelineConfig` is made from the settings.

The CLI and the Prefect flow (palimpsest/flow.py) both call `pipeline_config`, then
`flows.context.open_pipeline` builds the live objects from it; nothing below this layer reads
the settings or the environment.
"""

from __future__ import annotations

import os

from palimpsest.catalog import sqlite_url
from palimpsest.extractors.pool import Limits
from palimpsest.fetchers import FetchSettings
from palimpsest.flows.context import PipelineConfig
from palimpsest.settings import Settings


def pipeline_config(
    settings: Settings,
    *,
    store: str | None = None,
    extract_workers: int | None = None,
    reporters: tuple[str, ...] = (),
) -> PipelineConfig:
    """The run's configuration: `store` (default: the settings'), `extract_workers` (default:
    the settings', where 0 means one per core), and the reporters to use by name."""
    workers = extract_workers if extract_workers is not None else settings.extract_workers
    return PipelineConfig(
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
        extract_workers=workers or (os.cpu_count() or 1),
        extract_limits=Limits(
            timeout=settings.extract_timeout, memory=settings.extract_memory_mb << 20
        ),
        cache_dir=str(settings.cache_dir) if settings.cache_dir else None,
        catalog=settings.catalog_url
        or (sqlite_url(settings.catalog_file) if settings.catalog_file else None),
        reporters=reporters,
    )
