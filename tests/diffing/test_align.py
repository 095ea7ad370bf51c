"""Paraphrase alignment, measured: precision and recall against hand-labelled pairs, and a
same-genre unrelated story as a negative control (nothing may be called a paraphrase)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from palimpsest.diffing.align import align, count_labels
from palimpsest.diffing.sentences import split_sentences

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def labelled() -> dict[str, list[str]]:
    return json.loads((DATA / "paraphrase_001_002.json").read_text("utf-8"))["pairs"]


def _score(alignment, labelled: dict[str, list[str]]) -> tuple[int, int, int]:
    """(true positives, false positives, missed) of the aligned pairs against the labels."""
    tp = fp = 0
    found = set()
    for a in alignment:
        if a.text is None or a.seed is None:
            continue
        key = next((k for k in labelled if a.text.startswith(k)), None)
        if key is not None and any(a.seed.startswith(v) for v in labelled[key]):
            tp += 1
            found.add(key)
        else:
            fp += 1
    return tp, fp, len(labelled) - len(found)


def test_rewrite_alignment_precision_and_recall(
    clean_seeds: dict[str, str], names: dict[str, str], labelled: dict[str, list[str]]
) -> None:
    text = split_sentences(clean_seeds[names["001"]])
    seed = split_sentences(clean_seeds[names["002"]])
    alignment = align(text, seed)
    tp, fp, missed = _score(alignment, labelled)
    precision, recall = tp / (tp + fp), tp / (tp + missed)
    assert precision >= 0.9, (tp, fp, missed)
    assert recall >= 0.7, (tp, fp, missed)
    counts = count_labels(alignment)
    assert counts["paraphrased"] >= 8
    assert counts["identical"] == 0
    assert counts["added"] + counts["paraphrased"] + counts["edited"] == len(text)
    assert counts["dropped"] + counts["paraphrased"] + counts["edited"] == len(seed)


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_unrelated_story_aligns_to_nothing(
    clean_seeds: dict[str, str], names: dict[str, str], number: str
) -> None:
    """A story of the same genre (ministers, a deal, officials said) but different events."""
    text = split_sentences((DATA / "unrelated_story.txt").read_text("utf-8"))
    counts = count_labels(align(text, split_sentences(clean_seeds[names[number]])))
    assert counts["added"] == len(text)
    assert counts["paraphrased"] == counts["edited"] == counts["identical"] == 0


def test_edited_copy_is_edited_not_paraphrased(
    clean_seeds: dict[str, str], names: dict[str, str]
) -> None:
    """Seed 000 republishes the wire story of 002 with house-style edits."""
    text = split_sentences(clean_seeds[names["000"]])
    counts = count_labels(align(text, split_sentences(clean_seeds[names["002"]])))
    assert counts["edited"] + counts["identical"] >= 0.7 * len(text)
    assert counts["paraphrased"] <= 2


def test_alignment_keeps_text_order_and_places_dropped() -> None:
    text = ["The mayor opened the new bridge on Monday.", "Rain is expected tomorrow."]
    seed = [
        "An unrelated opening sentence about a football match.",
        "The new bridge across the river was inaugurated by the mayor on Monday.",
        "A closing remark about the harbour tax.",
    ]
    labels = [(a.label, a.text, a.seed) for a in align(text, seed)]
    assert labels == [
        ("dropped", None, seed[0]),
        ("paraphrased", text[0], seed[1]),
        ("added", text[1], None),
        ("dropped", None, seed[2]),
    ]


def test_empty_sides() -> None:
    assert align([], []) == []
    assert [a.label for a in align(["One sentence here."], [])] == ["added"]
    assert [a.label for a in align([], ["One sentence here."])] == ["dropped"]


def test_precomputed_sentence_terms_give_the_same_alignment(
    clean_seeds: dict[str, str], names: dict[str, str]
) -> None:
    """SeedCorpus.match weighs the text's sentences once for all seeds: same result."""
    from palimpsest.diffing.align import SentenceTerms

    text = split_sentences(clean_seeds[names["001"]])
    seed = split_sentences(clean_seeds[names["002"]])
    prepared = align(
        text, seed, text_terms=SentenceTerms.of(text), seed_terms=SentenceTerms.of(seed)
    )
    assert prepared == align(text, seed)
    # A sentence without content terms aligns to nothing (and breaks nothing).
    labels = {a.text: a.label for a in align(["—", *text[:2]], ["…", *seed])}
    assert labels["—"] == "added"
