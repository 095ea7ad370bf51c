"""The composition root: the one place a `PipelineConfig` is made from the settings.

The CLI and the Prefect flow (palimpsest/flow.py) both call `pipeline_config`, then
`flows.context.open_pipeline` builds the live objects from it; nothing below this layer reads
the settings or the environment. The pipeline's modules are imported inside the functions:
the CLI calls `start_extract_pool` first, so that its workers' start-up (imports, the seed
corpus, the word vectors: ~0.45 s) overlaps this process's own imports instead of
following them.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from palimpsest.extractors.pool import ExtractPool, Limits
from palimpsest.settings import Settings

if TYPE_CHECKING:
    from palimpsest.flows.context import NotifyConfig, PipelineConfig

log = logging.getLogger(__name__)


def extract_limits(settings: Settings) -> Limits:
    return Limits(timeout=settings.extract_timeout, memory=settings.extract_memory_mb << 20)


def worker_count(settings: Settings, workers: int | None = None) -> int:
    """`workers`, else the settings' (0: one per core)."""
    chosen = workers if workers is not None else settings.extract_workers
    return chosen or (os.cpu_count() or 1)


def start_extract_pool(settings: Settings, workers: int | None = None) -> ExtractPool:
    """Extraction workers for a run of `pipeline_config(settings, extract_workers=workers)`,
    started now (pass them to `open_pipeline(pool=...)`)."""
    from palimpsest.flows.seeds import matching_pool

    cache = str(settings.cache_dir) if settings.cache_dir else None
    limits = extract_limits(settings)
    return matching_pool(worker_count(settings, workers), limits, str(settings.seeds_dir), cache)


def notify_config(settings: Settings, sources_file: str | Path | None = None) -> NotifyConfig:
    """The notification rules of the sources file (default: the settings') and the
    destinations of the settings. A sources file that cannot be read has no rules (the
    archive says why when it reads it)."""
    from palimpsest.flows.context import NotifyConfig
    from palimpsest.flows.errors import SourcesError
    from palimpsest.flows.sources import load_sources
    from palimpsest.notify import Rule

    path = Path(sources_file or settings.sources_file)
    rules: tuple[tuple[str, Rule], ...] = ()
    default = Rule()
    if path.is_file():
        try:
            listed = load_sources(path)
        except SourcesError as exc:
            log.warning("%s: no notifications from it", exc)
        else:
            rules, default = tuple(listed.rules()), listed.default_rule
    return NotifyConfig(
        rules=rules,
        default=default,
        environ=settings.notify_targets,
        viewer_url=settings.viewer_url,
    )


def pipeline_config(
    settings: Settings,
    *,
    store: str | None = None,
    extract_workers: int | None = None,
    reporters: tuple[str, ...] = (),
    sources_file: str | Path | None = None,
) -> PipelineConfig:
    """The run's configuration: `store` (default: the settings'), `extract_workers` (default:
    the settings', where 0 means one per core), and the reporters to use by name (with
    `notify` when a rule of `sources_file`, default the settings', wants notifications)."""
    from palimpsest.catalog import sqlite_url
    from palimpsest.fetchers import FetchSettings
    from palimpsest.flows.context import PipelineConfig

    notify = notify_config(settings, sources_file)
    if notify.wanted and "notify" not in reporters:
        reporters = (*reporters, "notify")
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
        extract_workers=worker_count(settings, extract_workers),
        extract_limits=extract_limits(settings),
        cache_dir=str(settings.cache_dir) if settings.cache_dir else None,
        catalog=settings.catalog_url
        or (sqlite_url(settings.catalog_file) if settings.catalog_file else None),
        reporters=reporters,
        notify=notify,
        shared_limits=settings.shared_limits and settings.prefect_api_url is not None,
    )
