"""The inverted index: exact cosine ranking when nothing is pruned, and the right document
first when pruning is forced (tiny posting budget and list cap)."""

from __future__ import annotations

import random

import numpy as np
import palimpsest.diffing.index as index_module
import pytest
from palimpsest.diffing import CorpusError
from palimpsest.diffing.index import TermIndex


def _docs(n: int, rng: random.Random) -> list[list[str]]:
    vocab = [f"t{i}" for i in range(3000)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    return [rng.choices(vocab, weights, k=rng.randint(20, 120)) for _ in range(n)]


def _brute_force(docs: list[list[str]], query: list[str], k: int) -> list[int]:
    index = TermIndex(docs)
    ids, w = index.query_vector(query)
    dense = np.zeros(len(index.idf), dtype=np.float32)
    dense[ids] = w
    scores = []
    for d in range(len(docs)):
        s, e = index.doc_ptr[d], index.doc_ptr[d + 1]
        scores.append((-float(np.dot(dense[index.fwd_tid[s:e]], index.fwd_w[s:e])), d))
    return [d for score, d in sorted(scores)[:k] if score < 0]


@pytest.mark.parametrize("seed", range(5))
def test_top_equals_brute_force_on_small_corpora(seed: int) -> None:
    rng = random.Random(seed)
    docs = _docs(200, rng)
    index = TermIndex(docs)
    for _ in range(10):
        query = [*rng.choice(docs)[: rng.randint(5, 40)], f"t{rng.randint(0, 2999)}"]
        got = [d for d, _ in index.top(query, 5)]
        assert got == _brute_force(docs, query, 5)


def test_pruned_retrieval_still_finds_the_source(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(42)
    docs = _docs(2000, rng)
    monkeypatch.setattr(index_module, "POSTINGS_BUDGET", 200)
    index = TermIndex(docs, max_postings=50)
    for target in rng.sample(range(len(docs)), 30):
        query = [t for t in docs[target] if rng.random() > 0.3]
        assert index.top(query, 3)[0][0] == target


def test_scores_are_cosines() -> None:
    index = TermIndex([["apple", "pear"], ["apple", "plum"], ["kiwi"]])
    (best, score), *_ = index.top(["apple", "pear"], 3)
    assert best == 0 and score == pytest.approx(1.0, abs=1e-5)
    assert index.top(["durian"], 3) == []
    with pytest.raises(CorpusError, match="limit"):
        index.top(["apple"], 0)


def test_empty_index() -> None:
    assert TermIndex([]).top(["anything"], 5) == []
