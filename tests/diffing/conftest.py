"""Fixtures of the diffing tests: the seed texts (raw and clean) and an indexed corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from palimpsest.diffing import SeedCorpus

SEEDS_DIR = Path(__file__).parents[2] / "seeds"
DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def names() -> dict[str, str]:
    """Seed stems by their number: {"002": "002_35ea0cf7cb43ece6", ...}."""
    return {p.stem.split("_")[0]: p.stem for p in sorted(SEEDS_DIR.glob("*.txt"))}


@pytest.fixture(scope="session")
def raw_seeds() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))}


@pytest.fixture(scope="session")
def clean_seeds(raw_seeds: dict[str, str]) -> dict[str, str]:
    """Seeds cleaned with the extractors' text mode, as the pipeline does."""
    from palimpsest.extractors import extract_text

    return {name: extract_text(text, source=name).text for name, text in raw_seeds.items()}


@pytest.fixture(scope="session")
def corpus(clean_seeds: dict[str, str], raw_seeds: dict[str, str]) -> SeedCorpus:
    return SeedCorpus(clean_seeds, raw=raw_seeds)
