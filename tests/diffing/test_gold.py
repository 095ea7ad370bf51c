"""The hand alignments of bench/gold and the scorer of bench/alignment.py."""

from __future__ import annotations

import json

import pytest

from bench.alignment import GOLD, gold_links, score, seed_sentences, tuning_pairs


@pytest.fixture(scope="module")
def sentences() -> dict[str, list[str]]:
    return seed_sentences()


@pytest.mark.parametrize("path", sorted(GOLD.glob("*.json")), ids=lambda p: p.name)
def test_gold_links_name_the_sentences_they_were_written_for(path, sentences) -> None:
    """Each link's sentence starts find exactly the indexes it records, under RULES.md's
    labels, on texts with the recorded sentence counts."""
    doc = json.loads(path.read_text("utf-8"))
    a, b, links, use = gold_links(path, sentences)
    assert (len(sentences[a]), len(sentences[b])) == (doc["text_sentences"], doc["seed_sentences"])
    assert sorted(links) == sorted((g["text"], g["seed"]) for g in doc["links"])
    assert set(links.values()) <= {"identical", "edited", "paraphrase", "partial"}
    assert use in {"tuning", "held out"}


def test_held_out_pairs_are_not_tuned_on(sentences) -> None:
    tuned = {(a, b) for a, b, _ in tuning_pairs(sentences)}
    assert tuned == {("001", "002"), ("003", "002"), ("004", "003")}
    assert not tuned & {("004", "002"), ("001", "003")}


def test_score_counts_links_and_labels() -> None:
    gold = {(0, 0): "edited", (1, 2): "partial", (2, 2): "partial"}
    found = {(0, 0): "edited", (1, 2): "paraphrase", (3, 3): "partial"}
    s = score(found, gold)
    assert (s["tp"], s["pred"], s["gold"], s["label_agree"]) == (2, 3, 3, 1)
    assert s["p"] == s["r"] == pytest.approx(2 / 3) and s["f1"] == pytest.approx(2 / 3)
    assert score({}, gold)["f1"] == 0.0
