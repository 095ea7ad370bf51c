"""Load the seed corpus: read seeds/, clean each file with the extractors' text mode, index it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from diffing import SeedCorpus
from extractors import extract_text
from flows.errors import PipelineError


def read_seeds(seeds_dir: Path) -> dict[str, str]:
    """Raw seed texts by file stem, sorted by name."""
    if not seeds_dir.is_dir():
        raise PipelineError(f"{seeds_dir}: seed corpus directory not found")
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}


@lru_cache(maxsize=4)
def load_seed_corpus(seeds_dir: Path) -> SeedCorpus:
    """The indexed seed corpus of `seeds_dir`, cleaned; cached per directory and process."""
    raw = read_seeds(Path(seeds_dir))
    clean = {name: extract_text(text, source=name).text for name, text in raw.items()}
    return SeedCorpus(clean, raw=raw)
