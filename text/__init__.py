"""The shared text leaf: decoding, normalisation, words and terms, for every stage.

Stages may import it; it imports nothing of Palimpsest's (DESIGN.md, "Dependencies").

Public API::

    sniff(body, declared=None) -> codec name     charset_of(content_type) -> label | None
    decode(body, declared=None) -> str           canonical(label) -> codec name | None
    clean_markup(html) -> str                    strip_invisible(text) -> str
    normalise(text) -> str
    WORD, STOPWORDS, words(text), word_count(text), terms(text), wordset(text)
    FUNCTION_WORDS, stem(word), stemmed_terms(text)    (the diff's and seed corpus's terms)
"""

from __future__ import annotations

from palimpsest.text.charset import canonical, charset_of, decode, detect, sniff
from palimpsest.text.normal import clean_markup, normalise, strip_invisible
from palimpsest.text.terms import (
    FUNCTION_WORDS,
    STOPWORDS,
    WORD,
    stem,
    stemmed_terms,
    terms,
    word_count,
    words,
    wordset,
)

__all__ = [
    "FUNCTION_WORDS",
    "STOPWORDS",
    "WORD",
    "canonical",
    "charset_of",
    "clean_markup",
    "decode",
    "detect",
    "normalise",
    "sniff",
    "stem",
    "stemmed_terms",
    "strip_invisible",
    "terms",
    "word_count",
    "words",
    "wordset",
]
