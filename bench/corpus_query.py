"""corpus_query_p50_ms: median time of `SeedCorpus.match(article, limit=5)` against a
synthesised 100k-document corpus, i.e. retrieval of the nearest documents plus sentence
alignment of the top five, as the pipeline does for every new version.

The corpus, the queries and the timing loop are the diffing package's own benchmark
(`bench/corpus.py`, imported, not copied); its candidate-retrieval median is printed too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CorpusQuery:
    documents: int
    build_s: float
    match_p50_ms: float
    match_p95_ms: float
    retrieve_p50_ms: float
    recall_at_1: float


def run(documents: int = 100_000, queries: int = 100, seed: int = 1) -> CorpusQuery | None:
    """The figures, or None (with a message) when the diffing benchmark cannot be used."""
    try:
        from bench.corpus import run as corpus_run

        row = corpus_run(documents, queries, seed)
    except (ImportError, TypeError, KeyError) as exc:
        print(f"  corpus benchmark (bench/corpus.py) unavailable: {type(exc).__name__}: {exc}")
        return None
    return CorpusQuery(
        documents=documents,
        build_s=row["build_s"],
        match_p50_ms=row["match_p50"],
        match_p95_ms=row["match_p95"],
        retrieve_p50_ms=row["retrieve_p50"],
        recall_at_1=row["recall_at_1"],
    )
