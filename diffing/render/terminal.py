"""Terminal rendering with rich. Page text is appended as rich `Text` segments, never parsed
as console markup, so "[bold]" or "[/]" in an article prints as written."""

from __future__ import annotations

from palimpsest.diffing.corpus import SeedMatch
from palimpsest.diffing.text import separators
from palimpsest.diffing.versions import SentenceOp, VersionDiff
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

_WORD_STYLE = {"equal": "", "delete": "bold red strike", "insert": "bold green"}
# Without colour (piped output, NO_COLOR), changed words are bracketed instead, as
# wdiff / git diff --word-diff=plain do: "[-65-]{+56+}".
_WORD_MARKS = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}


def word_text(words: list[tuple[str, str]], *, marks: bool = False) -> Text:
    """Word-level ops as one line: deletions struck through in red, insertions green; with
    `marks`, also bracketed, so the change survives without colour."""
    text = Text()
    previous = ""
    for sep, (op, token) in zip(separators([t for _, t in words]), words, strict=True):
        if marks and op == "insert" and previous == "delete":
            sep = ""  # a replacement reads as one unit: [-65-]{+56+}
        previous = op
        text.append(sep)
        opening, closing = _WORD_MARKS.get(op, ("", "")) if marks else ("", "")
        text.append(f"{opening}{token}{closing}", style=_WORD_STYLE.get(op, ""))
    return text


def _op_line(op: SentenceOp, marks: bool) -> Text:
    line = Text()
    if op.kind == "added":
        line.append("+ ", style="green bold").append(op.after or "", style="green")
    elif op.kind == "removed":
        line.append("- ", style="red bold").append(op.before or "", style="red")
    elif op.kind == "edited":
        style = "yellow bold" if op.substantive else "dim"
        line.append("~ ", style=style).append_text(word_text(op.words or [], marks=marks))
        line.append(f"  [{', '.join(op.kinds)}]", style=style)
    elif op.kind == "moved":
        line.append("↕ ", style="cyan bold")
        if op.words:
            line.append_text(word_text(op.words, marks=marks))
        else:
            line.append(op.after or "", style="cyan")
        line.append("  [moved]", style="cyan")
    return line


def render_terminal(diff: VersionDiff, console: Console, *, title: str = "") -> None:
    """Print a diff: changed sentences in full, runs of unchanged ones collapsed."""
    if title:
        console.rule(Text(title))
    s = diff.summary()
    console.print(
        Text(
            f"{s['edited']} edited ({s['cosmetic']} cosmetic), {s['added']} added, "
            f"{s['removed']} removed, {s['moved']} moved, {s['identical']} identical: "
            f"{s['substantive']} substantive",
            style="bold",
        )
    )
    if not diff.changed:
        console.print(Text("no changes", style="dim"))
        return
    marks = console.no_color or console.color_system is None
    run = 0
    for op in diff.ops:
        if op.kind == "identical":
            run += 1
            continue
        if run:
            console.print(Text(f"  … {run} unchanged sentence(s) …", style="dim"))
            run = 0
        console.print(_op_line(op, marks))
    if run:
        console.print(Text(f"  … {run} unchanged sentence(s) …", style="dim"))


_LABEL_STYLE = {
    "identical": "dim",
    "edited": "yellow",
    "paraphrase": "magenta",
    "partial": "blue",
    "added": "green",
    "dropped": "red",
}
_SHORT = {
    "identical": "ident",
    "edited": "edit",
    "paraphrase": "para",
    "partial": "part",
    "added": "added",
    "dropped": "drop",
}
NO_MATCH = "no related coverage in the seed corpus"


def _differences(differences: dict[str, dict[str, list[str]]]) -> str:
    parts = []
    for kind, sides in differences.items():
        text, seed = ", ".join(sides["text"]) or "-", ", ".join(sides["seed"]) or "-"
        parts.append(f"{kind}: {text} / seed {seed}")
    return "; ".join(parts)


def render_matches_terminal(
    matches: list[SeedMatch], console: Console, *, details: bool = False
) -> None:
    """A table of seed matches, best first, with the seeds' titles; with `details`, each
    match's alignment (links, with the figures, names and quotations that differ)."""
    if not matches:
        console.print(Text(NO_MATCH, style="dim"))
        return
    table = Table(title="Seed matches", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("seed", no_wrap=True)
    table.add_column("sim", justify="right")
    for label in _LABEL_STYLE:
        table.add_column(_SHORT[label], justify="right", style=_LABEL_STYLE[label])
    for m in matches:
        table.add_row(
            Text(m.seed),
            f"{m.similarity:.0%}",
            *(str(m.counts.get(label, 0)) for label in _LABEL_STYLE),
        )
    console.print(table)
    for m in matches:
        console.print(Text(f"  {m.seed}  ", style="bold").append(m.title, style=""))
    if not details:
        return
    for m in matches:
        console.rule(Text(f"{m.seed} ({m.similarity:.0%}): {m.title}"))
        for row in m.alignment.rows():
            line = Text(f"{row.label:>10} ", style=_LABEL_STYLE[row.label])
            line.append(row.text if row.text is not None else row.seed or "")
            if row.text is not None and row.seed is not None and row.label != "identical":
                line.append("\n           ↳ seed: ", style="dim").append(row.seed, style="dim")
            if row.differences:
                line.append("\n           ≠ ", style="bold").append(_differences(row.differences))
            console.print(line)
