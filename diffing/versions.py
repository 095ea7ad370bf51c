"""Version-to-version diff: sentence-level alignment with word-level detail inside edits.

Algorithm (all general, no assumption about the texts):

1. Both texts are split into sentences; runs of identical sentences are matched in order
   with difflib's longest-matching-block alignment (autojunk off: in news text a repeated
   sentence is not noise).
2. Unmatched sentences whose content (ignoring case, punctuation, typography) reappears
   elsewhere in the other text are *moved*: a moved paragraph is a move, not a delete plus
   an add.
3. Within each gap between matched runs, the remaining old and new sentences are paired by
   an order-preserving dynamic programme that maximises total word similarity; pairs at or
   above EDIT_MIN similarity are *edited* (a one-word correction keeps nearly all words);
   a pair may join two adjacent sentences of one side, so a sentence split in two (or two
   merged into one) is one edit; the rest are *removed* (old only) or *added* (new only).
4. Finally a removed and an added sentence in different places that still share at least
   MOVE_EDIT_MIN of their words are one sentence moved *and* edited (editors often move a
   paragraph and touch it up): a move with word-level detail.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache

from palimpsest.diffing.labels import COSMETIC, classify_edit
from palimpsest.diffing.sentences import split_sentences
from palimpsest.diffing.text import content_key, fold, is_word, tokens

# Word similarity (difflib ratio over case-folded word tokens) from which two sentences in
# the same place count as one edited sentence rather than a removal plus an addition: half
# the words kept is where a reader still sees "the same sentence, reworded".
EDIT_MIN = 0.5

# Word similarity for a moved-and-edited sentence: stricter than EDIT_MIN because nothing
# about its position says it is the same sentence.
MOVE_EDIT_MIN = 0.8
# Bound on removed x added comparisons in step 4 (a full rewrite has nothing to gain).
MOVE_EDIT_MAX_PAIRS = 40_000

Words = list[tuple[str, str]]


@dataclass
class SentenceOp:
    """One step of the diff. `words` is set for edited (and edited-while-moved) sentences."""

    kind: str  # "identical" | "added" | "removed" | "edited" | "moved"
    before: str | None
    after: str | None
    words: Words | None = None
    kinds: list[str] = field(default_factory=list)  # change labels of an edit
    # How many sentences each side of an edit joins: (1, 2) is a split, (2, 1) a merge.
    parts: tuple[int, int] = (1, 1)

    @property
    def substantive(self) -> bool:
        """Identical sentences and cosmetic edits are not changes of substance; a move is
        (the order of a story is part of its emphasis)."""
        if self.kind == "identical":
            return False
        return not (self.kind == "edited" and self.kinds == [COSMETIC])


@dataclass
class Edit:
    before: str
    after: str
    words: Words
    kinds: list[str]
    substantive: bool
    parts: tuple[int, int] = (1, 1)  # sentences joined on each side: a split is (1, 2)

    def to_dict(self) -> dict:
        return {
            "before": self.before,
            "after": self.after,
            "kinds": list(self.kinds),
            "substantive": self.substantive,
            "sentences": list(self.parts),
            "words": [[op, tok] for op, tok in self.words],
        }

    @classmethod
    def of(cls, op: SentenceOp) -> Edit:
        return cls(
            op.before or "", op.after or "", op.words or [], op.kinds, op.substantive, op.parts
        )


@dataclass
class VersionDiff:
    ops: list[SentenceOp]

    def _texts(self, kind: str, attr: str) -> list[str]:
        return [getattr(op, attr) for op in self.ops if op.kind == kind]

    @property
    def identical(self) -> list[str]:
        return self._texts("identical", "after")

    @property
    def added(self) -> list[str]:
        return self._texts("added", "after")

    @property
    def removed(self) -> list[str]:
        return self._texts("removed", "before")

    @property
    def moved(self) -> list[str]:
        return self._texts("moved", "after")

    @property
    def edited(self) -> list[Edit]:
        return [Edit.of(op) for op in self.ops if op.kind == "edited"]

    @property
    def substantive(self) -> bool:
        """Whether the diff has a change of substance (see `summary`'s "substantive")."""
        return any(op.substantive for op in self.ops)

    @property
    def changed(self) -> bool:
        return any(op.kind != "identical" for op in self.ops)

    def summary(self) -> dict:
        """Counts of the diff's steps by kind (an edit that splits or merges sentences is
        one), and:

        - "substantive": the changes of substance, the one definition used everywhere
          (`VersionDiff.substantive` is "substantive" > 0): every added, removed or moved
          sentence and every edit that is not cosmetic;
        - "cosmetic": the edits that change only case, punctuation, typography or spacing;
        - "kinds": the edited sentences by change label (name, number, quote, ...).
        """
        edits = self.edited
        kinds = Counter(kind for e in edits for kind in dict.fromkeys(e.kinds))
        return {
            "identical": len(self.identical),
            "added": len(self.added),
            "removed": len(self.removed),
            "edited": len(edits),
            "moved": len(self.moved),
            "substantive": sum(op.substantive for op in self.ops),
            "cosmetic": sum(not e.substantive for e in edits),
            "kinds": dict(sorted(kinds.items())),
        }

    def to_dict(self) -> dict:
        """JSON: added / removed sentences, edits (with word ops), and moves, each move with
        its word ops and change labels when the sentence was edited on the way."""
        return {
            "added": self.added,
            "removed": self.removed,
            "edited": [e.to_dict() for e in self.edited],
            "moved": [Edit.of(op).to_dict() for op in self.ops if op.kind == "moved"],
        }


def word_diff(before: str, after: str) -> tuple[Words, list[str]]:
    """Word-level ops ("equal"/"delete"/"insert", token) and the change labels."""
    a, b = tokens(before), tokens(after)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    words: Words = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            words.extend(("equal", t) for t in a[i1:i2])
        else:
            words.extend(("delete", t) for t in a[i1:i2])
            words.extend(("insert", t) for t in b[j1:j2])
    return words, classify_edit(before, after, a, b, opcodes)


@lru_cache(maxsize=10_000)  # ~1.7 KB a sentence: ~16 MB, the last few hundred articles'
def _word_keys(sentence: str) -> tuple[str, ...]:
    """The case- and typography-folded words of a sentence (cached: the same sentences are
    compared again and again while pairing)."""
    return tuple(t.casefold() for t in tokens(fold(sentence)) if is_word(t))


@lru_cache(maxsize=50_000)  # a float per pair of cached sentences: ~13 MB at its bound
def word_similarity(a: str, b: str, *, at_least: float = 0.0) -> float:
    """difflib's ratio over the case- and typography-folded words of two sentences (cached:
    a new version of an article repeats most of its sentences, and is aligned with the
    same seed sentences as the version before).

    With `at_least`, a pair whose ratio cannot reach it (difflib's quick_ratio, the shared
    share of the two word multisets, is an upper bound of the ratio) returns that bound
    instead of the exact ratio, which is then below `at_least` too: callers that only
    compare the result with the threshold skip the longest-match search."""
    wa, wb = _word_keys(a), _word_keys(b)
    if not wa or not wb:
        return 0.0
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    if at_least > 0:
        bound = matcher.quick_ratio()
        if bound < at_least:
            return bound
    return matcher.ratio()


def _similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    if 2 * len(sa & sb) / (len(sa) + len(sb)) < EDIT_MIN * 0.6:  # cheap reject
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _pair_gap(
    old: list[tuple[str, ...]], new: list[tuple[str, ...]]
) -> list[tuple[int, int, int, int]]:
    """Order-preserving pairing of two sentence lists maximising total similarity, keeping
    only pairs with similarity >= EDIT_MIN (dynamic programme, O(len(old) * len(new))).
    A pair is one sentence with one, or one with two adjacent ones of the other side taken
    together (a split or a merge is one edit). Returns (old start, old count, new start,
    new count) per pair."""
    m, n = len(old), len(new)
    if not m or not n:
        return []
    steps = ((1, 1), (1, 2), (2, 1))

    @cache
    def sim(i: int, di: int, j: int, dj: int) -> float:
        if i + di > m or j + dj > n:
            return 0.0
        return _similarity(sum(old[i : i + di], ()), sum(new[j : j + dj], ()))

    best = [[0.0] * (n + 2) for _ in range(m + 2)]
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            value = max(best[i + 1][j], best[i][j + 1])
            for di, dj in steps:
                score = sim(i, di, j, dj)
                if score >= EDIT_MIN and score + best[i + di][j + dj] > value:
                    value = score + best[i + di][j + dj]
            best[i][j] = value
    pairs, i, j = [], 0, 0
    while i < m and j < n:
        for di, dj in steps:
            score = sim(i, di, j, dj)
            if score >= EDIT_MIN and best[i][j] == score + best[i + di][j + dj]:
                pairs.append((i, di, j, dj))
                i, j = i + di, j + dj
                break
        else:
            if best[i][j] == best[i + 1][j]:
                i += 1
            else:
                j += 1
    return pairs


def diff_sentences(old: list[str], new: list[str]) -> VersionDiff:
    """Diff two lists of sentences (see the module docstring for the algorithm)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    blocks = matcher.get_matching_blocks()

    # Moves: unmatched new sentences whose content appears among unmatched old ones in a
    # different gap (in the same gap it is an in-place edit, found below).
    gap_of_old, gap_of_new = {}, {}
    prev_i = prev_j = 0
    for g, (bi, bj, size) in enumerate(blocks):
        gap_of_old.update(dict.fromkeys(range(prev_i, bi), g))
        gap_of_new.update(dict.fromkeys(range(prev_j, bj), g))
        prev_i, prev_j = bi + size, bj + size
    free_old: dict[str, list[int]] = defaultdict(list)
    for i in gap_of_old:
        free_old[content_key(old[i])].append(i)
    moved: dict[int, int] = {}  # new index -> old index
    for j, g in gap_of_new.items():
        key = content_key(new[j])
        candidates = [i for i in free_old.get(key, []) if gap_of_old[i] != g] if key else []
        if candidates:
            moved[j] = candidates[0]
            free_old[key].remove(candidates[0])
    moved_old = set(moved.values())

    ops: list[SentenceOp] = []
    prev_i = prev_j = 0
    for bi, bj, size in blocks:
        gap_old = [i for i in range(prev_i, bi) if i not in moved_old]
        gap_new = [j for j in range(prev_j, bj) if j not in moved]
        pairs = _pair_gap(
            [_word_keys(old[i]) for i in gap_old], [_word_keys(new[j]) for j in gap_new]
        )
        # First new sentence of each pair -> (its old sentences, its new sentences).
        paired = {
            gap_new[pj]: (gap_old[pi : pi + di], gap_new[pj : pj + dj]) for pi, di, pj, dj in pairs
        }
        inside = {j for _, news in paired.values() for j in news[1:]}
        pending = list(gap_old)
        for j in range(prev_j, bj):
            if j in moved:
                i = moved[j]
                words, kinds = (None, []) if old[i] == new[j] else word_diff(old[i], new[j])
                ops.append(SentenceOp("moved", old[i], new[j], words, kinds))
            elif j in paired:
                olds, news = paired[j]
                while pending and pending[0] < olds[0]:
                    k = pending.pop(0)
                    ops.append(SentenceOp("removed", old[k], None))
                for i in olds:
                    pending.remove(i)
                before = " ".join(old[i] for i in olds)
                after = " ".join(new[k] for k in news)
                words, kinds = word_diff(before, after)
                parts = (len(olds), len(news))
                ops.append(SentenceOp("edited", before, after, words, kinds, parts))
            elif j not in inside:
                ops.append(SentenceOp("added", None, new[j]))
        ops.extend(SentenceOp("removed", old[k], None) for k in pending)
        ops.extend(SentenceOp("identical", new[bj + k], new[bj + k]) for k in range(size))
        prev_i, prev_j = bi + size, bj + size
    return VersionDiff(_moved_and_edited(ops))


def _moved_and_edited(ops: list[SentenceOp]) -> list[SentenceOp]:
    """Step 4: turn far-apart removed/added pairs with MOVE_EDIT_MIN similarity into moves."""
    removed = [k for k, op in enumerate(ops) if op.kind == "removed"]
    added = [k for k, op in enumerate(ops) if op.kind == "added"]
    if not removed or not added or len(removed) * len(added) > MOVE_EDIT_MAX_PAIRS:
        return ops
    keys = {k: _word_keys(ops[k].before or ops[k].after or "") for k in removed + added}
    scored = sorted(
        ((_similarity(keys[r], keys[a]), r, a) for r in removed for a in added),
        reverse=True,
    )
    drop: set[int] = set()
    taken: set[int] = set()
    for score, r, a in scored:
        if score < MOVE_EDIT_MIN:
            break
        if r in drop or a in taken:
            continue
        drop.add(r)
        taken.add(a)
        before, after = ops[r].before or "", ops[a].after or ""
        words, kinds = word_diff(before, after)
        ops[a] = SentenceOp("moved", before, after, words, kinds)
    return [op for k, op in enumerate(ops) if k not in drop]


def diff_versions(old: str, new: str) -> VersionDiff:
    """Sentence-level diff of two versions of a text (old -> new)."""
    return diff_sentences(split_sentences(old), split_sentences(new))
