"""Seed alignment, measured: links against the hand-aligned tuning pair, the wire copy as an
edited copy, a same-genre unrelated story as a negative control, merges, splits and order
changes, the paraphrase / partial decision on written sentence pairs, and the JSON shape.
(Link F1 on the held-out gold pairs is printed by bench/alignment.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from palimpsest.diffing.align import align, is_topic_heading, same_content, same_story
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
    best = alignment.best()
    assert {link.label for link in best.values()} <= {"identical", "edited"}
    # Beyond each sentence's counterpart, only links to other statements of the same item
    # (the refusal is told four times): those are partial.
    assert {link.label for link in alignment.links} - {"identical", "edited"} <= {"partial"}
    # Only the topic headings 000 added (all capitals) have no counterpart: 002's own
    # headings are other words ("Zelenskyy insists on security guarantees").
    added = [text[i] for i in alignment.added]
    assert len(added) == 3 and all(s.isupper() and is_topic_heading(s) for s in added), added
    assert len(best) == len(text) - 3
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


def test_texts_naming_different_actors_report_different_stories(
    clean_seeds: dict[str, str], names: dict[str, str]
) -> None:
    """The seeds share most of their names; the unrelated minerals story almost none."""
    sides = {n: SentenceSide.of(_sentences(clean_seeds, names, n)) for n in ("001", "003")}
    other = SentenceSide.of(split_sentences((DATA / "unrelated_story.txt").read_text("utf-8")))
    assert same_story(sides["001"].facts, sides["003"].facts)
    assert not same_story(other.facts, sides["003"].facts)
    # Too few names to tell: no verdict against the pair.
    few = SentenceSide.of(["The mayor opened the bridge.", "Traffic was light."])
    assert same_story(few.facts, other.facts)


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("SECURITY GUARANTEES", True),
        ("Critical Security Concerns", True),
        ("At a Glance", True),
        ("Zelenskyy insists on security guarantees", False),  # states a claim
        ("No Europeans at the negotiating table?", False),  # a question
        ("Taxes will rise.", False),  # a sentence
    ],
)
def test_topic_headings(line: str, heading: bool) -> None:
    assert is_topic_heading(line) is heading


def test_a_topic_heading_links_only_to_itself() -> None:
    seed = ["Security guarantees", "Zelenskyy insists on security guarantees for Ukraine."]
    text = ["SECURITY GUARANTEES", "Zelenskyy said he insists on security guarantees."]
    links = {(link.text, link.seed): link.label for link in align(text, seed).links}
    assert links[(0, 0)] == "identical"
    assert (0, 1) not in links and (1, 0) not in links
    assert links[(1, 1)] == "edited"


def test_one_shared_word_is_a_circumstance_not_a_link() -> None:
    """Two claims about the same Monday share a day, not an item (RULES.md, rule 2)."""
    text = ["On Monday the mayor opened a new bridge over the river."]
    seed = ["The council debated the budget on Monday.", "Taxes will rise."]
    assert align(text, seed).links == []
    # With the claim itself shared (other words), the pair links.
    seed[1] = "The mayor inaugurated a new bridge across the river on Monday."
    assert [(link.text, link.seed) for link in align(text, seed).links] == [(0, 1)]
