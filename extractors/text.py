"""Small, cheap text measures shared by the cleaners, on the words and terms of the shared
text leaf (`palimpsest.text`). Nothing is cached: caching counts and terms per text measured
no faster (10.0 against 10.1 pages/s), and a cache shared by threads has no clear owner."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from palimpsest.text import STOPWORDS, WORD, normalise, terms, word_count, wordset

__all__ = ["STOPWORDS", "WORD", "normalise", "terms", "word_count", "wordset"]

# A paragraph that ends a sentence: final . ! ? … or : ; optionally followed by closing quotes,
# brackets or a footnote-like asterisk.
_CLOSERS = "\"'”’»)]*"
_TERMINAL = ".!?…:;"


def squeeze(text: str) -> str:
    """`text` without any whitespace (the comparison key for markup evidence)."""
    return "".join(text.split())


def ends_sentence(text: str) -> bool:
    """True when the paragraph ends like a finished sentence (or introduces a list/quote)."""
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in _TERMINAL


def is_truncated(text: str) -> bool:
    """A long run of prose that stops without sentence-final punctuation: cut off mid-sentence.

    Only meaningful for prose (several words); headings also lack punctuation but are short.
    """
    body = text.rstrip()
    if body.endswith(("...", "…")):
        return True
    return not ends_sentence(body)


def overlap(candidate: Iterable[str], reference: Counter[str] | set[str]) -> float:
    """Share of the candidate's distinct terms that also occur in the reference."""
    distinct = set(candidate)
    if not distinct:
        return 1.0
    return sum(1 for t in distinct if t in reference) / len(distinct)
