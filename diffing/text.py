"""Word tokens, typographic folding and index terms shared by the diff and the corpus.

Everything here is language-level and general: curly versus straight quotes, dash variants
and spacing are typography, not content; function words and inflection endings carry little
of what makes two sentences say the same thing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Abbreviations like "U.S." stay one token; numbers keep their separators and a percent
# sign; words keep inner apostrophes and hyphens; any other non-space character is a token.
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|\d+(?:[.,:]\d+)*%?|\w+(?:['’\-]\w+)*|[^\w\s]",
    re.UNICODE,
)
_WORD = re.compile(r"\w", re.UNICODE)
_TYPO = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "…": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_WORD_RUN = re.compile(r"\w+", re.UNICODE)  # the non-empty pieces _NON_WORD.split leaves
_ODD_SPACE = re.compile(r"[^\S ]| {2}")  # whitespace other than single spaces

# English function words: they occur in every article, so they say nothing about which
# story a sentence tells (standard stop-word practice in retrieval).
STOPWORDS = _wordset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how i
    if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves s t d ll m o re ve y said says say told"""
)


def tokens(sentence: str) -> list[str]:
    """The word and punctuation tokens of a sentence, in order (whitespace dropped)."""
    return _TOKEN.findall(sentence)


def is_word(token: str) -> bool:
    """True for a token that holds a letter or digit (not bare punctuation)."""
    return bool(_WORD.search(token))


def fold(text: str) -> str:
    """Typography folded away: NFKC, straight quotes, one dash, single spaces."""
    if not text.isascii():  # ASCII is NFKC already and holds no typographic marks
        text = unicodedata.normalize("NFKC", text).translate(_TYPO)
    if _ODD_SPACE.search(text):  # else every space is a single " " already
        text = _SPACES.sub(" ", text)
    return text.strip()


@lru_cache(maxsize=50_000)
def content_key(text: str) -> str:
    """What a sentence says, ignoring case, punctuation, typography and spacing (cached: the
    same seed and text sentences are compared again for every seed and every version)."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(text).casefold())).strip()


@lru_cache(maxsize=200_000)
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


def terms(text: str) -> list[str]:
    """Content terms of a text for similarity: folded, possessives and stop words dropped,
    stemmed. Numbers are kept: they are strong evidence two texts report the same facts."""
    out = []
    for word in _WORD_RUN.findall(fold(text).casefold().replace("'s ", " ").replace("'", "")):
        if word not in STOPWORDS and not (len(word) == 1 and not word.isdigit()):
            out.append(stem(word))
    return out


_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%”’…")
_NO_SPACE_AFTER = frozenset("([{“‘$#")


def separators(toks: list[str]) -> list[str]:
    """For each token, the separator ("" or " ") to print before it, so that a token list
    reads like prose again: no space before closing punctuation or after an opening
    bracket, and straight double quotes alternate between opening and closing."""
    out: list[str] = []
    open_quote = False
    prev: str | None = None
    prev_opens = False
    for tok in toks:
        if tok == '"':
            closing = open_quote
            open_quote = not open_quote
            sep = "" if prev is None or prev_opens or closing else " "
            prev_opens = not closing
        else:
            sep = "" if prev is None or prev_opens or tok in _NO_SPACE_BEFORE else " "
            prev_opens = tok in _NO_SPACE_AFTER
        out.append(sep)
        prev = tok
    return out
