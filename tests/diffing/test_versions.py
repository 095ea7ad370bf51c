"""Version-to-version diff: sentence alignment, word detail, moves, change labels."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from palimpsest.diffing import diff_versions, split_sentences
from palimpsest.diffing.versions import diff_sentences


@pytest.fixture(scope="module")
def story(raw_seeds: dict[str, str], names: dict[str, str]) -> str:
    return raw_seeds[names["002"]]


def test_one_word_correction_is_one_edited_sentence(story: str) -> None:
    assert "Bassent" in story
    diff = diff_versions(story, story.replace("Bassent", "Bessent"))
    assert diff.added == [] and diff.removed == [] and diff.moved == []
    (edit,) = diff.edited
    assert "Bassent" in edit.before and "Bessent" in edit.after
    assert [w for w in edit.words if w[0] != "equal"] == [
        ("delete", "Bassent"),
        ("insert", "Bessent"),
    ]
    assert edit.kinds == ["name"] and edit.substantive
    assert diff.substantive
    summary = diff.summary()
    assert summary["edited"] == 1 and summary["substantive"] == 1
    assert summary["kinds"] == {"name": 1}
    assert summary["identical"] == len(split_sentences(story)) - 1


def test_identical_texts(story: str) -> None:
    diff = diff_versions(story, story)
    assert not diff.changed and not diff.substantive
    assert diff.to_dict() == {"added": [], "removed": [], "edited": [], "moved": []}


def test_moved_paragraph_is_a_move(story: str) -> None:
    paragraphs = story.split("\n\n")
    moved = paragraphs.pop(12)
    paragraphs.insert(3, moved)
    diff = diff_versions(story, "\n\n".join(paragraphs))
    assert diff.added == [] and diff.removed == [] and diff.edited == []
    assert diff.moved == split_sentences(moved)
    assert diff.substantive


def test_added_and_removed_sentences_stand_in_place() -> None:
    old = "First fact. The minister resigned on Monday. Third fact."
    new = "First fact. Third fact. A new paragraph about the weather arrived."
    diff = diff_versions(old, new)
    assert diff.removed == ["The minister resigned on Monday."]
    assert diff.added == ["A new paragraph about the weather arrived."]
    assert [op.kind for op in diff.ops] == ["identical", "removed", "identical", "added"]


def test_rewritten_sentence_is_removed_plus_added_not_edited() -> None:
    diff = diff_versions(
        "Alpha. The council approved the budget on Tuesday. Omega.",
        "Alpha. Heavy snow closed every school in the region. Omega.",
    )
    assert diff.edited == []
    assert len(diff.added) == 1 and len(diff.removed) == 1


def test_typography_only_is_cosmetic(story: str) -> None:
    curly = story.replace("'", "’").replace("  ", " ")
    diff = diff_versions(story, curly)
    assert diff.edited, "the apostrophes changed"
    assert all(e.kinds == ["cosmetic"] and not e.substantive for e in diff.edited)
    assert not diff.substantive
    assert diff.summary()["cosmetic"] == len(diff.edited)


LABELS = [
    ("The deal is worth $40 million.", "The deal is worth $45 million.", ["number"]),
    ("Three officials attended.", "Four officials attended.", ["number"]),
    (
        'He called it "a colonial deal" on Friday.',
        'He called it "an unfair deal" on Friday.',
        ["quote"],
    ),
    ("He called it a colonial deal.", 'He called it "a colonial deal."', ["quote"]),
    (
        "The letter was signed by Scott Bassent.",
        "The letter was signed by Scott Bessent.",
        ["name"],
    ),
    (
        "The plan was rejected, an official said.",
        "The plan was rejected, an official told AP.",
        ["attribution", "name"],
    ),
    (
        "The plan was rejected, officials said.",
        "The plan was rejected, according to officials.",
        ["attribution"],
    ),
    ("The talks were long and tense.", "The talks were long and difficult.", ["wording"]),
    ('He said: "Talks failed today."', 'He said: "Negotiations failed today."', ["quote"]),
    ("Prices rose — Analysts blamed fuel.", "Prices rose — Traders blamed fuel.", ["wording"]),
    ("The plan failed.", "A plan failed.", ["wording"]),
    ("Officials met in Kyiv on Friday.", "Officials met in Kiev on Friday.", ["name"]),
    ('He said "no".', "He said “no”.", ["cosmetic"]),
    ("The Trump Administration agreed.", "The Trump administration agreed.", ["cosmetic"]),
    ("Talks resumed - in Munich.", "Talks resumed — in Munich.", ["cosmetic"]),
    ("Talks resumed, in Munich.", "Talks resumed in Munich!", ["cosmetic"]),
]


@pytest.mark.parametrize(("before", "after", "kinds"), LABELS)
def test_change_labels(before: str, after: str, kinds: list[str]) -> None:
    diff = diff_versions(
        f"Intro line.\n{before}\nOutro line.", f"Intro line.\n{after}\nOutro line."
    )
    (edit,) = diff.edited
    assert sorted(edit.kinds) == sorted(kinds)
    assert edit.substantive == (kinds != ["cosmetic"])


def test_to_dict_shape(story: str) -> None:
    new = story.replace("Bassent", "Bessent") + "\n\nA closing line was added."
    d = diff_versions(story, new).to_dict()
    assert set(d) == {"added", "removed", "edited", "moved"}
    assert d["added"] == ["A closing line was added."]
    (edit,) = d["edited"]
    assert set(edit) == {"before", "after", "kinds", "substantive", "sentences", "words"}
    assert ["insert", "Bessent"] in edit["words"]


def test_empty_texts() -> None:
    assert diff_versions("", "").ops == []
    assert diff_versions("", "One sentence.").added == ["One sentence."]
    assert diff_versions("One sentence.", "").removed == ["One sentence."]


POOL = [
    "The minister resigned on Monday.",
    "Talks resumed in Munich on Friday.",
    "Officials said the deal was worth $40 million.",
    "The council approved the budget.",
    "Heavy snow closed every school.",
    "Prices rose by 3% in March.",
    "The talks resumed in Munich on Friday.",
    "A spokesman declined to comment.",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=8), st.lists(st.sampled_from(POOL), max_size=8))
def test_ops_account_for_every_sentence(old: list[str], new: list[str]) -> None:
    """Whatever the texts, the ops rebuild the new text in order and use each old sentence
    exactly once (identical, edited, moved or removed)."""
    diff = diff_sentences(old, new)
    # An edit joins the sentences it splits or merges, in order.
    assert " ".join(op.after for op in diff.ops if op.after is not None) == " ".join(new)
    befores = [op.before for op in diff.ops if op.before is not None]
    assert Counter(w for b in befores for w in b.split()) == Counter(
        w for o in old for w in o.split()
    )
    for op in diff.ops:
        assert (op.before is None) == (op.kind == "added")
        assert (op.after is None) == (op.kind == "removed")
        assert (op.words is not None) == (
            op.kind == "edited" or (op.kind == "moved" and op.before != op.after)
        )


def test_moved_and_corrected_paragraph_is_a_move_with_detail(story: str) -> None:
    paragraphs = story.split("\n\n")
    moved = paragraphs.pop(12)
    paragraphs.insert(3, moved.replace("colonial", "one-sided"))
    diff = diff_versions(story, "\n\n".join(paragraphs))
    assert diff.added == [] and diff.removed == [] and diff.edited == []
    (op,) = [op for op in diff.ops if op.kind == "moved"]
    assert ("insert", "one-sided") in (op.words or []) and op.kinds == ["quote"]


SPLIT_OLD = "The council met on Monday and approved the budget for next year.\nTaxes will rise."
SPLIT_NEW = "The council met on Monday. It approved the budget for next year.\nTaxes will rise."


@pytest.mark.parametrize(
    ("old", "new", "parts"), [(SPLIT_OLD, SPLIT_NEW, (1, 2)), (SPLIT_NEW, SPLIT_OLD, (2, 1))]
)
def test_split_or_merge_is_one_edit(old: str, new: str, parts: tuple[int, int]) -> None:
    diff = diff_versions(old, new)
    assert [op.kind for op in diff.ops] == ["edited", "identical"]
    (edit,) = diff.edited
    assert edit.parts == parts and diff.added == [] and diff.removed == []
    assert edit.before == old.split("\n")[0] and edit.after == new.split("\n")[0]
    assert diff.to_dict()["edited"][0]["sentences"] == list(parts)


def test_moved_and_edited_sentence_keeps_its_word_changes_in_json() -> None:
    old = (
        "The mayor opened the bridge on Monday.\nTraffic was light in the morning hours.\n"
        "The bridge cost 40 million euros to build over four years.\n"
        "Residents welcomed the new crossing."
    )
    new = (
        "The mayor opened the bridge on Monday.\n"
        "The bridge cost 45 million euros to build over four years.\n"
        "Traffic was light in the morning hours.\nResidents welcomed the new crossing."
    )
    (moved,) = diff_versions(old, new).to_dict()["moved"]
    assert moved["kinds"] == ["number"] and moved["substantive"]
    assert ["delete", "40"] in moved["words"] and ["insert", "45"] in moved["words"]


def test_substantive_has_one_definition() -> None:
    """One added sentence is a substantive change in the summary too (it was counted as
    True by VersionDiff.substantive and 0 by summary()["substantive"])."""
    diff = diff_versions("Talks resumed.", "Talks resumed.\nA minister resigned.")
    assert diff.substantive and diff.summary()["substantive"] == 1
    cosmetic = diff_versions("Talks resumed, he said.", "Talks resumed , he said.")
    assert not cosmetic.substantive and cosmetic.summary()["substantive"] == 0
