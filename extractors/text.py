"""Small, cheap text measures shared by the cleaners (no third-party imports)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

WORD = re.compile(r"\w+", re.UNICODE)
WS = re.compile(r"\s+")
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
    """Collapse whitespace and strip."""
    return WS.sub(" ", text).strip()


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_count(text: str) -> int:
    return len(WORD.findall(text))


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
    out = []
    for token in WORD.findall(text.lower()):
        if len(token) < 3 or token in STOPWORDS or token.isdigit():
            continue
        out.append(token[:6])
    return out


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
