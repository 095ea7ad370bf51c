"""Benchmark: CPU per `SeedCorpus.match(text, limit=5)` where its cost is the alignment, not
the retrieval, on fixed inputs (so two versions of the code compare run against run, which
`bench/corpus.py`'s 20-25 queries at 100k documents cannot: their noise is larger).

  - four-copy stories: `bench/corpus.py`'s generator, 2,000 documents, 20 stories with four
    perturbed copies each; a perturbed copy of each story matched, its five seeds aligned for
    the first time (split, weighed), then again with new copies (seeds already aligned);
  - the five seeds of seeds/ as the corpus (as the archive flow has it, already aligned):
    a new page (every sentence of each seed altered) and a new version (one line added).

Run: .venv/bin/python bench/corpus_match.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from palimpsest.diffing import SeedCorpus, split_sentences  # noqa: E402
from palimpsest.extractors import extract_text  # noqa: E402

from bench.corpus import CLUSTERS, Synth  # noqa: E402


def cpu_per_match(corpus: SeedCorpus, texts: list[str]) -> tuple[float, float]:
    """(ms of CPU per match, seeds matched per text)."""
    start, found = time.process_time(), 0
    for text in texts:
        found += len(corpus.match(text, limit=5))
    return (time.process_time() - start) / len(texts) * 1000, found / len(texts)


def main() -> None:
    synth = Synth(1)
    docs = synth.documents(2000)
    for k in range(CLUSTERS):
        for c in range(4):
            docs[f"doc{k:06d}-copy{c}"] = synth.perturb(docs[f"doc{k:06d}"])
    corpus = SeedCorpus(docs)
    for k in range(500, 510):  # load the word vectors, warm the caches on other stories
        corpus.match(synth.perturb(docs[f"doc{k:06d}"]), limit=5)
    for label in ("seeds aligned for the first time", "seeds already aligned"):
        texts = [synth.perturb(docs[f"doc{k:06d}"]) for k in range(CLUSTERS)]
        ms, found = cpu_per_match(corpus, texts)
        print(f"four-copy stories, {label}: {ms:5.1f} ms of CPU per match ({found:.1f} matched)")
    seeds = {
        p.stem: extract_text(p.read_text("utf-8"), source=p.stem).text
        for p in sorted((REPO / "seeds").glob("*.txt"))
    }
    corpus = SeedCorpus(seeds)
    for text in seeds.values():
        corpus.match(text)
    pages, versions = [], []
    for r in range(6):
        for text in seeds.values():
            lines = text.splitlines()
            pages.append(
                "\n".join(
                    " ".join(f"{s} Reportedly{r}." for s in split_sentences(line)) for line in lines
                )
            )
            lines[len(lines) // 2] += f" An update {r}."
            versions.append("\n".join(lines))
    for label, texts in (("a new page", pages), ("a new version", versions)):
        ms, found = cpu_per_match(corpus, texts)
        print(f"the five seeds, {label}: {ms:5.1f} ms of CPU per match ({found:.1f} matched)")


if __name__ == "__main__":
    main()
