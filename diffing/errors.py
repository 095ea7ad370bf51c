"""Errors of the diffing package.

    DiffError                   base of the tree: everything diffing raises
    ├── SegmentationError       the sentence segmenter failed on a text (names the text's label)
    └── CorpusError             a seed corpus cannot be built or queried (names the seed)

Third-party failures (pysbd, numpy) are translated into these at the boundary.
"""

from __future__ import annotations

from palimpsest.errors import PalimpsestError


class DiffError(PalimpsestError):
    """Base of every error raised by the diffing package (under `palimpsest.errors`)."""


class SegmentationError(DiffError):
    """The sentence segmenter failed on a text."""


class CorpusError(DiffError):
    """A seed corpus cannot be built or queried; the message names the seed or parameter."""
