"""The `Pipeline`: every live object an archive run uses, built once from a `PipelineConfig`.

`PipelineConfig` holds plain, hashable values (the composition root, palimpsest/runtime.py,
fills it from the settings); `open_pipeline` builds the fetcher (on an injectable httpx
transport), the store, the extractor (in bounded worker processes, extractors.pool), the
segmenter, the seed corpus and the reporters, and closes them at the end. The CLI, the
Prefect flow and the tests all go through it.

A Prefect task receives a `PipelineRef` (the run's id and its config, both picklable):
`pipeline_for(ref)` hands every task of the run in this process the same objects (so per-host
politeness and the robots cache are shared), and builds a lasting one for that run on a Dask
worker, which has none.
"""

from __future__ import annotations

import atexit
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from palimpsest.diffing import VersionDiff, split_sentences
from palimpsest.diffing.versions import diff_sentences
from palimpsest.extractors import Article
from palimpsest.extractors.pool import ExtractPool, Limits
from palimpsest.fetchers import Fetcher, FetchSettings, make_client
from palimpsest.fetchers.politeness import SharedLimits
from palimpsest.flows.catalog import CatalogReporter, catalog_url, open_scheduled
from palimpsest.flows.reporters import Reporter, Reporters
from palimpsest.flows.seeds import match_seeds, matching_pool, seeds_for_archiving, stored_matches
from palimpsest.notify import Rule
from palimpsest.storage import Store, open_store

from palimpsest import extractors
from palimpsest.errors import PalimpsestError

if TYPE_CHECKING:
    from palimpsest.diffing import SeedCorpus

log = logging.getLogger(__name__)
ExtractFn = Callable[[bytes, str, "str | None"], Article]
Segmenter = Callable[[str], list[str]]


@dataclass(frozen=True)
class NotifyConfig:
    """Who is told of which changes (sources.yaml's rules, resolved per URL) and where the
    destination names point (the PALIMPSEST_NOTIFY_* settings: secrets, never in a repr)."""

    rules: tuple[tuple[str, Rule], ...] = ()  # (normalised URL, its rule)
    default: Rule = field(default_factory=Rule)  # URLs not in the sources file
    environ: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    viewer_url: str | None = None  # links to the viewer's diff
    attempts: int = 3  # per destination and send, with back-off doubling from `backoff`
    backoff: float = 1.0
    timeout: float = 10.0

    @property
    def wanted(self) -> bool:
        """Whether any rule wants notifications."""
        return any(r.mode != "never" for r in (self.default, *(r for _, r in self.rules)))


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
    reporters: tuple[str, ...] = ()  # names in flows.reporters.REPORTERS
    notify: NotifyConfig | None = None  # the notify reporter's rules and destinations
    shared_limits: bool = False  # per-host limits across workers, at Prefect (flows/politeness)


@dataclass
class Pipeline:
    """The live objects one archive run uses."""

    config: PipelineConfig
    fetcher: Fetcher
    store: Store
    seeds: SeedCorpus | None  # None: the pool's workers hold the corpus (`seed_matches`)
    extract: ExtractFn
    catalog: CatalogReporter | None = None  # the run's catalog: state it reads, checks it keeps
    reporters: Reporters = field(default_factory=Reporters)
    segment: Segmenter = split_sentences
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    pool: ExtractPool | None = None  # the worker processes `extract` and the seed match use

    def seed_matches(self, text: str, url: str) -> list[dict[str, Any]]:
        """The seed matches of a new version's `text` (flows.seeds.stored_matches): in the
        extraction workers when there are some (the match is the archive's costliest stage
        after extraction, and a worker bounds it as it bounds extraction), else here. A match
        a worker could not finish (deadline, memory, a worker killed) is a warning: the
        version is stored without seed matches, as with a missing corpus."""
        if self.pool is None:
            return stored_matches(self.seeds, text) if self.seeds is not None else []
        config = self.config
        try:
            matches: list[dict[str, Any]] = self.pool.run(
                match_seeds, config.seeds_dir, config.cache_dir, text, about=url, what="seed match"
            )
        except PalimpsestError as exc:
            log.warning("%s: stored without seed matches", exc)
            return []
        return matches

    def diff(self, old: str, new: str) -> VersionDiff:
        """Sentence-level diff of two texts, cut into sentences by the pipeline's segmenter."""
        return diff_sentences(self.segment(old), self.segment(new))

    @property
    def ref(self) -> PipelineRef:
        return PipelineRef(self.run_id, self.config)


@dataclass(frozen=True)
class PipelineRef:
    """What a task needs to find (or, on another machine, rebuild) its run's pipeline."""

    run_id: str
    config: PipelineConfig


def extract_bytes(body: bytes, url: str, encoding: str | None) -> Article:
    return extractors.extract(body, url, encoding=encoding)


def pooled(config: PipelineConfig) -> bool:
    """Whether the config extracts in worker processes: not with one worker and no limits
    (tests and library use: in the calling thread)."""
    return config.extract_limits is not None or config.extract_workers > 1


def _new_pool(config: PipelineConfig, *, lazy: bool = False) -> ExtractPool:
    return matching_pool(
        config.extract_workers, config.extract_limits, config.seeds_dir, config.cache_dir, lazy=lazy
    )


def make_extract_pool(config: PipelineConfig) -> ExtractPool | None:
    """Worker processes with the config's limits, each ready to match against the config's
    seeds, or None to extract in the calling thread."""
    return _new_pool(config) if pooled(config) else None


# The process's lasting extraction pools (`open_pipeline(keep_pool=True)`: the flow), by
# worker count, limits and seeds: started by the first page that needs one, then warm for
# every later run in this process; closed at exit.
_POOLS: dict[tuple[int, Limits | None, str, str | None], ExtractPool] = {}


def lasting_pool(config: PipelineConfig) -> ExtractPool | None:
    """This process's lasting pool for the config's workers, limits and seeds (None as above)."""
    if not pooled(config):
        return None
    key = (config.extract_workers, config.extract_limits, config.seeds_dir, config.cache_dir)
    with _LOCK:
        if key not in _POOLS:
            if not _POOLS:
                atexit.register(close_lasting_pools)
            _POOLS[key] = _new_pool(config, lazy=True)
        return _POOLS[key]


def close_lasting_pools() -> None:
    """Stop this process's lasting pools (at exit; a later run starts new ones)."""
    with _LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close()


def catalog_address(config: PipelineConfig) -> str:
    """The URL of the run's catalog."""
    cache = Path(config.cache_dir) if config.cache_dir else None
    return config.catalog or catalog_url(config.store, cache_dir=cache)


def open_reporter(config: PipelineConfig, store: Store) -> CatalogReporter:
    """The catalog of the run (opened, its schema migrated), wrapped as the pipeline's reporter."""
    return CatalogReporter(open_scheduled(catalog_address(config)), store)


def _build(
    config: PipelineConfig,
    client: httpx.Client,
    pool: ExtractPool | None,
    reporters: Iterable[Reporter] = (),
    run_id: str | None = None,
) -> Pipeline:
    store = open_store(config.store)
    cache = Path(config.cache_dir) if config.cache_dir else None
    pipe = Pipeline(
        config=config,
        fetcher=Fetcher(client, config.fetch, shared=shared_limits(config)),
        store=store,
        catalog=open_reporter(config, store),
        seeds=None if pool else seeds_for_archiving(Path(config.seeds_dir), cache),
        extract=pool.extract if pool else extract_bytes,
        reporters=Reporters.build(config, reporters),
        pool=pool,
    )
    if run_id:
        pipe.run_id = run_id
    return pipe


def shared_limits(config: PipelineConfig) -> SharedLimits | None:
    """The Prefect server's per-host limits when the config wants them (else per process)."""
    if not config.shared_limits:
        return None
    from palimpsest.flows.politeness import PrefectHostLimits  # imports Prefect's client

    return PrefectHostLimits(config.fetch)


_ACTIVE: dict[str, Pipeline] = {}  # run id -> the pipeline open_pipeline made for that run
# built by pipeline_for on a worker, with its client
_LASTING: OrderedDict[str, tuple[Pipeline, httpx.Client]] = OrderedDict()
_LASTING_KEPT = 4
_LOCK = threading.Lock()


@contextmanager
def open_pipeline(
    config: PipelineConfig,
    *,
    transport: httpx.BaseTransport | None = None,
    reporters: Iterable[Reporter] = (),
    keep_pool: bool = False,
    pool: ExtractPool | None = None,
) -> Iterator[Pipeline]:
    """Build the run's pipeline, register it for `pipeline_for`, and close it at the end.

    `transport` replaces the network under the fetcher's client (tests: `httpx.MockTransport`);
    `reporters` are added to those `config.reporters` names. `keep_pool`: extract in this
    process's lasting pool (`lasting_pool`: started by the first page to extract, kept warm
    for the next run), else in `pool` (the caller's, who closes it: the CLI starts it before
    it imports this module, so its workers load while this process does) or in a pool of
    this run's own, started now and closed at the end.
    """
    client = make_client(config.fetch, transport=transport)
    own = pool is None and not keep_pool
    if pool is None:
        pool = lasting_pool(config) if keep_pool else make_extract_pool(config)
    pipe = None
    try:
        pipe = _build(config, client, pool, reporters)
        with _LOCK:
            _ACTIVE[pipe.run_id] = pipe
        yield pipe
    finally:
        if pipe is not None:
            with _LOCK:
                _ACTIVE.pop(pipe.run_id, None)
            pipe.reporters.close()
            pipe.fetcher.close()
            if pipe.catalog is not None:
                pipe.catalog.close()
        client.close()
        if pool and own:
            pool.close()


def pipeline_for(ref: PipelineRef) -> Pipeline:
    """The pipeline `open_pipeline` made for run `ref.run_id` in this process, or else a
    lasting one for that run built on first use (a Dask worker runs tasks without the flow's
    `open_pipeline`; it extracts in-process, as a daemonic worker may not start processes:
    Dask's own memory limit and nanny bound it)."""
    with _LOCK:
        if ref.run_id in _ACTIVE:
            return _ACTIVE[ref.run_id]
        if ref.run_id not in _LASTING:
            client = make_client(ref.config.fetch)
            pipe = _build(ref.config, client, None, (), ref.run_id)
            _LASTING[ref.run_id] = (pipe, client)
            while len(_LASTING) > _LASTING_KEPT:  # runs long finished
                _, (old, old_client) = _LASTING.popitem(last=False)
                old.reporters.close()
                old.fetcher.close()
                if old.catalog is not None:
                    old.catalog.close()
                old_client.close()
        return _LASTING[ref.run_id][0]
