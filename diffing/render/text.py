"""Plain-text renderings: a unified diff of sentences and markdown for Prefect artifacts."""

from __future__ import annotations

import difflib
import html
import re

from palimpsest.diffing.align import COUNTS
from palimpsest.diffing.corpus import SeedMatch
from palimpsest.diffing.sentences import split_sentences
from palimpsest.diffing.text import separators
from palimpsest.diffing.versions import VersionDiff


def render_unified(
    old: str, new: str, *, from_label: str, to_label: str, from_date: str = "", to_date: str = ""
) -> str:
    """A unified diff with one sentence per line (so re-wrapped paragraphs do not show up
    as changes, and a one-word edit is a one-line change). The labels name what is
    compared (the URL and version), the dates when each side was captured."""
    lines = difflib.unified_diff(
        split_sentences(old),
        split_sentences(new),
        fromfile=from_label,
        tofile=to_label,
        fromfiledate=from_date,
        tofiledate=to_date,
        lineterm="",
    )
    return "".join(line + "\n" for line in lines)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~])")


def md_escape(text: str) -> str:
    """Text safe in markdown: HTML entities for &<> (quotes stay: outside a tag they are
    text, and an entity's `#` would be backslashed into view), markdown punctuation
    backslashed, so page text can neither inject HTML into the Prefect UI nor restyle the
    artifact."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False).replace("\n", " "))


def _md_words(words: list[tuple[str, str]]) -> str:
    parts = []
    for sep, (op, token) in zip(separators([t for _, t in words]), words, strict=True):
        tok = md_escape(token)
        mark = {"delete": "~~", "insert": "**"}.get(op, "")
        parts.append(f"{sep}{mark}{tok}{mark}")
    return "".join(parts)


def render_markdown(diff: VersionDiff, *, title: str) -> str:
    """Markdown for a Prefect artifact: a summary table, then the changes by kind."""
    s = diff.summary()
    out = [f"# {md_escape(title)}", ""]
    out += ["| " + " | ".join(s) + " |", "|" + "---|" * len(s)]
    out += ["| " + " | ".join(str(v) for v in s.values()) + " |", ""]
    if not diff.changed:
        out.append("No changes.")
        return "\n".join(out) + "\n"
    edits = diff.edited
    if edits:
        out += ["## Edited", ""]
        for e in edits:
            label = ", ".join(e.kinds) + ("" if e.substantive else " (not substantive)")
            out.append(f"- *{md_escape(label)}*: {_md_words(e.words)}")
        out.append("")
    for heading, texts in (("Added", diff.added), ("Removed", diff.removed)):
        if texts:
            out += [f"## {heading}", ""] + [f"- {md_escape(t)}" for t in texts] + [""]
    if diff.moved:
        out += ["## Moved", ""] + [f"- {md_escape(t)}" for t in diff.moved] + [""]
    return "\n".join(out)


def render_matches_markdown(matches: list[SeedMatch], *, title: str) -> str:
    """Markdown table of seed matches, best first, with the seeds' titles."""
    out = [f"# {md_escape(title)}", ""]
    if not matches:
        return "\n".join([*out, "No related coverage in the seed corpus."]) + "\n"
    out += ["| seed | title | similarity | " + " | ".join(COUNTS) + " |"]
    out.append("|---" * (3 + len(COUNTS)) + "|")
    for m in matches:
        counts = " | ".join(str(m.counts.get(k, 0)) for k in COUNTS)
        out.append(
            f"| {md_escape(m.seed)} | {md_escape(m.title)} | {m.similarity:.0%} | {counts} |"
        )
    return "\n".join(out) + "\n"
