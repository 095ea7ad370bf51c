"""Small, cheap text measures shared by the cleaners (no third-party imports)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

WORD = re.compile(r"\w+", re.UNICODE)
WS = re.compile(r"\s+")
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


# A paragraph that ends a sentence: final . ! ? … or : ; optionally followed by closing quotes,
# brackets or a footnote-like asterisk.
_CLOSERS = "\"'”’»)]*"
_TERMINAL = ".!?…:;"


def wordset(text: str) -> frozenset[str]:
    """A frozen set of the whitespace-separated words in `text`."""
    return frozenset(text.split())


STOPWORDS = wordset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves said says say told one two new would could may might must also
    according its it's mr mrs ms year years last week day time people like get got make made
    many much well back even still way first"""
)


def normalise(text: str) -> str:
    """Collapse whitespace and strip.

    `str.split()` splits on exactly the characters `\\s` matches (both use Unicode
    `isspace`), so this equals `WS.sub(" ", text).strip()` and runs several times faster.
    """
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def squeeze(text: str) -> str:
    """`text` without any whitespace (the comparison key for markup evidence).

    Cached: chunk recovery and the markup cleaner both key every block this way."""
    return "".join(text.split())


def words(text: str) -> list[str]:
    return WORD.findall(text)


@lru_cache(maxsize=8192)
def word_count(text: str) -> int:
    """Number of words (runs of `\\w`) in `text`.

    Cached: every cleaner weighs block length, so the same block texts are counted many
    times per page; the cache bounds that to one count per distinct text.
    """
    data = _ascii_words(text, _ASCII_WORD)
    return len(WORD.findall(text)) if data is None else len(data.split())


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
