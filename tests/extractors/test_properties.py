"""Invariants of plain-text mode, for arbitrary input: cleaners only ever delete whole lines,
never rewrite or reorder them, and every deletion is recorded."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from palimpsest.extractors import EmptyArticle, extract_text
from palimpsest.extractors.text import (
    STOPWORDS,
    normalise,
    squeeze,
    terms,
    word_count,
)

VOCABULARY = (
    "the council said water road pipe residents newsletter subscribe sign up photo AP "
    "Advertisement related more from read share by Jane Doe 2024 March — @handle "
    "pic.twitter.com/x1 ___ * cookies you your our contributed report"
)
WORDS = st.sampled_from(VOCABULARY.split(" "))
LINE = (
    st.lists(WORDS, min_size=1, max_size=40)
    .map(" ".join)
    .map(lambda s: s + "." if len(s) % 3 == 0 else s)
)


@settings(max_examples=60, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=25))
def test_cleaning_only_deletes_whole_lines_and_records_each(lines: list[str]) -> None:
    source = "\n".join(lines)
    try:
        article = extract_text(source, source="generated.txt")
    except EmptyArticle:
        return
    kept = article.text.split("\n")
    # kept lines are input lines, in input order
    it = iter(line.strip() for line in lines)
    assert all(any(k == line for line in it) for k in kept)
    # what is missing is exactly what was recorded as removed (the safety net's records say
    # what it kept, not what was removed)
    missing = Counter(line.strip() for line in lines if line.strip()) - Counter(kept)
    assert missing == Counter(r.text for r in article.removed if r.cleaner != "safety_net")
    assert all(r.cleaner and r.reason for r in article.removed)


NEWS_CHARACTERS = VOCABULARY + "_-.,0\u2019\u201c\u201d\u2014\u2026\xa0\xe9\u0130"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(), max_size=80) | st.text(alphabet=NEWS_CHARACTERS))
def test_fast_word_counts_and_terms_equal_their_regex_definitions(text: str) -> None:
    word = re.compile(r"\w+")
    assert word_count(text) == len(word.findall(text))
    assert list(terms(text)) == [
        t[:6]
        for t in word.findall(text.lower())
        if len(t) >= 3 and t not in STOPWORDS and not t.isdigit()
    ]
    assert normalise(text) == re.sub(r"\s+", " ", text).strip()
    assert squeeze(text) == re.sub(r"\s+", "", text) == squeeze(normalise(text))
