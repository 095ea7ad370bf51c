"""Soft word overlap of sentence pairs from static word embeddings (wordllama), offline.

Independent reports of one story state the same item in other words ("turned down" /
"rejected", "assurances" / "guarantees"): exact terms and character n-grams miss them.
Each content term (`diffing.text.terms`) gets wordllama's 256-d static vector (the mean
of its tokens' rows, unit length); a pair's `soft` score is the F measure of its two
IDF-weighted "greedy matchings": each term of one sentence is credited with its most
similar term of the other (cosine), weighted by its IDF over the sentences of both texts,
as BERTScore does with contextual vectors.

The weights and the tokenizer ship inside the wordllama wheel. They are read from the
installed package directly: wordllama's own loader looks for the tokenizer in a folder that
does not exist and would then try the network, which must never happen here.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np

WEIGHTS = "l2_supercat_256.safetensors"
TOKENIZER = "l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"


@lru_cache(maxsize=1)
def _model() -> tuple[object, np.ndarray]:
    from safetensors import safe_open
    from tokenizers import Tokenizer

    # the package's folder, not the package: importing it loads requests and pydantic (~0.3 s)
    spec = find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordllama is not installed")
    package = Path(spec.submodule_search_locations[0])
    tokenizer = Tokenizer.from_file(str(package / "tokenizers" / TOKENIZER))
    with safe_open(str(package / "weights" / WEIGHTS), framework="np") as f:
        matrix = np.asarray(f.get_tensor(TENSOR), dtype=np.float32)
    return tokenizer, matrix


@lru_cache(maxsize=100_000)
def word_vector(word: str) -> np.ndarray:
    """The unit-length static vector of one word (zeros if it has no token)."""
    tokenizer, matrix = _model()
    ids = tokenizer.encode(" " + word, add_special_tokens=False).ids  # type: ignore[attr-defined]
    if not ids:
        return np.zeros(matrix.shape[1], np.float32)
    v = matrix[ids].mean(axis=0)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def soft_overlap(
    a: tuple[tuple[str, ...], ...], b: tuple[tuple[str, ...], ...], idf: dict[str, float]
) -> np.ndarray:
    """(len(a), len(b)) soft overlap F of every pair of term lists, in 0..1."""
    vocab = sorted({w for t in a + b for w in t})
    out = np.zeros((len(a), len(b)))
    if not vocab or not a or not b:
        return out
    index = {w: k for k, w in enumerate(vocab)}
    vectors = np.stack([word_vector(w) for w in vocab])
    sim = np.clip(vectors @ vectors.T, 0.0, 1.0)
    weight = np.array([idf[w] for w in vocab])
    recall = _greedy(a, b, sim, weight, index)
    precision = _greedy(b, a, sim, weight, index).T
    total = recall + precision
    np.divide(2 * recall * precision, total, out=out, where=total > 0)
    return out


def _greedy(
    a: tuple[tuple[str, ...], ...],
    b: tuple[tuple[str, ...], ...],
    sim: np.ndarray,
    weight: np.ndarray,
    index: dict[str, int],
) -> np.ndarray:
    """For each (i, j): the IDF-weighted mean, over the terms of a[i], of their best
    similarity with a term of b[j]."""
    out = np.zeros((len(a), len(b)))
    lengths = np.array([len(t) for t in b])
    filled = lengths > 0
    if not filled.any():
        return out
    columns = np.array([index[w] for t in b for w in t], np.int64)
    starts = (np.cumsum(lengths) - lengths)[filled]
    for i, words in enumerate(a):
        if not words:
            continue
        rows = np.array([index[w] for w in words], np.int64)
        best = np.maximum.reduceat(sim[np.ix_(rows, columns)], starts, axis=1)
        w = weight[rows]
        out[i, filled] = (w @ best) / w.sum()
    return out
