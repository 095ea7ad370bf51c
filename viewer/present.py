"""Diffs and seed alignments as rows for the templates: word marks, labels, folded runs.

Everything from the archive is escaped here or by the templates' autoescape: `Markup` is
only ever built from escaped tokens and fixed tags.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape
from palimpsest.diffing import SeedMatch, SentenceOp, VersionDiff
from palimpsest.diffing.text import separators
from palimpsest.diffing.versions import word_diff

# Unchanged sentences kept visible on each side of a change; longer runs are folded.
CONTEXT = 2
_TAGS = {"delete": "del", "insert": "ins"}


def marked_words(words: list[tuple[str, str]], side: str) -> Markup:
    """One side of an edited sentence: the other side's tokens left out, this side's changes
    wrapped in <del> (old) or <ins> (new)."""
    hidden = "insert" if side == "old" else "delete"
    kept = [(op, token) for op, token in words if op != hidden]
    parts = []
    for sep, (op, token) in zip(separators([t for _, t in kept]), kept, strict=True):
        tag = _TAGS.get(op)
        parts.append(sep + (f"<{tag}>{escape(token)}</{tag}>" if tag else str(escape(token))))
    return Markup("".join(parts))


@dataclass
class Row:
    kind: str  # identical | added | removed | edited | moved
    old: Markup
    new: Markup
    labels: list[str] = field(default_factory=list)
    substantive: bool = False
    change: int | None = None  # 1-based number of the change, for anchors and keys


@dataclass
class Fold:
    rows: list[Row]


def _row(op: SentenceOp) -> Row:
    old = escape(op.before) if op.before is not None else Markup("")
    new = escape(op.after) if op.after is not None else Markup("")
    if op.words:
        old, new = marked_words(op.words, "old"), marked_words(op.words, "new")
    labels = list(op.kinds) if op.kind == "edited" else []
    if op.kind == "moved":
        labels = ["moved", *op.kinds]
    return Row(op.kind, Markup(old), Markup(new), labels, op.substantive)


def diff_rows(diff: VersionDiff, context: int | None = CONTEXT) -> list[Row | Fold]:
    """The diff's rows in order, changes numbered, unchanged runs folded (see `folded`)."""
    return folded(_numbered([_row(op) for op in diff.ops]), context)


def seed_rows(match: SeedMatch, context: int | None = CONTEXT) -> list[Row | Fold]:
    """A seed alignment's rows in the text's order (each link, each added text sentence,
    each dropped seed sentence): edited pairs with their words marked, what differs between
    the two sentences (figures, names, quotations) as labels, identical runs folded."""
    rows = []
    for a in match.alignment:
        old = escape(a.text) if a.text is not None else Markup("")
        new = escape(a.seed) if a.seed is not None else Markup("")
        if a.label == "edited" and a.text and a.seed:
            words, _ = word_diff(a.text, a.seed)
            old, new = marked_words(words, "old"), marked_words(words, "new")
        scored = a.text and a.seed and a.label != "identical"
        labels = [f"{a.label} {a.score:.2f}" if scored else a.label]
        for kind, sides in (a.differences or {}).items():
            mine, theirs = ", ".join(sides.get("text", [])), ", ".join(sides.get("seed", []))
            labels.append(f"{kind}: {mine or '–'} ≠ {theirs or '–'}")
        rows.append(Row(a.label, Markup(old), Markup(new), labels, a.label != "identical"))
    return folded(_numbered(rows), context)


def _numbered(rows: list[Row]) -> list[Row]:
    number = 0
    for row in rows:
        if row.kind != "identical":
            number += 1
            row.change = number
    return rows


def folded(rows: list[Row], context: int | None = CONTEXT) -> list[Row | Fold]:
    """`rows` with every run of identical rows longer than 2 * context + 1 folded, `context`
    rows kept visible on each side of a change (all kept when `context` is None)."""
    if context is None:
        return list(rows)
    out: list[Row | Fold] = []
    run: list[Row] = []

    def flush(at_start: bool, at_end: bool) -> None:
        head = 0 if at_start else context
        tail = 0 if at_end else context
        if len(run) > head + tail + 1:
            out.extend(run[:head])
            out.append(Fold(run[head : len(run) - tail]))
            out.extend(run[len(run) - tail :])
        else:
            out.extend(run)
        run.clear()

    seen_change = False
    for row in rows:
        if row.kind == "identical":
            run.append(row)
            continue
        flush(at_start=not seen_change, at_end=False)
        seen_change = True
        out.append(row)
    flush(at_start=not seen_change, at_end=True)
    return out
