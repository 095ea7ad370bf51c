"""Word tokens and typographic folding shared by the diff and the corpus; their content
terms and stop words come from the shared text leaf (`palimpsest.text.stemmed_terms`,
`FUNCTION_WORDS`), re-exported here as `terms` and `STOPWORDS`.

Everything here is language-level and general: curly versus straight quotes, dash variants
and spacing are typography, not content.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from palimpsest.text import FUNCTION_WORDS as STOPWORDS
from palimpsest.text import stem
from palimpsest.text import stemmed_terms as terms

__all__ = ["STOPWORDS", "content_key", "fold", "is_word", "separators", "stem", "terms", "tokens"]

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


_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_ODD_SPACE = re.compile(r"[^\S ]| {2}")  # whitespace other than single spaces


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


@lru_cache(maxsize=50_000)  # ~0.3 KB a sentence: ~16 MB at its bound, keys aside
def content_key(text: str) -> str:
    """What a sentence says, ignoring case, punctuation, typography and spacing (cached: the
    same seed and text sentences are compared again for every seed and every version)."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(text).casefold())).strip()


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
