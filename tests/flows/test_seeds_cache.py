"""The built seed corpus is cached on disk, keyed by the seeds and the code; bad entries rebuild."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from palimpsest.flows.seeds import CACHE_UNUSED_DAYS, load_seed_corpus

REPO = Path(__file__).parents[2]
TEXT = (REPO / "seeds" / "002_35ea0cf7cb43ece6.txt").read_text(encoding="utf-8")


def best(corpus) -> tuple[str, float]:  # type: ignore[no-untyped-def]
    top = corpus.match(TEXT, limit=1)[0]
    return top.seed, round(top.similarity, 6)


def test_cache_is_written_reused_and_rebuilt(tmp_path: Path) -> None:
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    shutil.copytree(REPO / "seeds", seeds)
    built = load_seed_corpus(seeds, cache)
    (entry,) = cache.glob("seeds-*.pickle")
    load_seed_corpus.cache_clear()
    cached = load_seed_corpus(seeds, cache)
    assert cached is not built and best(cached) == best(built)

    entry.write_bytes(b"not a pickle")
    load_seed_corpus.cache_clear()
    assert best(load_seed_corpus(seeds, cache)) == best(built)
    assert entry.read_bytes() != b"not a pickle"

    (seeds / "005_extra.txt").write_text("A new seed about something else entirely.\n", "utf-8")
    load_seed_corpus.cache_clear()
    assert "005_extra" in load_seed_corpus(seeds, cache).names()
    assert len(list(cache.glob("seeds-*.pickle"))) == 2  # a new key for the new corpus


def test_writing_an_entry_removes_those_unused_for_a_month(tmp_path: Path) -> None:
    """Entries left by older code or seeds go when a new one is written; one still loaded
    (its time refreshed by each load) and any other file stay."""
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    shutil.copytree(REPO / "seeds", seeds)
    cache.mkdir()
    month_ago = time.time() - (CACHE_UNUSED_DAYS + 1) * 86400
    stale, recent, other = (cache / n for n in ("seeds-old.pickle", "seeds-new.pickle", "x.txt"))
    for path in (stale, recent, other):
        path.write_bytes(b"x")
    os.utime(stale, (month_ago, month_ago))
    os.utime(other, (month_ago, month_ago))
    load_seed_corpus.cache_clear()
    load_seed_corpus(seeds, cache)
    (entry,) = set(cache.glob("seeds-*.pickle")) - {recent}
    assert not stale.exists() and recent.exists() and other.exists()

    os.utime(entry, (month_ago, month_ago))  # unused for a month, then loaded again
    load_seed_corpus.cache_clear()
    load_seed_corpus(seeds, cache)
    assert entry.stat().st_mtime > month_ago + 86400
    (seeds / "005_extra.txt").write_text("A new seed about something else entirely.\n", "utf-8")
    load_seed_corpus.cache_clear()
    load_seed_corpus(seeds, cache)
    assert entry.exists() and len(list(cache.glob("seeds-*.pickle"))) == 3
