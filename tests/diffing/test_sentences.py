"""Sentence segmentation on news text: abbreviations, dates, quotes, datelines, paragraphs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from palimpsest.diffing import split_sentences

CASES = [
    (
        "U.S. officials met on Feb. 14 in Munich. They left on Saturday.",
        ["U.S. officials met on Feb. 14 in Munich.", "They left on Saturday."],
    ),
    (
        "But Gen. Keith Kellogg cut Europeans out. He spoke at an event.",
        ["But Gen. Keith Kellogg cut Europeans out.", "He spoke at an event."],
    ),
    (
        "MUNICH (AP) — Ukrainian President Volodymyr Zelenskyy says he will not sign. "
        "The proposal offered nothing in return.",
        [
            "MUNICH (AP) — Ukrainian President Volodymyr Zelenskyy says he will not sign.",
            "The proposal offered nothing in return.",
        ],
    ),
    (
        '"I didn\'t let the ministers sign," Zelenskyy said. He left Munich.',
        ['"I didn\'t let the ministers sign," Zelenskyy said.', "He left Munich."],
    ),
    (
        "He added: “The U.S. recognizes this.” Then he left.",
        ["He added: “The U.S. recognizes this.”", "Then he left."],
    ),
    (
        "Mr. Smith paid $2.5 million for the site. It was 50% more than in 2020.",
        ["Mr. Smith paid $2.5 million for the site.", "It was 50% more than in 2020."],
    ),
    (
        "Zelenskyy insists on security guarantees\nUkraine has vast reserves.",
        ["Zelenskyy insists on security guarantees", "Ukraine has vast reserves."],
    ),
    ("Emma Burrows\n\nAamer Madhani\n", ["Emma Burrows", "Aamer Madhani"]),
    ("", []),
    ("   \n\t\n", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_news_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_spaces_are_collapsed_and_ends_stripped() -> None:
    assert split_sentences("  One  sentence\u00a0here.   Two. ") == ["One sentence here.", "Two."]


def test_seed_002_dateline_and_abbreviations(
    raw_seeds: dict[str, str], names: dict[str, str]
) -> None:
    sentences = split_sentences(raw_seeds[names["002"]])
    (dateline,) = [s for s in sentences if "MUNICH (AP)" in s]
    assert dateline.startswith("MUNICH (AP) — Ukrainian President")
    assert dateline.endswith("focused on U.S. interests.")
    (kellogg,) = [s for s in sentences if "Keith Kellogg, Trump" in s]
    assert kellogg.startswith("But Gen. Keith Kellogg")
    assert all(not s.endswith(("U.S.", "Gen.", "Feb.")) for s in sentences)


def test_fast_paths_equal_pysbd_segment(raw_seeds: dict[str, str]) -> None:
    """split_sentences skips pysbd for paragraphs without inner end punctuation and skips
    its character-span step otherwise; on real news text the sentences stay the same."""
    from palimpsest.diffing.sentences import _segmenter, split_paragraphs

    segmenter = _segmenter()
    for text in raw_seeds.values():
        for paragraph in split_paragraphs(text):
            expected = [s.strip() for s in segmenter.segment(paragraph) if s.strip()]
            assert split_sentences(paragraph) == expected


_PIECES = [*"abcXY ..,;!?\"'“”()—-\n$%0123", "U.S.", "Gen.", "Feb. 14", "Mr. ", " (AP) ", "i.e."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_no_character_is_lost(text: str) -> None:
    """pysbd drops characters on some inputs; split_sentences must not."""
    assert _squash("".join(split_sentences(text))) == _squash(text)


def test_pysbd_text_loss_is_repaired() -> None:
    assert split_sentences("Gen.!!") == ["Gen.!!"]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_segmenter_failure_is_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    import palimpsest.diffing.sentences as sentences_module
    from palimpsest.diffing import DiffError, SegmentationError

    def broken(segmenter: object, paragraph: str) -> list[str]:
        raise IndexError("list index out of range")

    monkeypatch.setattr(sentences_module, "_segment", broken)
    # The paragraph is plain enough for the fast path (diffing.plainsplit); send it to pysbd.
    monkeypatch.setattr(sentences_module, "plain_sentences", lambda paragraph, segment: None)
    sentences_module._paragraph_sentences.cache_clear()
    with pytest.raises(SegmentationError, match=r"'A paragraph pysbd chokes on\. It has") as info:
        split_sentences("A paragraph pysbd chokes on. It has two sentences.")
    assert isinstance(info.value, DiffError)
    sentences_module._paragraph_sentences.cache_clear()
