"""Pair features for sentence alignment: every sentence of one text against every one of
another, as numpy matrices, plus the per-sentence facts (figures, names, quotations) that
an aligned pair is checked for.

- `term`: cosine of TF-IDF vectors of content terms (stemmed, stop words dropped), IDF over
  the sentences of both texts: a term in every sentence of the story says little about
  *which* sentence is meant, a shared rarer term ("colonial", "counter-proposal") does.
- `soft`: the same terms matched by meaning (static word vectors, `diffing.embed`):
  "rejected" / "turned down", "assurances" / "guarantees".
- `char`: cosine of TF-IDF vectors of character 4-grams of the content words: catches what
  stems miss ("Zelenskiy" / "Zelenskyy", "counter-proposal" / "counter proposal").
- `soft_row`, `soft_col`: how a pair stands among the other pairs of its two sentences.

Both cosines are computed sparsely, entry by entry, from the pairs of entries that share a
term (numpy bincount, no dense term matrix, no BLAS call: sentences share few terms, and a
BLAS product of small matrices costs milliseconds when its threads compete for a busy
machine's cores).
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from palimpsest.diffing.embed import TermTable, soft_overlap_of
from palimpsest.diffing.labels import NUMBER_WORDS, initial_words, quoted_mask
from palimpsest.diffing.text import STOPWORDS, content_key, fold, is_word, terms, tokens

NGRAM = 4
NEGATIONS = frozenset({"not", "no", "never", "n't", "without", "nor", "none", "neither"})


@lru_cache(maxsize=100_000)  # ~0.5 KB a word: ~45 MB at its bound
def _word_grams(word: str) -> tuple[str, ...]:
    padded = f"_{word}_"
    return tuple(padded[k : k + NGRAM] for k in range(max(1, len(padded) - NGRAM + 1)))


def _grams(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        out.extend(_word_grams(word))
    return out


Bag = tuple[tuple[int, ...], tuple[float, ...]]
_TF = tuple(1.0 + math.log(c) for c in range(1, 33))  # 1 + ln tf of the usual counts


def _bag(items: list[str]) -> Bag:
    """Distinct items as stable 32-bit ids (crc32: the same in every process, so cached
    corpora stay valid), and their sublinear frequencies (1 + ln tf)."""
    counts = Counter(items)
    ids = tuple([zlib.crc32(item.encode("utf-8", "surrogatepass")) for item in counts])
    tf = [_TF[c - 1] if c <= len(_TF) else 1.0 + math.log(c) for c in counts.values()]
    return ids, tuple(tf)


def _bags(sentence: str) -> tuple[Bag, Bag, tuple[str, ...]]:
    """A sentence's bags of terms and of their 4-grams, and its distinct terms sorted, from
    one pass of `terms`."""
    words = terms(sentence)
    return _bag(words), _bag(_grams(words)), tuple(sorted(set(words)))


@dataclass(frozen=True)
class Bags:
    """One kind of bag for a list of sentences, flattened: one entry per distinct item of
    each sentence (its row, the item's id, 1 + ln tf)."""

    count: int
    rows: np.ndarray
    items: np.ndarray
    tf: np.ndarray

    @classmethod
    def of(cls, bags: list[Bag]) -> Bags:
        sizes = [len(bag) for bag, _ in bags]
        rows = np.repeat(np.arange(len(bags), dtype=np.int64), sizes)
        total = sum(sizes)
        items = np.fromiter((t for bag, _ in bags for t in bag), np.int64, total)
        tf = np.fromiter((x for _, tfs in bags for x in tfs), np.float64, total)
        return cls(len(bags), rows, items, tf)


@dataclass(frozen=True)
class SentenceFacts:
    """What a sentence asserts that a paraphrase must keep: figures, names, quotations,
    negation, and its content terms."""

    numbers: frozenset[str]
    names: frozenset[str]
    quotes: tuple[str, ...]
    negated: bool
    terms: frozenset[str]


def facts(sentence: str) -> SentenceFacts:
    """The figures, names, quotations, negation and content terms of a sentence."""
    return _facts(sentence, terms(sentence))


def _facts(sentence: str, content_terms: Iterable[str]) -> SentenceFacts:
    toks = tokens(fold(sentence))
    quoted, initial = quoted_mask(toks), initial_words(toks)
    numbers: set[str] = set()
    names: set[str] = set()
    quotes: list[str] = []
    current: list[str] = []
    for k, tok in enumerate(toks):
        low = tok.casefold()
        if quoted[k]:
            current.append(tok)
        elif current:
            quotes.append(content_key(" ".join(current)))
            current = []
        alpha = tok.isalpha()  # a word without digits (the usual token, checked first)
        if not alpha and not is_word(tok):
            continue
        parts = low.split("-")
        digits = not alpha and any(c.isdigit() for c in tok)
        if digits or any(p in NUMBER_WORDS for p in parts):
            numbers.update(p.replace(",", "") for p in parts if p in NUMBER_WORDS or p.isdigit())
            if digits and not low.isdigit():
                numbers.add(low.replace(",", ""))
        elif tok[0].isupper() and k not in initial and low not in STOPWORDS and len(tok) > 1:
            names.add(low.removesuffix("'s").removesuffix("’s").replace(".", ""))
    if current:
        quotes.append(content_key(" ".join(current)))
    words = {t.casefold() for t in toks}
    negated = bool(words & NEGATIONS) or any(w.endswith("n't") for w in words)
    return SentenceFacts(
        frozenset(numbers),
        frozenset(names),
        tuple(q for q in quotes if q),
        negated,
        frozenset(content_terms),
    )


SentenceFeatures = tuple[Bag, Bag, tuple[str, ...], SentenceFacts]


def sentence_features(sentence: str) -> SentenceFeatures:
    """What alignment needs of one sentence alone: its bags of terms and of 4-grams, its
    distinct terms sorted, its facts. Pure: a caller that sees the same sentences again
    (the corpus, for each new version of a page) keeps the results (`SeedCorpus`)."""
    term_bag, char_bag, term_list = _bags(sentence)
    return term_bag, char_bag, term_list, _facts(sentence, term_list)


def cosine_matrix(a: Bags, b: Bags) -> tuple[np.ndarray, np.ndarray]:
    """(cosine, shared item count) between every sentence of `a` and every one of `b`, with
    IDF over the sentences of both (an item is in a sentence at most once)."""
    m, n = a.count, b.count
    if not m or not n:
        return np.zeros((m, n)), np.zeros((m, n))
    vocab, ids = np.unique(np.concatenate([a.items, b.items]), return_inverse=True)
    ra, ta, fa = a.rows, ids[: len(a.items)], a.tf
    rb, tb, fb = b.rows, ids[len(a.items) :], b.tf
    df = np.bincount(ids, minlength=len(vocab))
    idf = np.log((m + n + 1) / (df + 1)) + 1.0
    wa, wb = fa * idf[ta], fb * idf[tb]
    norm_a = np.sqrt(np.bincount(ra, weights=wa * wa, minlength=m))
    norm_b = np.sqrt(np.bincount(rb, weights=wb * wb, minlength=n))
    norm_a[norm_a == 0] = 1.0
    norm_b[norm_b == 0] = 1.0
    wa /= norm_a[ra]
    wb /= norm_b[rb]
    # Every (entry of a, entry of b) pair with the same item: b's entries grouped by item.
    order = np.argsort(tb, kind="stable")
    rb, tb, wb = rb[order], tb[order], wb[order]
    ptr = np.zeros(len(vocab) + 1, np.int64)
    np.cumsum(np.bincount(tb, minlength=len(vocab)), out=ptr[1:])
    starts, ends = ptr[ta], ptr[ta + 1]
    per_entry = ends - starts
    total = int(per_entry.sum())
    if not total:
        return np.zeros((m, n)), np.zeros((m, n))
    owner = np.repeat(np.arange(len(ta)), per_entry)
    offset = np.arange(total) - np.repeat(np.cumsum(per_entry) - per_entry, per_entry)
    other = np.repeat(starts, per_entry) + offset
    cell = ra[owner] * n + rb[other]
    shared = np.bincount(cell, minlength=m * n).reshape(m, n).astype(np.float64)
    cosine = np.bincount(cell, weights=wa[owner] * wb[other], minlength=m * n)
    return cosine.reshape(m, n), shared


@dataclass(frozen=True)
class SentenceSide:
    """Everything alignment needs of one list of sentences, built once and reused against
    every text it is aligned with."""

    sentences: tuple[str, ...]
    term_bags: Bags
    char_bags: Bags
    facts: tuple[SentenceFacts, ...]
    term_lists: tuple[tuple[str, ...], ...]  # each sentence's distinct terms, sorted
    table: TermTable  # term_lists laid out for the soft overlap

    @classmethod
    def of(
        cls,
        sentences: list[str],
        features: Callable[[str], SentenceFeatures] = sentence_features,
    ) -> SentenceSide:
        """`features`: `sentence_features`, or a memo of it that the caller owns."""
        per = [features(s) for s in sentences]
        term_lists = tuple(t for _, _, t, _ in per)
        return cls(
            tuple(sentences),
            Bags.of([b for b, _, _, _ in per]),
            Bags.of([b for _, b, _, _ in per]),
            tuple(f for _, _, _, f in per),
            term_lists,
            TermTable.of(term_lists),
        )


FEATURES = ("soft", "term", "char", "soft_row", "soft_col")


def _rank(s: np.ndarray, axis: int) -> np.ndarray:
    """Rank of each entry in its row (axis 1) or column (axis 0), 0 for the largest."""
    return np.argsort(np.argsort(-s, axis=axis, kind="stable"), axis=axis)


def pair_features(
    a: SentenceSide, b: SentenceSide, sim: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(features, shared): the feature tensor (len(a), len(b), len(FEATURES)), in FEATURES
    order, and how many content terms each pair shares. Features:

    - `soft`: soft overlap of the content terms by static word vectors (diffing.embed);
    - `term`: TF-IDF cosine of the content terms;
    - `char`: TF-IDF cosine of the character 4-grams of the content words;
    - `soft_row`, `soft_col`: `soft` over 1 + the pair's rank in its row / column by
      soft + term + character-4-gram cosine: a sentence links to its best counterparts
      whatever the two texts' overall wording, but never for its rank alone.

    `sim`: the term similarities of a's vocab with b's (`diffing.embed.term_similarity`),
    when the caller has them."""
    term, shared = cosine_matrix(a.term_bags, b.term_bags)
    char, _ = cosine_matrix(a.char_bags, b.char_bags)
    soft = soft_overlap_of(a.table, b.table, sim)
    both = soft + term + char
    features = [soft, term, char, soft / (1 + _rank(both, 1)), soft / (1 + _rank(both, 0))]
    return np.stack(features, axis=-1), shared
