"""Standalone HTML reports: a version diff side by side, edits highlighted
(`render_html`), and a version beside its nearest seeds, aligned sentence pairs side by
side with their labels and differing words marked (`render_seeds_html`).

Every piece of page text goes through `html.escape`, and the page carries a
Content-Security-Policy that forbids scripts outright, so text from an article can never run
in the reader's browser (defence in depth: escaping alone already prevents it). No external
resources: the CSS is inline, the file can be mailed or archived as it is.
"""

from __future__ import annotations

from html import escape

from palimpsest.diffing.align import COUNTS, Row
from palimpsest.diffing.corpus import SeedMatch
from palimpsest.diffing.text import separators
from palimpsest.diffing.versions import SentenceOp, VersionDiff, word_diff

CSS = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; margin-bottom: .2em; }
.summary { color: #555; margin-bottom: 1em; }
table.diff { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.diff th { text-align: left; background: #eee; padding: .4em; }
table.diff td { vertical-align: top; padding: .3em .5em; border-bottom: 1px solid #eee; }
tr.identical td { color: #777; }
tr.removed td.old { background: #fdd; }
tr.added td.new { background: #dfd; }
tr.edited td { background: #fff8dc; }
tr.edited.cosmetic td { background: #f6f6f6; }
tr.moved td { background: #e0f0ff; }
del { background: #f99; text-decoration: line-through; }
ins { background: #8e8; text-decoration: none; font-weight: bold; }
.kinds { font-size: .8em; color: #885; margin-left: .5em; }
details { margin-top: 2em; } pre { white-space: pre-wrap; }
tr.paraphrase td { background: #f3e8ff; } tr.partial td { background: #e8f0fe; }
tr.dropped td.old, tr.added td.new { color: #999; }
table.matches td, table.matches th { padding: .2em .6em; text-align: left; }
.diffs { display: block; font-size: .8em; color: #a33; } th.linkcol { width: 14em; }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'"


def _words_html(words: list[tuple[str, str]], side: str) -> str:
    """One side of an edit: the other side's tokens left out, this side's changes marked."""
    hidden = "insert" if side == "old" else "delete"
    kept = [(op, token) for op, token in words if op != hidden]
    parts = []
    for sep, (op, token) in zip(separators([t for _, t in kept]), kept, strict=True):
        tag = {"delete": "del", "insert": "ins"}.get(op)
        parts.append(sep + (f"<{tag}>{escape(token)}</{tag}>" if tag else escape(token)))
    return "".join(parts)


def _row(op: SentenceOp) -> str:
    old = escape(op.before) if op.before is not None else ""
    new = escape(op.after) if op.after is not None else ""
    classes = op.kind
    kinds = ""
    if op.words:
        old, new = _words_html(op.words, "old"), _words_html(op.words, "new")
    if op.kind == "edited":
        kinds = f'<span class="kinds">{escape(", ".join(op.kinds))}</span>'
        if not op.substantive:
            classes += " cosmetic"
    elif op.kind == "moved":
        kinds = '<span class="kinds">moved here</span>'
        old = f'<span class="kinds">moved from elsewhere:</span> {old}'
    return f'<tr class="{classes}"><td class="old">{old}</td><td class="new">{new}{kinds}</td></tr>'


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{escape(title)}</h1>
{body}
</body>
</html>
"""


def _seed_row(row: Row) -> str:
    """One aligned pair (or a sentence on one side only): the version's sentence, the
    seed's, the label with its score and what differs; words of an edited or partial pair
    that only one side has are marked (<del> on the seed side, <ins> on the version's)."""
    text = escape(row.text) if row.text is not None else ""
    seed = escape(row.seed) if row.seed is not None else ""
    if row.text is not None and row.seed is not None and row.label != "identical":
        words, _ = word_diff(row.seed, row.text)
        seed, text = _words_html(words, "old"), _words_html(words, "new")
    label = escape(row.label) + (f" {row.score:.2f}" if row.text and row.seed else "")
    diffs = "; ".join(
        f"{kind}: {', '.join(sides['text']) or '-'} / seed: {', '.join(sides['seed']) or '-'}"
        for kind, sides in row.differences.items()
    )
    note = f'<span class="diffs">{escape(diffs)}</span>' if diffs else ""
    return (
        f'<tr class="{escape(row.label)}"><td class="new">{text}</td>'
        f'<td class="old">{seed}</td><td><span class="kinds">{label}</span>{note}</td></tr>'
    )


def render_seeds_html(matches: list[SeedMatch], *, title: str, version_label: str) -> str:
    """A complete HTML document: the version beside each of its nearest seeds (best
    first), sentence by sentence; all text escaped."""
    if not matches:
        return _page(title, '<p class="summary">No related coverage in the seed corpus.</p>')
    head = "".join(f"<th>{escape(c)}</th>" for c in ("seed", "title", "similarity", *COUNTS))
    summary = "".join(
        f'<tr><td><a href="#{escape(m.seed)}">{escape(m.seed)}</a></td><td>{escape(m.title)}</td>'
        f"<td>{m.similarity:.0%}</td>"
        + "".join(f"<td>{m.counts.get(c, 0)}</td>" for c in COUNTS)
        + "</tr>"
        for m in matches
    )
    sections = []
    for m in matches:
        rows = "\n".join(_seed_row(row) for row in m.alignment.rows())
        sections.append(
            f'<h2 id="{escape(m.seed)}">{escape(m.seed)}: {escape(m.title)} '
            f"({m.similarity:.0%})</h2>\n"
            f'<table class="diff"><thead><tr><th>{escape(version_label)}</th>'
            f'<th>seed {escape(m.seed)}</th><th class="linkcol">link</th></tr></thead>'
            f"<tbody>\n{rows}\n</tbody></table>"
        )
    body = (
        f'<table class="matches"><thead><tr>{head}</tr></thead><tbody>{summary}</tbody></table>\n'
        + "\n".join(sections)
    )
    return _page(title, body)


def render_html(
    old: str, new: str, diff: VersionDiff, *, title: str, from_label: str, to_label: str
) -> str:
    """A complete HTML document for `diff` (of `old` -> `new`); all text escaped."""
    s = diff.summary()
    summary = ", ".join(f"{v} {k}" for k, v in s.items())
    rows = "\n".join(_row(op) for op in diff.ops)
    body = f"""<p class="summary">{escape(summary)}</p>
<table class="diff">
<thead><tr><th>{escape(from_label)}</th><th>{escape(to_label)}</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<details><summary>Full texts</summary>
<table class="diff"><tr>
<td><pre>{escape(old)}</pre></td><td><pre>{escape(new)}</pre></td>
</tr></table>
</details>"""
    return _page(title, body)
