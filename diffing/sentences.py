"""Sentence segmentation for news text, with pysbd (a maintained rule-based segmenter).

pysbd handles the abbreviations news copy is full of ("U.S.", "Gen.", "Feb. 14", "Mr."),
sentences ending inside quotes and datelines like "MUNICH (AP) —". A paragraph break ("\\n")
always ends a sentence: headlines, bylines and list items carry no final punctuation and
must not run into the next paragraph. pysbd costs ~1 ms a paragraph, so the sentence ends
that no pysbd rule could keep (a stop after an ordinary word, then a capital) are cut
without it (diffing.plainsplit, same sentences as pysbd, tested).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import pairwise

import pysbd
from palimpsest.diffing.errors import SegmentationError
from palimpsest.diffing.plainsplit import plain_sentences

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_SQUASH = re.compile(r"\s+")
# Sentence-final punctuation; a paragraph with none of it before its own end is one sentence.
_INNER_STOP = re.compile(r"[.!?…。！？]")
_CLOSERS = ".!?…。！？\"'”’)]} "


@cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _segment(segmenter: pysbd.Segmenter, paragraph: str) -> list[str]:
    """The sentences of one paragraph, with no character lost.

    pysbd's `segment` maps each sentence back onto the input with one throw-away regex per
    sentence (`re.finditer(re.escape(sentence))`), which evicts pysbd's own patterns from
    Python's regex cache and halves its speed; the processor's sentences are the same text
    (tests/diffing/test_sentences.py checks it on the seed corpus), so they are used
    directly. pysbd can also drop characters on odd input (e.g. "Gen.!!" -> ["Gen."]); a
    diff must never lose text, so when the sentences do not add up to the paragraph, the
    paragraph is re-cut at the sentences' starting positions instead.
    """
    sentences = [s.strip() for s in segmenter.processor(paragraph).process() if s.strip()]
    if _SQUASH.sub("", "".join(sentences)) == _SQUASH.sub("", paragraph):
        return sentences
    starts, pos = [], 0
    for sentence in sentences:
        start = paragraph.find(sentence, pos)
        if start < 0:  # altered by the segmenter: keep the paragraph whole
            return [paragraph]
        starts.append(start)
        pos = start + len(sentence)
    bounds = [0, *starts[1:], len(paragraph)]
    parts = (paragraph[a:b].strip() for a, b in pairwise(bounds))
    return [part for part in parts if part]


def split_paragraphs(text: str) -> list[str]:
    """The non-blank lines of `text`, with runs of spaces collapsed and ends stripped."""
    out = []
    for line in text.splitlines():
        line = _SPACES.sub(" ", line).strip()
        if line:
            out.append(line)
    return out


@lru_cache(maxsize=20_000)  # ~0.9 KB a paragraph: ~17 MB at its bound, keys aside
def _paragraph_sentences(paragraph: str) -> tuple[str, ...]:
    """Cached per paragraph: two versions of an article share most of their paragraphs, and
    the same seeds are matched again and again.

    A paragraph with no end punctuation before its own end (a headline, a byline, a one-
    sentence paragraph without abbreviations) is one sentence and skips pysbd, which costs
    ~0.25 ms a sentence. The only difference from pysbd: it sometimes splits trailing
    closers off such a sentence ('said."' -> 'said.', '"'), which the fast path does not.
    Other paragraphs are cut at their unambiguous sentence ends without pysbd, which then
    sees only the pieces with an ambiguous stop, or the whole paragraph when it holds
    anything pysbd's paragraph-wide rules look at (`diffing.plainsplit`, same sentences).
    """
    if not _INNER_STOP.search(paragraph.rstrip(_CLOSERS)):
        return (paragraph,)  # no end punctuation before its end: one sentence, skip pysbd
    try:
        segmenter = _segmenter()
        plain = plain_sentences(paragraph, lambda piece: _segment(segmenter, piece))
        return plain if plain is not None else tuple(_segment(segmenter, paragraph))
    except Exception as exc:  # pysbd raises assorted errors on odd input
        raise SegmentationError(f"cannot split into sentences: {paragraph[:60]!r}: {exc}") from exc


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` in order; every paragraph break ends a sentence."""
    sentences: list[str] = []
    for paragraph in split_paragraphs(text):
        sentences.extend(_paragraph_sentences(paragraph))
    return sentences
