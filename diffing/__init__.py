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

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from palimpsest.diffing.align import Alignment, Link
    from palimpsest.diffing.corpus import SeedCorpus, SeedMatch
    from palimpsest.diffing.errors import CorpusError, DiffError, SegmentationError
    from palimpsest.diffing.sentences import split_sentences
    from palimpsest.diffing.versions import Edit, SentenceOp, VersionDiff, diff_versions

# Each name is imported from its module when first used (PEP 562): a version diff needs
# neither numpy nor the seed alignment, so a process that only diffs versions (the CLI's,
# whose extraction workers do the seed match) never loads them.
_MODULES = {
    "Alignment": "align",
    "Link": "align",
    "SeedCorpus": "corpus",
    "SeedMatch": "corpus",
    "CorpusError": "errors",
    "DiffError": "errors",
    "SegmentationError": "errors",
    "split_sentences": "sentences",
    "Edit": "versions",
    "SentenceOp": "versions",
    "VersionDiff": "versions",
    "diff_versions": "versions",
}
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


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_MODULES[name]}"), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})
