"""diffing: sentences, version-to-version diff, seed-corpus index and alignment, renderers.

A stage package: free of I/O and of the other stage packages; callers pass plain texts.

- `split_sentences(text)`: pysbd, one paragraph per line (diffing.sentences); unambiguous
  sentence ends are cut without it, with the same result (diffing.plainsplit).
- `diff_versions(old, new) -> VersionDiff`: identical / edited (word ops and change labels:
  number, quote, name, attribution, wording, or cosmetic) / added / removed / moved
  (diffing.versions, diffing.labels).
- `SeedCorpus(docs, raw=...)`: TF-IDF inverted index with pruned retrieval
  (diffing.index); `.match(text)` ranks seeds and aligns the text with each, many-to-many
  and order-free, links labelled identical / edited / paraphrase / partial, figures, names
  and quotations that differ reported (diffing.align, diffing.features).
- `diffing.render`: terminal (rich), unified text, standalone HTML, Prefect markdown.
"""

from __future__ import annotations

from palimpsest.diffing.align import Alignment, Link
from palimpsest.diffing.corpus import SeedCorpus, SeedMatch
from palimpsest.diffing.errors import CorpusError, DiffError, SegmentationError
from palimpsest.diffing.sentences import split_sentences
from palimpsest.diffing.versions import Edit, SentenceOp, VersionDiff, diff_versions

__all__ = [
    "Alignment",
    "CorpusError",
    "DiffError",
    "Edit",
    "Link",
    "SeedCorpus",
    "SeedMatch",
    "SegmentationError",
    "SentenceOp",
    "VersionDiff",
    "diff_versions",
    "split_sentences",
]
