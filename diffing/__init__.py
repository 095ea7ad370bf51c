"""diffing: sentences, version-to-version diff, seed-corpus index and alignment, renderers.

A stage package: free of I/O and of the other stage packages; callers pass plain texts.
"""

from __future__ import annotations

from diffing.align import AlignedSentence
from diffing.corpus import SeedCorpus, SeedMatch
from diffing.errors import CorpusError, DiffError, SegmentationError
from diffing.sentences import split_sentences
from diffing.versions import Edit, SentenceOp, VersionDiff, diff_versions

__all__ = [
    "AlignedSentence",
    "CorpusError",
    "DiffError",
    "Edit",
    "SeedCorpus",
    "SeedMatch",
    "SegmentationError",
    "SentenceOp",
    "VersionDiff",
    "diff_versions",
    "split_sentences",
]
