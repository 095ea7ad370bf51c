"""Small, cheap text measures shared by the cleaners, on the words and terms of the shared
text leaf (`palimpsest.text`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from palimpsest.text import STOPWORDS, WORD, normalise, words, wordset
from palimpsest.text import terms as _plain_terms
from palimpsest.text import word_count as _plain_word_count

__all__ = ["STOPWORDS", "WORD", "normalise", "words", "wordset"]

# A paragraph that ends a sentence: final . ! ? … or : ; optionally followed by closing quotes,
# brackets or a footnote-like asterisk.
_CLOSERS = "\"'”’»)]*"
_TERMINAL = ".!?…:;"


@lru_cache(maxsize=4096)
def squeeze(text: str) -> str:
    """`text` without any whitespace (the comparison key for markup evidence).

    Cached: chunk recovery and the markup cleaner both key every block this way."""
    return "".join(text.split())


@lru_cache(maxsize=8192)
def word_count(text: str) -> int:
    """Number of words (runs of `\\w`) in `text`.

    Cached: every cleaner weighs block length, so the same block texts are counted many
    times per page; the cache bounds that to one count per distinct text.
    """
    return _plain_word_count(text)


def reset_caches() -> None:
    """Empty the per-text caches. `extract` calls this for every page, so each page pays
    for its own counting: a benchmark that runs the same page twice measures the cost of
    one real extraction, and the caches never hold more than about one page's texts."""
    word_count.cache_clear()
    _terms.cache_clear()
    squeeze.cache_clear()


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


def terms(text: str) -> list[str]:
    """Content terms: lower-cased words of 3+ letters, minus stop words, prefix-stemmed.

    Prefix stemming (first 6 letters) is crude but cheap, and it merges inflections and spelling
    variants of names (Zelenskiy / Zelenskyy), which is what a topical-overlap test needs.
    """
    return list(_terms(text))


@lru_cache(maxsize=4096)
def _terms(text: str) -> tuple[str, ...]:
    """`terms` as an immutable, cached tuple: the topical cleaners read each block's terms
    more than once (recovery, teaser overlap)."""
    return _plain_terms(text)


def overlap(candidate: Iterable[str], reference: Counter[str] | set[str]) -> float:
    """Share of the candidate's distinct terms that also occur in the reference."""
    distinct = set(candidate)
    if not distinct:
        return 1.0
    return sum(1 for t in distinct if t in reference) / len(distinct)


def capitalised_share(text: str) -> float:
    """Share of words (3+ letters) that start with a capital letter: high for headlines/names."""
    toks = [t for t in WORD.findall(text) if len(t) >= 3 and not t.isdigit()]
    if not toks:
        return 0.0
    return sum(1 for t in toks if t[0].isupper()) / len(toks)
