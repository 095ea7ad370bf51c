"""Words, content terms and stop words (no third-party imports).

`word_count` and `terms` take a fast route for (nearly) ASCII text and give exactly what
their regex definitions give (tests/text/test_terms.py checks it on arbitrary text).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

WORD = re.compile(r"\w+", re.UNICODE)
# Words of 3+ characters: the same tokens as WORD with the shorter ones left out (a run of
# word characters is matched whole or, if shorter than 3, not at all).
_TERM = re.compile(r"\w{3,}", re.UNICODE)
# A faster route to the same words for (nearly) ASCII text, in C: bytes.translate turns
# every byte that is not a word character ([0-9A-Za-z_], what \w means in ASCII) into a
# space, and bytes.split() then yields exactly the runs WORD would find. News copy is ASCII
# but for its typographic punctuation (curly quotes, dashes, ellipsis: U+2000-U+203F, UTF-8
# E2 80 xx) and no-break spaces (C2 A0); none of these is a word character, so their bytes
# become spaces too. Text with any other non-ASCII character takes the regex.
_ASCII_WORD = bytes(c if chr(c).isalnum() or c == 0x5F else 0x20 for c in range(128)) + bytes(
    [0x20] * 128
)
_ASCII_LOWER_WORD = _ASCII_WORD.lower()
_ASCII_BYTES = bytes(range(128))


def _ascii_words(text: str, table: bytes) -> bytes | None:
    """`text` as bytes with every non-word character turned into spaces by `table`, or None
    if it has non-ASCII characters other than general punctuation and no-break spaces."""
    data = text.encode("utf-8", "surrogatepass")
    if not data.isascii():
        other = len(data.translate(None, _ASCII_BYTES))  # bytes of non-ASCII characters
        if other != 3 * data.count(b"\xe2\x80") + 2 * data.count(b"\xc2\xa0"):
            return None
    return data.translate(table)


def wordset(text: str) -> frozenset[str]:
    """A frozen set of the whitespace-separated words in `text`."""
    return frozenset(text.split())


# English function words: they occur in every article, so they say nothing about which
# story a sentence tells, or which sentence of a story is meant (standard stop-word
# practice in retrieval). The diff's and the seed corpus's terms (`stemmed_terms`) drop
# them; "s t d ll m o re ve y" are the pieces contractions and possessives break into.
FUNCTION_WORDS = wordset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how i
    if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves s t d ll m o re ve y said says say told"""
)
_CONTRACTION_PIECES = wordset("s t d ll m o re ve y")
# Stop words of the extractor's topical terms (`terms`): the function words, and words so
# common in news copy that they say nothing about a story's topic either.
STOPWORDS = (FUNCTION_WORDS - _CONTRACTION_PIECES) | wordset(
    """according back day even first get got it's last like made make many may might mr mrs
    ms much must new one people still time two way week well year years"""
)


def words(text: str) -> list[str]:
    """The words (runs of `\\w`) of `text`."""
    return WORD.findall(text)


def word_count(text: str) -> int:
    """Number of words (runs of `\\w`) in `text`."""
    data = _ascii_words(text, _ASCII_WORD)
    return len(WORD.findall(text)) if data is None else len(data.split())


def terms(text: str) -> tuple[str, ...]:
    """Content terms: lower-cased words of 3+ letters, minus stop words, prefix-stemmed.

    Prefix stemming (first 6 letters) is crude but cheap, and it merges inflections and spelling
    variants of names (Zelenskiy / Zelenskyy), which is what a topical-overlap test needs.
    """
    data = _ascii_words(text, _ASCII_LOWER_WORD)
    tokens = _TERM.findall(text.lower()) if data is None else data.decode("ascii").split()
    stop = STOPWORDS
    return tuple(
        [
            token[:6]
            for token in tokens
            if len(token) >= 3 and token not in stop and not token.isdigit()
        ]
    )


@lru_cache(maxsize=200_000)  # ~0.1 KB a word: ~18 MB at its bound, keys aside
def stem(word: str) -> str:
    """A light suffix-stripping stem, so "guarantees"/"guarantee", "talks"/"talked" meet.

    Deliberately conservative (plural -s/-es/-ies, -ing, -ed, -ly): aggressive stemmers
    conflate unrelated words, which would turn unrelated sentences into "paraphrases".
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, repl, min_len in (
        ("ies", "y", 5),
        ("sses", "ss", 6),
        ("ing", "", 6),
        ("edly", "", 7),
        ("ed", "", 5),
        ("ly", "", 6),
        ("es", "", 6),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= min_len:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix == "es" and not word.endswith(("ches", "shes", "xes", "sses", "zes")):
                return word[:-1]
            return word[: len(word) - len(suffix)] + repl
    return word


_APOSTROPHES = str.maketrans(dict.fromkeys("‘’‚‛′", "'"))


def stemmed_terms(text: str) -> list[str]:
    """Content terms for sentence and document similarity (the diff, the seed corpus):
    NFKC-folded, case-folded words, possessives and FUNCTION_WORDS dropped, lightly
    stemmed (`stem`). Numbers are kept: they are strong evidence that two texts report the
    same facts."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = " ".join(text.split()).casefold().replace("'s ", " ").replace("'", "")
    return [
        stem(word)
        for word in WORD.findall(text)
        if word not in FUNCTION_WORDS and not (len(word) == 1 and not word.isdigit())
    ]
