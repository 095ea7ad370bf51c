"""Seed alignment, measured: links against the hand-aligned tuning pair, the wire copy as an
edited copy, a same-genre unrelated story as a negative control, merges, splits and order
changes, the paraphrase / partial decision on written sentence pairs, and the JSON shape.
(Link F1 on the held-out gold pairs is printed by bench/alignment.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from palimpsest.diffing.align import align, same_content
from palimpsest.diffing.features import SentenceSide, facts
from palimpsest.diffing.sentences import split_sentences

DATA = Path(__file__).parent / "data"


def _sentences(clean_seeds: dict[str, str], names: dict[str, str], number: str) -> list[str]:
    return split_sentences(clean_seeds[names[number]])


def test_rewrite_links_precision_and_recall(
    clean_seeds: dict[str, str], names: dict[str, str]
) -> None:
    """The tuning pair (001 rewrites 002), hand-labelled by sentence starts."""
    labelled = json.loads((DATA / "paraphrase_001_002.json").read_text("utf-8"))["pairs"]
    text, seed = _sentences(clean_seeds, names, "001"), _sentences(clean_seeds, names, "002")
    gold = {
        (i, j)
        for key, starts in labelled.items()
        for i, t in enumerate(text)
        if t.startswith(key)
        for j, s in enumerate(seed)
        if any(s.startswith(v) for v in starts)
    }
    found = {(link.text, link.seed) for link in align(text, seed).links}
    right = found & gold
    assert len(right) / len(found) >= 0.9, sorted(found - gold)
    assert len(right) / len(gold) >= 0.6, sorted(gold - found)


def test_wire_copy_is_identical_or_edited_throughout(
    clean_seeds: dict[str, str], names: dict[str, str]
) -> None:
    """000 republishes 002 with house style; it splits one of 002's sentences in two."""
    text, seed = _sentences(clean_seeds, names, "000"), _sentences(clean_seeds, names, "002")
    alignment = align(text, seed)
    assert {link.label for link in alignment.links} <= {"identical", "edited"}
    # Only the section headings 000 added (all capitals) have no counterpart.
    assert all(text[i].isupper() for i in alignment.added), [text[i] for i in alignment.added]
    weary = next(
        j for j, s in enumerate(seed) if s.startswith("The Trump administration has grown")
    )
    split = sorted(link.text for link in alignment.links if link.seed == weary)
    assert [text[i].split()[0] for i in split] == ["The", "Hughes"]
    assert alignment.reordered == []
    bessent = next(link for link in alignment.links if "Bessent" in link.text_sentence)
    assert bessent.differences["names"] == {"text": ["bessent"], "seed": ["bassent"]}


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_unrelated_story_links_to_nothing(
    clean_seeds: dict[str, str], names: dict[str, str], number: str
) -> None:
    """A story of the same genre (ministers, a deal, officials said) but different events."""
    text = split_sentences((DATA / "unrelated_story.txt").read_text("utf-8"))
    alignment = align(text, _sentences(clean_seeds, names, number))
    assert alignment.links == []
    assert alignment.counts()["added"] == len(text)


SEED = [
    "The council met on Monday evening in the town hall.",
    "It approved a budget of 40 million euros for the new tram line.",
    "Work on the line will start in spring.",
    "The opposition said the budget was too small.",
]


def test_merge_split_and_reorder() -> None:
    text = [
        "The opposition said the budget was too small.",  # moved to the front
        "The council met on Monday evening in the town hall and approved a budget of 40 "
        "million euros for the new tram line.",  # merges SEED 0 and 1
        "Work on the line will start in spring, the mayor said.",
    ]
    alignment = align(text, SEED)
    links = {(link.text, link.seed): link.label for link in alignment.links}
    assert links == {(0, 3): "identical", (1, 0): "edited", (1, 1): "edited", (2, 2): "edited"}
    assert alignment.reordered == [(0, 3)]
    assert alignment.added == [] and alignment.dropped == []


def test_changed_figure_and_name_are_reported() -> None:
    text = ["The council approved a budget of 55 million euros for the new tram line on Friday."]
    alignment = align(text, SEED)
    [link] = alignment.links
    assert link.seed == 1
    assert link.differences["numbers"] == {"text": ["55"], "seed": ["40"]}
    assert link.differences["names"] == {"text": ["friday"], "seed": []}
    assert alignment.dropped == [0, 2, 3]


@pytest.fixture(scope="module")
def written_pairs() -> list[list[str]]:
    return json.loads((DATA / "paraphrase_partial.json").read_text("utf-8"))["pairs"]


def test_same_story_different_facts_is_never_paraphrase(written_pairs) -> None:
    wrong = [
        (a, b)
        for label, a, b in written_pairs
        if label == "partial" and same_content(facts(a), facts(b))
    ]
    assert wrong == []


def test_paraphrases_say_the_same(written_pairs) -> None:
    paraphrases = [(a, b) for label, a, b in written_pairs if label == "paraphrase"]
    missed = [(a, b) for a, b in paraphrases if not same_content(facts(a), facts(b))]
    assert len(missed) <= 1, missed


def test_json_contract(clean_seeds: dict[str, str], names: dict[str, str]) -> None:
    text, seed = _sentences(clean_seeds, names, "001"), _sentences(clean_seeds, names, "002")
    data = align(text, seed).to_dict()
    assert set(data) == {"links", "added", "dropped", "reordered"}
    link = data["links"][0]
    assert set(link) == {
        "text_index",
        "seed_index",
        "text",
        "seed",
        "label",
        "score",
        "differences",
    }
    assert link["text"] == text[link["text_index"]] and link["seed"] == seed[link["seed_index"]]
    assert 0.0 <= link["score"] <= 1.0
    assert all(d["seed"] == seed[d["seed_index"]] for d in data["dropped"])
    json.dumps(data)


def test_empty_sides_and_prepared_sides(clean_seeds: dict[str, str], names: dict[str, str]) -> None:
    assert align([], []).links == []
    assert align(["One sentence here."], []).added == [0]
    assert align([], ["One sentence here."]).dropped == [0]
    text, seed = _sentences(clean_seeds, names, "001"), _sentences(clean_seeds, names, "002")
    prepared = align(text, seed, text_side=SentenceSide.of(text), seed_side=SentenceSide.of(seed))
    assert prepared == align(text, seed)
    # A sentence without content terms aligns to nothing (and breaks nothing).
    assert 0 in align(["—", *text[:2]], ["…", *seed]).added
