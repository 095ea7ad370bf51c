"""Benchmark: seed-corpus query latency at 1k / 10k / 100k documents.

Synthesises news-like documents (sentences of pseudo-words drawn from a Zipf vocabulary,
with English function words mixed in), indexes them with `diffing.SeedCorpus`, and times
queries made by perturbing a random indexed document (a fifth of its sentences dropped,
one word in ten replaced), as a republished or edited copy would be.

Printed per size: index build time, p50/p95 of
  - retrieve: `TermIndex.top` (tokenising the query included): the candidate retrieval
    that must stay fast at scale (goal: p50 <= 20 ms at 100k);
  - scan: exact cosine against every document (vectorised numpy over the whole index), the
    baseline a non-indexed search would pay;
  - match: `SeedCorpus.match(text, limit=5)` (wall, and CPU time of the process, which a
    busy shared machine inflates much less), i.e. retrieval plus sentence segmentation and
    alignment of the top 5 that reach the noise floor `diffing.corpus.MIN_COSINE` (the
    number aligned is printed; here usually only the source, since the synthetic
    distractors share only common words). Segmentation (pysbd, ~0.25 ms a sentence, cached
    per paragraph) and alignment do not depend on the corpus size;
  - match, story with 4 copies: the same for 20 stories that have four perturbed copies in
    the corpus, so five related documents are aligned (the uncached worst case);
and ratios against the 1k run and against the scan, plus recall@1 (the perturbed document's
source ranked first). Run: .venv/bin/python bench/corpus.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

import numpy as np
from palimpsest.diffing import SeedCorpus
from palimpsest.diffing.text import terms

FUNCTION_WORDS = (
    *("the", "of", "and", "to", "a", "in", "that", "is", "was", "he"),
    *("for", "it", "with", "as", "his", "on", "be", "at", "by", "said"),
)
CLUSTERS = 20
SYLLABLES = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"]


def vocabulary(size: int, rng: np.random.Generator) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        n = int(rng.integers(2, 5))
        words.add("".join(SYLLABLES[i] for i in rng.integers(0, len(SYLLABLES), n)))
    return sorted(words)


class Synth:
    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.vocab = np.array(vocabulary(60_000, self.rng))
        ranks = np.arange(1, len(self.vocab) + 1)
        p = 1 / ranks**1.05
        self.cdf = np.cumsum(p / p.sum())

    def sentence(self, n_words: int) -> list[str]:
        ids = np.minimum(np.searchsorted(self.cdf, self.rng.random(n_words)), len(self.vocab) - 1)
        words = self.vocab[ids].tolist()
        for k in range(0, n_words, 3):
            words.insert(k, FUNCTION_WORDS[int(self.rng.integers(len(FUNCTION_WORDS)))])
        return words

    def document(self) -> str:
        sentences = []
        for _ in range(int(self.rng.integers(12, 30))):
            words = self.sentence(int(self.rng.integers(10, 22)))
            sentences.append(" ".join(words).capitalize() + ".")
        return "\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))

    def documents(self, n: int) -> dict[str, str]:
        return {f"doc{i:06d}": self.document() for i in range(n)}

    def perturb(self, text: str) -> str:
        sentences = [s for s in text.replace("\n", " ").split(". ") if s]
        kept = [s for s in sentences if self.rng.random() > 0.2] or sentences[:1]
        out = []
        for s in kept:
            words = s.split()
            for k in range(len(words)):
                if self.rng.random() < 0.1:
                    words[k] = str(self.vocab[int(self.rng.integers(len(self.vocab)))])
            out.append(" ".join(words).rstrip(".") + ".")
        return " ".join(out)


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) * 1000


def scan(corpus: SeedCorpus, text: str) -> int:
    """Exact cosine against every document: the no-index baseline."""
    index = corpus._index
    ids, w = index.query_vector(terms(text))
    dense = np.zeros(len(index.idf), dtype=np.float32)
    dense[ids] = w
    entry_doc = np.repeat(np.arange(index.n_docs), np.diff(index.doc_ptr))
    scores = np.bincount(entry_doc, weights=dense[index.fwd_tid] * index.fwd_w)
    return int(np.argmax(scores))


def run(size: int, queries: int, seed: int) -> dict[str, float]:
    synth = Synth(seed)
    t0 = time.perf_counter()
    docs = synth.documents(size)
    # A few stories republished four more times (perturbed copies), so that some queries
    # have five related documents to align, as a widely copied wire story would.
    for k in range(CLUSTERS):
        for c in range(4):
            docs[f"doc{k:06d}-copy{c}"] = synth.perturb(docs[f"doc{k:06d}"])
    t1 = time.perf_counter()
    corpus = SeedCorpus(docs)
    t2 = time.perf_counter()
    names = corpus.names()
    picks = synth.rng.choice(size, queries, replace=queries > size)
    texts = [(names[int(i)], synth.perturb(docs[names[int(i)]])) for i in picks]
    retrieve, full, scans, hits = [], [], [], 0
    for expected, text in texts:
        a = time.perf_counter()
        top = corpus._index.top(terms(text), 5)
        b = time.perf_counter()
        retrieve.append(b - a)
        hits += names[top[0][0]] == expected
    for _, text in texts[: max(10, queries // 4)]:
        a = time.perf_counter()
        scan(corpus, text)
        scans.append(time.perf_counter() - a)
    aligned, full_cpu = [], []
    for _, text in texts[: max(10, queries // 4)]:
        a, c = time.perf_counter(), time.process_time()
        aligned.append(len(corpus.match(text, limit=5)))
        full.append(time.perf_counter() - a)
        full_cpu.append(time.process_time() - c)
    cluster, cluster_aligned = [], []
    for k in range(CLUSTERS):
        text = synth.perturb(docs[f"doc{k:06d}"])
        a = time.perf_counter()
        cluster_aligned.append(len(corpus.match(text, limit=5)))
        cluster.append(time.perf_counter() - a)
    result = {
        "size": size,
        "synth_s": t1 - t0,
        "build_s": t2 - t1,
        "retrieve_p50": pct(retrieve, 50),
        "retrieve_p95": pct(retrieve, 95),
        "scan_p50": pct(scans, 50),
        "match_p50": pct(full, 50),
        "match_p95": pct(full, 95),
        "match_cpu_p50": pct(full_cpu, 50),
        "recall_at_1": hits / len(texts),
        "aligned_per_match": sum(aligned) / len(aligned),
        "match5_p50": pct(cluster, 50),
        "aligned_per_match5": sum(cluster_aligned) / len(cluster_aligned),
    }
    del corpus, docs
    gc.collect()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        row = run(size, args.queries, args.seed)
        rows.append(row)
        print(
            f"{size:>7} docs: synth {row['synth_s']:5.1f} s, build {row['build_s']:6.1f} s"
            f" | retrieve p50 "
            f"{row['retrieve_p50']:6.2f} ms p95 {row['retrieve_p95']:6.2f} ms | scan p50 "
            f"{row['scan_p50']:7.2f} ms | match(limit=5) p50 {row['match_p50']:6.1f} ms "
            f"p95 {row['match_p95']:6.1f} ms, CPU p50 {row['match_cpu_p50']:6.1f} ms "
            f"({row['aligned_per_match']:.1f} aligned)"
            f" | match, story with 4 copies: p50 {row['match5_p50']:6.1f} ms"
            f" ({row['aligned_per_match5']:.1f} aligned) | recall@1 {row['recall_at_1']:.3f}",
            flush=True,
        )
    base = rows[0]
    print(f"\nratios against the {base['size']}-document run (same machine, same run):")
    for row in rows:
        print(
            f"{row['size']:>7} docs: retrieve x{row['retrieve_p50'] / base['retrieve_p50']:.2f}"
            f"  scan x{row['scan_p50'] / base['scan_p50']:.2f}"
            f"  match x{row['match_p50'] / base['match_p50']:.2f}"
            f"  | retrieve/scan = {row['retrieve_p50'] / row['scan_p50']:.3f}"
            f"  | docs per build second {row['size'] / row['build_s']:,.0f}"
        )
    goal = rows[-1]
    verdict = "meets" if goal["retrieve_p50"] <= 20 else "misses"
    print(
        f"\ngoal (p50 <= 20 ms at {goal['size']} docs): retrieve p50 "
        f"{goal['retrieve_p50']:.2f} ms {verdict} it; median of all runs' retrieve p50: "
        f"{statistics.median(r['retrieve_p50'] for r in rows):.2f} ms"
    )


if __name__ == "__main__":
    main()
