"""Property tests of the differ and the seed corpus on arbitrary unicode: never a crash
(a `DiffError` is the only acceptable failure), and the diff's bookkeeping adds up."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from palimpsest.diffing import SeedCorpus, diff_versions, split_sentences
from palimpsest.diffing.errors import DiffError

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

any_text = st.text(max_size=1500)
sentence = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80
).map(lambda s: s.strip() + ".")
prose = st.lists(sentence, max_size=12).map(" ".join)
texts = st.one_of(any_text, prose)


@pytest.fixture(scope="module")
def corpus() -> SeedCorpus:
    return SeedCorpus({p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))})


def _split(text: str) -> list[str] | None:
    try:
        sentences = split_sentences(text)
    except DiffError:
        return None
    assert all(isinstance(s, str) and s.strip() for s in sentences)
    return sentences


@SETTINGS
@given(text=texts)
def test_split_sentences_keeps_every_visible_character(text: str) -> None:
    sentences = _split(text)
    if sentences is None:
        return
    # The segmenter counts the zero-width space (U+200B) as spacing, as str.split does not.
    squeeze = "".join("".join(s.split()) for s in sentences)
    assert squeeze == "".join(text.replace("\u200b", " ").split())


@SETTINGS
@given(text=texts)
def test_a_text_against_itself_has_no_changes(text: str) -> None:
    try:
        diff = diff_versions(text, text)
    except DiffError:
        return
    sentences = split_sentences(text)
    assert not diff.changed and not diff.substantive
    assert diff.summary()["identical"] == len(sentences)
    assert sum(v for k, v in diff.summary().items() if k not in ("identical", "kinds")) == 0
    assert diff.summary()["kinds"] == {}


@SETTINGS
@given(old=texts, new=texts)
def test_every_sentence_is_accounted_for_once(old: str, new: str) -> None:
    try:
        diff = diff_versions(old, new)
    except DiffError:
        return
    # An edit may join two sentences of one side (a split or a merge): count words.
    before = Counter(w for op in diff.ops if op.before is not None for w in op.before.split())
    after = Counter(w for op in diff.ops if op.after is not None for w in op.after.split())
    assert before == Counter(w for s in split_sentences(old) for w in s.split())
    assert after == Counter(w for s in split_sentences(new) for w in s.split())
    s = diff.summary()
    olds = s["identical"] + s["removed"] + s["moved"] + sum(e.parts[0] for e in diff.edited)
    news = s["identical"] + s["added"] + s["moved"] + sum(e.parts[1] for e in diff.edited)
    assert (olds, news) == (len(split_sentences(old)), len(split_sentences(new)))
    assert s["substantive"] == sum(op.substantive for op in diff.ops)
    assert (s["substantive"] > 0) == diff.substantive
    assert s["cosmetic"] == sum(not e.substantive for e in diff.edited)
    if split_sentences(old) == split_sentences(new):
        assert not diff.changed
    if before != after:
        assert diff.changed


@SETTINGS
@given(old=prose, extra=sentence)
def test_appending_a_sentence_adds_it(old: str, extra: str) -> None:
    new = f"{old}\n\n{extra}" if old else extra
    try:
        diff = diff_versions(old, new)
    except DiffError:
        return
    old_sentences = split_sentences(old)
    new_sentences = split_sentences(new)
    assert new_sentences[: len(old_sentences)] == old_sentences  # a paragraph break ends one
    assert diff.summary()["identical"] + diff.summary()["moved"] >= len(old_sentences) - 1


@SETTINGS
@given(text=texts, limit=st.integers(min_value=1, max_value=6))
def test_corpus_match_never_crashes(corpus: SeedCorpus, text: str, limit: int) -> None:
    try:
        matches = corpus.match(text, limit=limit)
    except DiffError:
        return
    assert len(matches) <= limit
    sims = [m.similarity for m in matches]
    assert all(0.0 <= s <= 1.0 for s in sims)
    assert sims == sorted(sims, reverse=True)
    assert all(m.seed in corpus.names() for m in matches)


@SETTINGS
@given(docs=st.dictionaries(st.text(min_size=1, max_size=8), texts, max_size=5), query=texts)
def test_arbitrary_corpora_build_and_answer(docs: dict[str, str], query: str) -> None:
    try:
        corpus = SeedCorpus(docs)
        matches = corpus.match(query, limit=3)
    except DiffError:
        return
    assert {m.seed for m in matches} <= set(docs)


def test_a_seed_matches_itself_first(corpus: SeedCorpus) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        (best, *_) = corpus.match(path.read_text(encoding="utf-8"), limit=5)
        assert best.seed == path.name
