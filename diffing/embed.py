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

import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
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


# A word's token ids, not its vector: ~0.4 KB a word (~80 MB at the bound) against ~1.2 KB
# for a 256-d vector (summing a few rows of the matrix costs microseconds; tokenizing is
# what is worth keeping)
WORDS_REMEMBERED = 200_000


@lru_cache(maxsize=WORDS_REMEMBERED)
def _token_ids(word: str) -> tuple[int, ...]:
    # The tokenizer's model directly: its normalizer only marks the word start ("▁"), and a
    # word holds no space to replace.
    tokenizer, _ = _model()
    return tuple(t.id for t in tokenizer.model.tokenize("▁" + word))  # type: ignore[attr-defined]


def word_vectors(words: list[str]) -> np.ndarray:
    """(len(words), 256): the unit-length static vector of each word (zeros for a word
    with no token)."""
    _, matrix = _model()
    encoded = [_token_ids(w) for w in words]
    counts = np.array([len(e) for e in encoded], np.int64)
    ids = np.fromiter((i for e in encoded for i in e), np.int64, int(counts.sum()))
    sums = np.zeros((len(words), matrix.shape[1]), np.float32)
    has = counts > 0
    if has.any():
        sums[has] = np.add.reduceat(matrix[ids], (np.cumsum(counts) - counts)[has], axis=0)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return sums / np.where(norms > 0, norms, 1.0)


def word_vector(word: str) -> np.ndarray:
    """The unit-length static vector of one word."""
    return word_vectors([word])[0]


def idf_of(a: tuple[tuple[str, ...], ...], b: tuple[tuple[str, ...], ...]) -> dict[str, float]:
    """Each term's IDF over the sentences of both lists (1 + ln((n + 1) / (df + 1)))."""
    df = Counter(w for t in a + b for w in t)
    n = len(a) + len(b)
    return {w: math.log((n + 1) / (c + 1)) + 1.0 for w, c in df.items()}


def soft_overlap(
    a: tuple[tuple[str, ...], ...], b: tuple[tuple[str, ...], ...], idf: dict[str, float]
) -> np.ndarray:
    """(len(a), len(b)) soft overlap F of every pair of term lists, in 0..1: the plain
    definition (`soft_overlap_of` computes the same from tables laid out once per side)."""
    out = np.zeros((len(a), len(b)))
    vocab_a = sorted({w for t in a for w in t})
    vocab_b = sorted({w for t in b for w in t})
    if not vocab_a or not vocab_b:
        return out
    # einsum, not a BLAS product: BLAS threads spinning for small products cost more CPU
    # than the product itself when the machine is busy (measured: 4x the match time).
    sim = np.einsum("ik,jk->ij", word_vectors(vocab_a), word_vectors(vocab_b))
    np.clip(sim, 0.0, 1.0, out=sim)
    recall = _greedy(a, b, sim, vocab_a, vocab_b, idf)
    precision = _greedy(b, a, sim.T, vocab_b, vocab_a, idf).T
    total = recall + precision
    np.divide(2 * recall * precision, total, out=out, where=total > 0)
    return out


def _greedy(
    a: tuple[tuple[str, ...], ...],
    b: tuple[tuple[str, ...], ...],
    sim: np.ndarray,
    vocab_a: list[str],
    vocab_b: list[str],
    idf: dict[str, float],
) -> np.ndarray:
    """For each (i, j): the IDF-weighted mean, over the terms of a[i], of their best
    similarity (`sim`: vocab_a x vocab_b) with a term of b[j]."""
    index_a = {w: k for k, w in enumerate(vocab_a)}
    index_b = {w: k for k, w in enumerate(vocab_b)}
    lengths = np.array([len(t) for t in b])
    filled = lengths > 0
    columns = np.fromiter((index_b[w] for t in b for w in t), np.int64, int(lengths.sum()))
    starts = (np.cumsum(lengths) - lengths)[filled]
    best = np.zeros((len(vocab_a), len(b)), sim.dtype)  # each term's best match per sentence
    best[:, filled] = np.maximum.reduceat(sim[:, columns], starts, axis=1)
    weights = np.zeros((len(a), len(vocab_a)))
    for i, words in enumerate(a):
        for w in words:
            weights[i, index_a[w]] = idf[w]
    totals = weights.sum(axis=1, keepdims=True)
    return np.einsum("iw,wj->ij", weights / np.where(totals > 0, totals, 1.0), best)


@dataclass(frozen=True)
class TermTable:
    """A list of sentences' distinct content terms laid out once (a seed's is reused against
    every text aligned with it), for `soft_overlap_of`."""

    count: int  # sentences
    vocab: tuple[str, ...]  # distinct terms, sorted
    df: dict[str, int]  # sentences holding each term
    rows: np.ndarray  # the sentence of each (sentence, term) entry, by sentence, then term
    columns: np.ndarray  # the vocab index of each entry
    starts: np.ndarray  # the first entry of each sentence with terms
    filled: np.ndarray  # whether each sentence has terms

    @classmethod
    def of(cls, lists: tuple[tuple[str, ...], ...]) -> TermTable:
        vocab = tuple(sorted({w for t in lists for w in t}))
        index = {w: k for k, w in enumerate(vocab)}
        lengths = np.array([len(t) for t in lists], np.int64)
        total = int(lengths.sum())
        filled = lengths > 0
        return cls(
            len(lists),
            vocab,
            dict(Counter(w for t in lists for w in t)),
            np.repeat(np.arange(len(lists), dtype=np.int64), lengths),
            np.fromiter((index[w] for t in lists for w in t), np.int64, total),
            (np.cumsum(lengths) - lengths)[filled],
            filled,
        )

    @cached_property
    def _words(self) -> np.ndarray:
        return np.array(self.vocab, dtype=str)

    @cached_property
    def _counts(self) -> np.ndarray:
        return np.fromiter((self.df[w] for w in self.vocab), np.int64, len(self.vocab))

    def idf(self, other: TermTable) -> np.ndarray:
        """The IDF of each vocab term over the sentences of both tables (as `idf_of`)."""
        n = self.count + other.count
        logs = np.array([math.log((n + 1) / (c + 1)) + 1.0 for c in range(n + 1)])
        counts = self._counts.copy()
        if other.vocab:  # each term's count in the other's sorted vocab, where it is
            at = np.minimum(np.searchsorted(other._words, self._words), len(other.vocab) - 1)
            found = other._words[at] == self._words
            counts[found] += other._counts[at[found]]
        return logs[counts]


def term_similarity(a: list[str], b: list[str]) -> np.ndarray:
    """(len(a), len(b)): the cosine of every pair of words' vectors, clipped to 0..1."""
    # einsum, not a BLAS product: BLAS threads spinning for small products cost more CPU
    # than the product itself when the machine is busy (measured: 4x the match time). Each
    # entry is the same dot product whatever the shapes, so a slice of a larger product
    # equals the product of the slice (`SharedSimilarity`, tested).
    sim = np.einsum("ik,jk->ij", word_vectors(a), word_vectors(b))
    np.clip(sim, 0.0, 1.0, out=sim)
    return sim


class SharedSimilarity:
    """The term similarities of one text against several others (a text and the seeds it
    matches), from one product of the text's vocab with the union of theirs, made on first
    use: the seeds of one story share most of their words. Lives for one match."""

    def __init__(self, text: TermTable, others: list[TermTable]) -> None:
        self._text = list(text.vocab)
        self._union = sorted({w for t in others for w in t.vocab})
        self._column = {w: k for k, w in enumerate(self._union)}
        self._sim: np.ndarray | None = None

    def against(self, other: TermTable) -> np.ndarray:
        """`term_similarity(text vocab, other.vocab)`, sliced from the shared product when
        `other` was among those given."""
        columns = [self._column.get(w, -1) for w in other.vocab]
        if -1 in columns:
            return term_similarity(self._text, list(other.vocab))
        if self._sim is None:
            self._sim = term_similarity(self._text, self._union)
        return self._sim[:, np.array(columns, np.int64)]


def soft_overlap_of(a: TermTable, b: TermTable, sim: np.ndarray | None = None) -> np.ndarray:
    """`soft_overlap` of two tables' term lists with `idf_of` over both, the same figures
    computed from the per-side layouts (no per-pair dictionaries or Python loops). `sim`:
    `term_similarity(a.vocab, b.vocab)` when the caller has it (`SharedSimilarity`)."""
    out = np.zeros((a.count, b.count))
    if not a.vocab or not b.vocab:
        return out
    if sim is None:
        sim = term_similarity(list(a.vocab), list(b.vocab))
    recall = _greedy_of(a, b, sim, a.idf(b))
    precision = _greedy_of(b, a, sim.T, b.idf(a)).T
    total = recall + precision
    np.divide(2 * recall * precision, total, out=out, where=total > 0)
    return out


def _greedy_of(a: TermTable, b: TermTable, sim: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """`_greedy` from the tables: `idf` is the IDF of each term of a's vocab."""
    best = np.zeros((len(a.vocab), b.count), sim.dtype)
    best[:, b.filled] = np.maximum.reduceat(sim[:, b.columns], b.starts, axis=1)
    weights = np.zeros((a.count, len(a.vocab)))
    weights[a.rows, a.columns] = idf[a.columns]
    totals = weights.sum(axis=1, keepdims=True)
    return np.einsum("iw,wj->ij", weights / np.where(totals > 0, totals, 1.0), best)
