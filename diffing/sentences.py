"""Sentence segmentation for news text, with pysbd (a maintained rule-based segmenter).

pysbd handles the abbreviations news copy is full of ("U.S.", "Gen.", "Feb. 14", "Mr."),
sentences ending inside quotes and datelines like "MUNICH (AP) —". A paragraph break ("\\n")
always ends a sentence: headlines, bylines and list items carry no final punctuation and
must not run into the next paragraph.
"""

from __future__ import annotations

import re
from functools import cache

import pysbd

from diffing.errors import SegmentationError

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _segment(segmenter: pysbd.Segmenter, paragraph: str) -> list[str]:
    """`segmenter.segment(paragraph)` without its final character-span step.

    With clean=False pysbd maps each sentence back onto the input with
    `re.finditer(re.escape(sentence))`, compiling one throw-away pattern per sentence; that
    evicts pysbd's own patterns from Python's regex cache and slows segmentation down. The
    processor's sentences are the same text (tests/diffing/test_sentences.py checks this on
    the seed corpus), so they are used directly.
    """
    return list(segmenter.processor(paragraph).process())


def split_paragraphs(text: str) -> list[str]:
    """The non-blank lines of `text`, with runs of spaces collapsed and ends stripped."""
    out = []
    for line in text.splitlines():
        line = _SPACES.sub(" ", line).strip()
        if line:
            out.append(line)
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` in order; every paragraph break ends a sentence."""
    segmenter = _segmenter()
    sentences: list[str] = []
    for paragraph in split_paragraphs(text):
        try:
            parts = _segment(segmenter, paragraph)
        except Exception as exc:  # pysbd raises assorted errors on odd input
            raise SegmentationError(
                f"cannot split into sentences: {paragraph[:60]!r}: {exc}"
            ) from exc
        sentences.extend(p.strip() for p in parts if p.strip())
    return sentences
