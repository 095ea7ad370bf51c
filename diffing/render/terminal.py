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


def word_text(words: list[tuple[str, str]]) -> Text:
    """Word-level ops as one line: deletions struck through in red, insertions green."""
    text = Text()
    for sep, (op, token) in zip(separators([t for _, t in words]), words, strict=True):
        text.append(sep)
        text.append(token, style=_WORD_STYLE.get(op, ""))
    return text


def _op_line(op: SentenceOp) -> Text:
    line = Text()
    if op.kind == "added":
        line.append("+ ", style="green bold").append(op.after or "", style="green")
    elif op.kind == "removed":
        line.append("- ", style="red bold").append(op.before or "", style="red")
    elif op.kind == "edited":
        style = "yellow bold" if op.substantive else "dim"
        line.append("~ ", style=style).append_text(word_text(op.words or []))
        line.append(f"  [{', '.join(op.kinds)}]", style=style)
    elif op.kind == "moved":
        line.append("↕ ", style="cyan bold")
        if op.words:
            line.append_text(word_text(op.words))
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
            f"{s['edited']} edited ({s['substantive']} substantive, {s['cosmetic']} cosmetic), "
            f"{s['added']} added, {s['removed']} removed, {s['moved']} moved, "
            f"{s['identical']} identical",
            style="bold",
        )
    )
    if not diff.changed:
        console.print(Text("no changes", style="dim"))
        return
    run = 0
    for op in diff.ops:
        if op.kind == "identical":
            run += 1
            continue
        if run:
            console.print(Text(f"  … {run} unchanged sentence(s) …", style="dim"))
            run = 0
        console.print(_op_line(op))
    if run:
        console.print(Text(f"  … {run} unchanged sentence(s) …", style="dim"))


_LABEL_STYLE = {
    "identical": "dim",
    "edited": "yellow",
    "paraphrased": "magenta",
    "added": "green",
    "dropped": "red",
}

_SHORT = {
    "identical": "ident",
    "edited": "edit",
    "paraphrased": "para",
    "added": "added",
    "dropped": "dropped",
}


def render_matches_terminal(
    matches: list[SeedMatch], console: Console, *, details: bool = False
) -> None:
    """A table of seed matches, best first; with `details`, each match's alignment."""
    if not matches:
        console.print(Text("no matching seed", style="dim"))
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
    if not details:
        return
    for m in matches:
        console.rule(Text(f"{m.seed} ({m.similarity:.0%})"))
        for a in m.alignment:
            line = Text(f"{a.label:>11} ", style=_LABEL_STYLE[a.label])
            line.append(a.text if a.text is not None else a.seed or "")
            if a.text is not None and a.seed is not None and a.label != "identical":
                line.append("\n            ↳ seed: ", style="dim").append(a.seed, style="dim")
            console.print(line)
