"""seeds/ holds the five seed files, unchanged: byte-identical to the shared corpus."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]
SHARED = REPO.parent / "shared" / "seeds"
SHA256 = {
    "000_68c98c2fdd58867a.txt": "b00915ee8d36a0702656f92da97b05f61a6ce4bfa1aa3811186a86bf78b174e4",
    "001_c59da2803b8bf8f1.txt": "d0946243d8d85f8e2a7d9279bb68814e289eed13195ead0f840907608df16328",
    "002_35ea0cf7cb43ece6.txt": "42b0b6590d86678ef1316049d552649ca4f953201ea360553d9b11b104ff4de1",
    "003_8bb99c38503761e1.txt": "a48933d9cc171f91a291f52d25f765d5d75c51e7e4747bedce35ccbfad226e07",
    "004_bbd33e2289678c6d.txt": "0281f1875c83ead7dc3ee57a97ba57395daff67728900535120bf77a03e3a037",
}


def test_seed_files_are_the_published_ones() -> None:
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (REPO / "seeds").iterdir()}
    assert found == SHA256


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared/seeds beside this clone")
def test_seed_files_match_the_shared_corpus() -> None:
    shared = sorted(p.name for p in SHARED.glob("*.txt"))
    assert shared == sorted(SHA256)
    for name in shared:
        assert (REPO / "seeds" / name).read_bytes() == (SHARED / name).read_bytes(), name
