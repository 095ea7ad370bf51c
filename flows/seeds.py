"""Load the seed corpus: read seeds/, clean each file with the extractors' text mode, index it.

Cleaning and indexing the seeds costs ~0.1 s, on every CLI start; so the built corpus is kept
in a cache directory, keyed by the seed files and by the code that cleans and indexes them
(any change to either builds it anew). A cache entry that cannot be read is rebuilt. Each
load refreshes its entry's time; writing a new entry removes those unused for
CACHE_UNUSED_DAYS (left by older code or seeds), so the folder does not grow with every
upgrade.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
import time
from contextlib import suppress
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palimpsest.extractors.pool import ExtractPool, Limits
from palimpsest.flows.errors import PipelineError

from palimpsest import diffing, extractors

# At run time `diffing.SeedCorpus`, imported on its first use (numpy, the alignment): the
# CLI's process only starts the workers that load a corpus, and never imports them.
if TYPE_CHECKING:
    from palimpsest.diffing import SeedCorpus

log = logging.getLogger(__name__)
SEED_MATCHES_KEPT = 3  # seed matches stored on a version record, best first
CACHE_UNUSED_DAYS = 30  # a cached corpus not loaded for this long is removed


def read_seeds(seeds_dir: Path) -> dict[str, str]:
    """Raw seed texts by file stem, sorted by name."""
    if not seeds_dir.is_dir():
        raise PipelineError(f"{seeds_dir}: seed corpus directory not found", subject=str(seeds_dir))
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}


def build_seed_corpus(raw: dict[str, str]) -> SeedCorpus:
    """Clean and index the seeds; each seed's title is its first line when the extractor
    set that line aside as the page header (a headline), else its clean text's first."""
    articles = {name: extractors.extract_text(text, source=name) for name, text in raw.items()}
    titles = {}
    for name, article in articles.items():
        first = next((line.strip() for line in raw[name].splitlines() if line.strip()), "")
        header = any(r.cleaner == "header" and r.text.strip() == first for r in article.removed)
        titles[name] = first if header else article.text.strip().split("\n", 1)[0]
    return diffing.SeedCorpus({n: a.text for n, a in articles.items()}, raw=raw, titles=titles)


def _cache_key(raw: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for package in (diffing, extractors):
        for path in sorted(Path(package.__path__[0]).rglob("*.py")):
            digest.update(path.read_bytes())
    for name, text in raw.items():
        digest.update(f"\0{name}\0{text}".encode())
    return digest.hexdigest()[:24]


def _load_cached(path: Path) -> SeedCorpus | None:
    try:
        with path.open("rb") as f:
            corpus = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return corpus if isinstance(corpus, diffing.SeedCorpus) else None


def _store_cached(path: Path, corpus: SeedCorpus) -> None:
    """Write atomically, then remove the entries unused for CACHE_UNUSED_DAYS; a cache that
    cannot be written or pruned is only a missed speed-up."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".seeds-")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(corpus, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        return
    unused_since = time.time() - CACHE_UNUSED_DAYS * 86400
    for old in path.parent.glob("seeds-*.pickle"):
        with suppress(OSError):  # gone already (another process pruned it), or not ours
            if old != path and old.stat().st_mtime < unused_since:
                old.unlink()


@lru_cache(maxsize=4)
def load_seed_corpus(seeds_dir: Path, cache_dir: Path | None = None) -> SeedCorpus:
    """The indexed seed corpus of `seeds_dir`, cleaned; cached per process and in `cache_dir`."""
    raw = read_seeds(Path(seeds_dir))
    if cache_dir is None:
        return build_seed_corpus(raw)
    path = Path(cache_dir) / f"seeds-{_cache_key(raw)}.pickle"
    corpus = _load_cached(path)
    if corpus is None:
        corpus = build_seed_corpus(raw)
        _store_cached(path, corpus)
    else:
        with suppress(OSError):
            os.utime(path)  # in use: not pruned
    return corpus


def seeds_for_archiving(seeds_dir: Path, cache_dir: Path | None = None) -> SeedCorpus:
    """The seed corpus for archiving and re-extracting: one that is missing or unreadable is
    a warning (versions are stored without seed matches), never a failed archive."""
    try:
        return load_seed_corpus(seeds_dir, cache_dir)
    except (PipelineError, OSError, UnicodeDecodeError) as exc:
        log.warning("%s: archiving without seed matches", exc)
        return diffing.SeedCorpus({})


def stored_matches(seeds: SeedCorpus, text: str) -> list[dict[str, Any]]:
    """The best seed matches of `text` as a version record stores them (no alignment)."""
    return [m.to_dict(alignment=False) for m in seeds.match(text, limit=SEED_MATCHES_KEPT)]


@lru_cache(maxsize=4)
def _corpus(seeds_dir: str, cache_dir: str | None) -> SeedCorpus:
    """A worker's corpus, loaded (or found missing, with one warning) once per process."""
    return seeds_for_archiving(Path(seeds_dir), Path(cache_dir) if cache_dir else None)


def match_seeds(seeds_dir: str, cache_dir: str | None, text: str) -> list[dict[str, Any]]:
    """`stored_matches` against the corpus of `seeds_dir` (loaded once per process): the job
    an extraction worker runs for the pipeline (flows/context.py)."""
    return stored_matches(_corpus(seeds_dir, cache_dir), text)


def warm_matching(seeds_dir: str, cache_dir: str | None) -> None:
    """Load the corpus and everything a match needs (word vectors, the seeds' sentence
    features) by matching its first seed: a worker's first page then costs what later ones
    do."""
    corpus = _corpus(seeds_dir, cache_dir)
    if len(corpus):
        corpus.match(corpus.text(corpus.names()[0]))


def matching_pool(
    workers: int,
    limits: Limits | None,
    seeds_dir: str,
    cache_dir: str | None,
    *,
    lazy: bool = False,
) -> ExtractPool:
    """Extraction workers that also run the seed match, each warmed for it (`warm_matching`)
    before its first page."""
    warm = partial(warm_matching, seeds_dir, cache_dir)
    return ExtractPool(workers, limits, lazy=lazy, prepare=[warm])
