"""Sentence alignment of a text against one seed: many-to-many, order-free, labelled.

Method (chosen by measurement against hand alignments, `bench/alignment.py`):

1. Two texts that name mostly different actors and places report different stories
   (`same_story`): none of their sentences link, but identical ones.
2. Every pair of sentences (text x seed) gets the features of `diffing.features` (soft
   overlap of content terms by static word vectors, TF-IDF cosines of the terms and of
   their character 4-grams, and the soft score discounted by the pair's rank in its row
   and in its column) and from them a calibrated score: the probability that a careful
   reader links the two, by a logistic model fitted on the tuning pairs (seeds 001 and 003
   against 002, 004 against 003; `MODEL` and `LINK_MIN`, refitted by
   `bench/alignment.py --fit`). A pair sharing fewer than MIN_SHARED content terms scores
   0; a topic heading ("SECURITY GUARANTEES") links only to its own words.
   Every pair at LINK_MIN or more is a link: a sentence that merges two links to both, two
   that split one link to it, a sentence restated several times on the other side links to
   each statement, and the order of the two texts plays no part; order changes are
   reported separately (`Alignment.reordered`: best links outside the longest run of best
   links in the same order on both sides).
3. Each link is labelled: `identical` (same words ignoring case, punctuation and
   typography), `edited` (difflib's word ratio >= SEED_EDIT_MIN, counting a split or merge
   as one sentence: the sentence against its linked sentences joined, those mostly made of
   its words), `paraphrase` (says the same: no figure, name, negation or quotation differs
   and neither side has clearly more unshared content words), else `partial` (shares the
   item, asserts something the other does not). The figures, names and quotations that
   differ inside a pair are reported with it (`Link.differences`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from palimpsest.diffing.embed import SharedSimilarity
from palimpsest.diffing.features import FEATURES, SentenceFacts, SentenceSide, pair_features
from palimpsest.diffing.text import content_key, fold, terms
from palimpsest.diffing.versions import word_similarity

# Logistic model over diffing.features.FEATURES, fitted by `bench/alignment.py --fit`.
MODEL = {
    "bias": -3.161,
    "soft": 1.39,
    "term": 1.015,
    "char": 0.874,
    "soft_row": 2.942,
    "soft_col": 2.027,
}
LINK_MIN = 0.2  # calibrated probability from which a pair is a link
MIN_SHARED = 2  # content terms a linked pair shares at least (an identical pair aside)
# Word-sequence ratio from which an aligned seed sentence is the same sentence edited rather
# than a paraphrase. Measured on the corpus: copies edited by another outlet (house style,
# a changed word) keep >= 0.65; rewrites of one sentence stay around 0.5 or below.
SEED_EDIT_MIN = 0.6
# Unshared content words: a side with UNSHARED_GAP more than the other, or either side with
# UNSHARED_MAX, asserts something the other does not (an added clause brings >= 2).
UNSHARED_GAP = 2
UNSHARED_MAX = 5
# A name found in this share of all sentences of the two texts is the story's protagonist
# ("he" stands for it in a paraphrase): its absence on one side is no difference.
STORY_NAME_SHARE = 0.2
STORY_NAME_MIN = 3  # and in at least this many sentences
HEADING_TERMS = 3  # a line of at most this many content terms, unpunctuated, is a topic heading
PREFIX = 5  # content words sharing their first PREFIX letters count as the same word
# Two reports of one story name the same actors and places: a text and a seed each with at
# least SAME_STORY_NAMES distinct names, of which fewer than SAME_STORY_SHARE (of the
# smaller set) are shared, report different stories, and none of their sentences link
# unless identical. Measured: the seeds share 0.64-0.96 of their names with each other, a
# same-genre story on another country's minerals deal 0.06-0.11.
SAME_STORY_NAMES = 3
SAME_STORY_SHARE = 0.3

LABELS = ("identical", "edited", "paraphrase", "partial")
COUNTS = (*LABELS, "added", "dropped")


@dataclass
class Link:
    text: int  # index of the text's sentence
    seed: int  # index of the seed's sentence
    label: str  # one of LABELS
    score: float  # calibrated link probability, 0..1
    text_sentence: str
    seed_sentence: str
    differences: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "text_index": self.text,
            "seed_index": self.seed,
            "text": self.text_sentence,
            "seed": self.seed_sentence,
            "label": self.label,
            "score": self.score,
            "differences": self.differences,
        }


@dataclass(frozen=True)
class Row:
    """One line of an alignment in reading order: a link, an added text sentence (seed
    None) or a dropped seed sentence (text None)."""

    label: str  # one of LABELS, or "added" / "dropped"
    text: str | None
    seed: str | None
    score: float
    text_index: int | None
    seed_index: int | None
    differences: dict[str, dict[str, list[str]]] = field(default_factory=dict)


@dataclass
class Alignment:
    text: tuple[str, ...]
    seed: tuple[str, ...]
    links: list[Link]  # by text index, then seed index
    reordered: list[tuple[int, int]]  # (text, seed) of links out of the common order

    @property
    def added(self) -> list[int]:
        """Text sentences with no link."""
        linked = {link.text for link in self.links}
        return [i for i in range(len(self.text)) if i not in linked]

    @property
    def dropped(self) -> list[int]:
        """Seed sentences with no link."""
        linked = {link.seed for link in self.links}
        return [j for j in range(len(self.seed)) if j not in linked]

    def best(self) -> dict[int, Link]:
        """Each linked text sentence's highest-scoring link."""
        out: dict[int, Link] = {}
        for link in self.links:
            if link.text not in out or link.score > out[link.text].score:
                out[link.text] = link
        return out

    def counts(self) -> dict[str, int]:
        """Text sentences by the label of their best link, then added and dropped."""
        counts = dict.fromkeys(COUNTS, 0)
        counts.update(Counter(link.label for link in self.best().values()))
        counts["added"], counts["dropped"] = len(self.added), len(self.dropped)
        return counts

    def rows(self) -> list[Row]:
        """The alignment in the text's order: each text sentence with its links (or as
        added), each dropped seed sentence before the first row linked after it."""
        by_text: dict[int, list[Link]] = {}
        for link in self.links:
            by_text.setdefault(link.text, []).append(link)
        dropped = self.dropped
        out: list[Row] = []
        for i, sentence in enumerate(self.text):
            links = by_text.get(i, [])
            first = min((link.seed for link in links), default=None)
            while dropped and first is not None and dropped[0] < first:
                j = dropped.pop(0)
                out.append(Row("dropped", None, self.seed[j], 0.0, None, j))
            if not links:
                out.append(Row("added", sentence, None, 0.0, i, None))
            for link in links:
                out.append(
                    Row(
                        link.label,
                        sentence,
                        link.seed_sentence,
                        link.score,
                        i,
                        link.seed,
                        link.differences,
                    )
                )
        out.extend(Row("dropped", None, self.seed[j], 0.0, None, j) for j in dropped)
        return out

    def __iter__(self) -> Iterator[Row]:
        """Iterating an alignment gives its rows (see `rows`)."""
        return iter(self.rows())

    def to_dict(self) -> dict:
        return {
            "links": [link.to_dict() for link in self.links],
            "added": [{"text_index": i, "text": self.text[i]} for i in self.added],
            "dropped": [{"seed_index": j, "seed": self.seed[j]} for j in self.dropped],
            "reordered": [{"text_index": i, "seed_index": j} for i, j in self.reordered],
        }


def scores(text: SentenceSide, seed: SentenceSide, sim: np.ndarray | None = None) -> np.ndarray:
    """Calibrated link probability of every (text, seed) sentence pair; 0 for a pair that
    shares fewer than MIN_SHARED content terms (one shared word, a weekday or a place, is
    the circumstance of two claims, not an item: RULES.md, rule 2)."""
    x, shared = pair_features(text, seed, sim)
    w = np.array([MODEL[f] for f in FEATURES])
    p = 1.0 / (1.0 + np.exp(-(x @ w + MODEL["bias"])))
    return np.where(shared >= MIN_SHARED, p, 0.0)


def choose_links(p: np.ndarray) -> list[tuple[int, int]]:
    """Pairs whose calibrated score reaches LINK_MIN."""
    return [(int(i), int(j)) for i, j in np.argwhere(p >= LINK_MIN)]


def align(
    text: list[str],
    seed: list[str],
    *,
    text_side: SentenceSide | None = None,
    seed_side: SentenceSide | None = None,
    similarity: SharedSimilarity | None = None,
) -> Alignment:
    """Align the sentences of a text with those of a seed. `text_side` / `seed_side`: the
    lists' SentenceSide, when the caller keeps them (the corpus does, per seed);
    `similarity`: the text's term similarities shared with other seeds (the corpus's)."""
    a = text_side if text_side is not None else SentenceSide.of(text)
    b = seed_side if seed_side is not None else SentenceSide.of(seed)
    related = len(text) and len(seed) and same_story(a.facts, b.facts)
    if related:
        p = scores(a, b, similarity.against(b.table) if similarity is not None else None)
    else:
        p = np.zeros((len(text), len(seed)))
    # The same sentence on both sides is a link, however short ("At a Glance").
    keys: dict[str, int] = {}
    for j, sentence in enumerate(seed):
        keys.setdefault(content_key(sentence), j)
    for i, sentence in enumerate(text):
        known = keys.get(content_key(sentence))
        if known is not None and content_key(sentence):
            p[i, known] = 1.0
    _drop_topic_headings(p, text, seed)
    pairs = choose_links(p)
    story = _story_names(a.facts + b.facts)
    # A split or merge: the linked sentences of the other side joined, each mostly made of
    # the words of the sentence they come from or go into.
    partners_of_text: dict[int, list[int]] = {}
    partners_of_seed: dict[int, list[int]] = {}
    for i, j in pairs:
        if _contained(b.term_lists[j], a.term_lists[i]):
            partners_of_text.setdefault(i, []).append(j)
        if _contained(a.term_lists[i], b.term_lists[j]):
            partners_of_seed.setdefault(j, []).append(i)
    links = []
    for i, j in pairs:
        into, parts = partners_of_text.get(i, []), partners_of_seed.get(j, [])
        merged = " ".join(seed[k] for k in into) if j in into else seed[j]
        split = " ".join(text[k] for k in parts) if i in parts else text[i]
        label = _label(text[i], seed[j], merged, split, a.facts[i], b.facts[j], story)
        diffs = differences(a.facts[i], b.facts[j], story)
        links.append(Link(i, j, label, round(float(p[i, j]), 4), text[i], seed[j], diffs))
    best: dict[int, tuple[int, int]] = {}
    for i, j in pairs:  # order changes: among each text sentence's best link
        if i not in best or p[i, j] > p[best[i]]:
            best[i] = (i, j)
    return Alignment(tuple(text), tuple(seed), links, _reordered(list(best.values())))


@lru_cache(maxsize=50_000)  # ~0.1 KB a sentence: ~5 MB at its bound, keys aside
def is_topic_heading(sentence: str) -> bool:
    """A heading that only names a topic ("SECURITY GUARANTEES", "Critical Concerns"): at
    most HEADING_TERMS content terms and no closing full stop, question or exclamation
    mark. It states no claim, so it links only to the same heading (RULES.md, rule 4).
    Cached: the seeds' sentences are checked again for every text."""
    end = fold(sentence).rstrip("\"' )]")[-1:]
    return end not in (".", "!", "?") and len(set(terms(sentence))) <= HEADING_TERMS


def _drop_topic_headings(p: np.ndarray, text: list[str], seed: list[str]) -> None:
    """Zero the scores of a topic heading's pairs, but with its own words edited."""
    headings = np.array([is_topic_heading(s) for s in text], bool)
    seed_headings = np.array([is_topic_heading(s) for s in seed], bool)
    if not headings.any() and not seed_headings.any():
        return
    for i, j in np.argwhere((p > 0) & (headings[:, None] | seed_headings[None, :])):
        if word_similarity(text[i], seed[j], at_least=SEED_EDIT_MIN) < SEED_EDIT_MIN:
            p[i, j] = 0.0


def _contained(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """Whether SEED_EDIT_MIN of the content terms `part` are terms of `whole`."""
    return bool(part) and len(set(part).intersection(whole)) >= SEED_EDIT_MIN * len(part)


def _label(
    text: str,
    seed: str,
    merged: str,
    split: str,
    fa: SentenceFacts,
    fb: SentenceFacts,
    story: frozenset[str],
) -> str:
    if content_key(text) == content_key(seed):
        return "identical"
    # Edited when any reading reaches SEED_EDIT_MIN (in turn: the next only when needed).
    if (
        word_similarity(text, seed, at_least=SEED_EDIT_MIN) >= SEED_EDIT_MIN
        or (
            merged != seed
            and word_similarity(text, merged, at_least=SEED_EDIT_MIN) >= SEED_EDIT_MIN
        )
        or (split != text and word_similarity(split, seed, at_least=SEED_EDIT_MIN) >= SEED_EDIT_MIN)
    ):
        return "edited"
    return "paraphrase" if same_content(fa, fb, story) else "partial"


def same_story(a: tuple[SentenceFacts, ...], b: tuple[SentenceFacts, ...]) -> bool:
    """Whether two texts may report one story: False when both name SAME_STORY_NAMES
    or more actors and places (by their first PREFIX letters) and share fewer than
    SAME_STORY_SHARE of the smaller set."""
    names_a = {n[:PREFIX] for f in a for n in f.names}
    names_b = {n[:PREFIX] for f in b for n in f.names}
    smaller = min(len(names_a), len(names_b))
    return smaller < SAME_STORY_NAMES or len(names_a & names_b) >= SAME_STORY_SHARE * smaller


def _story_names(all_facts: tuple[SentenceFacts, ...]) -> frozenset[str]:
    counts = Counter(name[:PREFIX] for f in all_facts for name in f.names)
    floor = max(STORY_NAME_MIN, STORY_NAME_SHARE * len(all_facts))
    return frozenset(name for name, c in counts.items() if c >= floor)


def _unshared(mine: frozenset[str], other: frozenset[str]) -> set[str]:
    prefixes = {w[:PREFIX] for w in other}
    return {w for w in mine if w not in other and w[:PREFIX] not in prefixes}


def same_content(fa: SentenceFacts, fb: SentenceFacts, story: frozenset[str] = frozenset()) -> bool:
    """Whether two sentences that share an item say the same (a paraphrase) rather than one
    asserting something the other does not (partial): same figures, same names (the story's
    protagonists aside), same negation, same quotations when both quote, and no side with
    clearly more unshared content words."""
    if fa.negated != fb.negated or _figures_only(fa, fb) or _figures_only(fb, fa):
        return False
    if _names_only(fa, fb, story) or _names_only(fb, fa, story):
        return False
    if fa.quotes and fb.quotes and set(fa.quotes) != set(fb.quotes):
        return False
    ua, ub = _unshared(fa.terms, fb.terms), _unshared(fb.terms, fa.terms)
    return abs(len(ua) - len(ub)) < UNSHARED_GAP and max(len(ua), len(ub)) < UNSHARED_MAX


def _names_only(mine: SentenceFacts, other: SentenceFacts, story: frozenset[str]) -> list[str]:
    """Names of `mine` whose stem (first PREFIX letters) is not a name or a word of `other`
    ("Mayor Kowalski" against "the mayor") nor one of the story's protagonists."""
    prefixes = {n[:PREFIX] for n in other.names | other.terms} | story
    return sorted(n for n in mine.names if n[:PREFIX] not in prefixes)


def _figures_only(mine: SentenceFacts, other: SentenceFacts) -> list[str]:
    """Figures of `mine` that are neither figures nor words of `other`."""
    return sorted(n for n in mine.numbers if n not in other.numbers and n not in other.terms)


def differences(
    fa: SentenceFacts, fb: SentenceFacts, story: frozenset[str] = frozenset()
) -> dict[str, dict[str, list[str]]]:
    """Figures, names and quotations found on one side of a pair and not on the other
    (names compared by their first PREFIX letters, the story's protagonists left out)."""
    out: dict[str, dict[str, list[str]]] = {}
    key_a, key_b = " ".join(fa.quotes), " ".join(fb.quotes)
    sides = {
        "numbers": (_figures_only(fa, fb), _figures_only(fb, fa)),
        "names": (_names_only(fa, fb, story), _names_only(fb, fa, story)),
        "quotes": (
            [q for q in fa.quotes if q not in key_b],
            [q for q in fb.quotes if q not in key_a],
        ),
    }
    for kind, (only_a, only_b) in sides.items():
        if only_a or only_b:
            out[kind] = {"text": only_a, "seed": only_b}
    return out


def _reordered(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Links outside the longest chain of links in the same order on both sides."""
    if not pairs:
        return []
    ordered = sorted(pairs)
    length = [1] * len(ordered)
    back = [-1] * len(ordered)
    for k, (i, j) in enumerate(ordered):
        for q in range(k):
            pi, pj = ordered[q]
            if pj <= j and (pi < i or pj < j) and length[q] + 1 > length[k]:
                length[k], back[k] = length[q] + 1, q
    k = max(range(len(ordered)), key=lambda x: (length[x], -x))
    chain = set()
    while k >= 0:
        chain.add(ordered[k])
        k = back[k]
    return [pair for pair in ordered if pair not in chain]


# What a text sentence contributes to coverage, by the label of its best link: a
# paraphrase carries the content but not the text, a partial link only some of it.
CREDIT = {"identical": 1.0, "edited": 0.9, "paraphrase": 0.5, "partial": 0.25}


def coverage(alignment: Alignment) -> float:
    """Share (0..1) of the text's sentences found in the seed, weighted by CREDIT."""
    if not alignment.text:
        return 0.0
    best = alignment.best().values()
    return sum(CREDIT[link.label] for link in best) / len(alignment.text)
