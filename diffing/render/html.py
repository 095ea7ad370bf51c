"""A standalone HTML report of a version diff: side by side, edits highlighted.

Every piece of page text goes through `html.escape`, and the page carries a
Content-Security-Policy that forbids scripts outright, so text from an article can never run
in the reader's browser (defence in depth: escaping alone already prevents it). No external
resources: the CSS is inline, the file can be mailed or archived as it is.
"""

from __future__ import annotations

from html import escape

from palimpsest.diffing.text import separators
from palimpsest.diffing.versions import SentenceOp, VersionDiff

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


def render_html(
    old: str, new: str, diff: VersionDiff, *, title: str, from_label: str, to_label: str
) -> str:
    """A complete HTML document for `diff` (of `old` -> `new`); all text escaped."""
    s = diff.summary()
    summary = ", ".join(f"{v} {k}" for k, v in s.items())
    rows = "\n".join(_row(op) for op in diff.ops)
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
<p class="summary">{escape(summary)}</p>
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
</details>
</body>
</html>
"""
