"""A TF-IDF inverted index with pruned candidate retrieval, built for 100k+ documents.

Documents are bags of content terms (see `diffing.text.terms`). Weights are sublinear TF
times smoothed IDF, L2-normalised per document, so the exact score is the cosine.

Query (`top`): candidates are gathered from the posting lists of the query's *rarest* terms
only (rarest first while the postings read stay within POSTINGS_BUDGET, skipping terms whose
posting list is longer than `max_postings`): rare terms are what a copy, rewrite or
paraphrase of the same story shares, and bounding the lists read keeps a query's cost
nearly independent of the corpus size.
The best candidates by that partial score are then rescored exactly (full cosine) from the
forward index. Everything is numpy arrays, no per-document Python work at query time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from palimpsest.diffing.errors import CorpusError

POSTINGS_BUDGET = 60_000  # postings read per query: ~1 ms of numpy work
MIN_TERMS = 8  # always use at least this many terms, whatever their lists cost
MIN_CANDIDATES = 40


class TermIndex:
    """Inverted plus forward index over term lists; documents are numbered 0..n-1."""

    def __init__(self, docs: Sequence[Sequence[str]], *, max_postings: int | None = None):
        vocab: dict[str, int] = {}
        tids_parts: list[np.ndarray] = []
        tf_parts: list[np.ndarray] = []
        lengths = np.zeros(len(docs), dtype=np.int64)
        for d, doc_terms in enumerate(docs):
            ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in doc_terms), dtype=np.int32)
            uniq, counts = np.unique(ids, return_counts=True)
            tids_parts.append(uniq.astype(np.int32))
            tf_parts.append(counts.astype(np.float32))
            lengths[d] = len(uniq)
        self.vocab = vocab
        self.n_docs = len(docs)
        n_terms = max(len(vocab), 1)
        fwd_tid = np.concatenate(tids_parts) if tids_parts else np.zeros(0, np.int32)
        fwd_tf = np.concatenate(tf_parts) if tf_parts else np.zeros(0, np.float32)
        self.doc_ptr = np.zeros(self.n_docs + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.doc_ptr[1:])
        entry_doc = np.repeat(np.arange(self.n_docs, dtype=np.int32), lengths)

        df = np.bincount(fwd_tid, minlength=n_terms).astype(np.float32)
        self.df = df
        self.idf = (np.log((self.n_docs + 1) / (df + 1)) + 1.0).astype(np.float32)
        weights = (1.0 + np.log(fwd_tf)) * self.idf[fwd_tid]
        norms = np.sqrt(np.bincount(entry_doc, weights=weights**2, minlength=self.n_docs))
        norms[norms == 0] = 1.0
        weights = (weights / norms[entry_doc]).astype(np.float32)
        self.fwd_tid, self.fwd_w = fwd_tid, weights

        order = np.argsort(fwd_tid, kind="stable")
        self.inv_doc = entry_doc[order]
        self.inv_w = weights[order]
        self.term_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(df.astype(np.int64), out=self.term_ptr[1:])
        self.max_postings = max_postings or max(2000, self.n_docs // 50)

    def query_vector(self, terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Term ids and normalised weights of a query (terms unknown to the index dropped)."""
        counts: dict[int, int] = {}
        for t in terms:
            tid = self.vocab.get(t)
            if tid is not None:
                counts[tid] = counts.get(tid, 0) + 1
        if not counts:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        ids = np.fromiter(counts, dtype=np.int32)
        tf = np.fromiter(counts.values(), dtype=np.float32)
        w = (1.0 + np.log(tf)) * self.idf[ids]
        return ids, (w / math.sqrt(float(np.dot(w, w)))).astype(np.float32)

    def top(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The k documents with the highest cosine to `terms`, best first (score > 0)."""
        if k < 1:
            raise CorpusError(f"limit must be at least 1, got {k}")
        ids, w = self.query_vector(terms)
        if not len(ids) or not self.n_docs:
            return []
        df = self.df[ids]
        usable = np.flatnonzero(df <= self.max_postings)
        if not len(usable):  # only very common terms: fall back to the least common ones
            usable = np.argsort(df)[:4]
        usable = usable[np.argsort(df[usable], kind="stable")]
        within = np.cumsum(df[usable]) <= POSTINGS_BUDGET
        chosen = usable[: max(MIN_TERMS, int(within.sum()))]
        starts, ends = self.term_ptr[ids[chosen]], self.term_ptr[ids[chosen] + 1]
        spans = [np.arange(s, e) for s, e in zip(starts, ends, strict=True)]
        idx = np.concatenate(spans)
        partial = np.repeat(w[chosen], ends - starts) * self.inv_w[idx]
        docs, inverse = np.unique(self.inv_doc[idx], return_inverse=True)
        scores = np.bincount(inverse, weights=partial)
        n_cand = min(len(docs), max(MIN_CANDIDATES, 8 * k))
        cand = docs[np.argpartition(-scores, n_cand - 1)[:n_cand]]
        dense = np.zeros(len(self.idf), dtype=np.float32)
        dense[ids] = w
        exact = []
        for d in cand.tolist():
            s, e = self.doc_ptr[d], self.doc_ptr[d + 1]
            exact.append((int(d), float(np.dot(dense[self.fwd_tid[s:e]], self.fwd_w[s:e]))))
        exact.sort(key=lambda x: (-x[1], x[0]))
        return [(d, s) for d, s in exact[:k] if s > 0]
