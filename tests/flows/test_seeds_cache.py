"""The built seed corpus is cached on disk, keyed by the seeds and the code; bad entries rebuild."""

from __future__ import annotations

import shutil
from pathlib import Path

from palimpsest.flows.seeds import load_seed_corpus

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
