"""Renderers: unified text, markdown (escaped), terminal (no markup from page text), HTML."""

from __future__ import annotations

import io

import pytest
from palimpsest.diffing import diff_versions
from palimpsest.diffing.render import (
    render_html,
    render_markdown,
    render_matches_markdown,
    render_matches_terminal,
    render_terminal,
    render_unified,
)
from rich.console import Console

OLD = (
    "MUNICH (AP) — The minister met U.S. officials on Feb. 14.\n"
    "The document was given to officials by Treasury Secretary Scott Bassent.\n"
    "Talks will resume next week."
)
HOSTILE = (
    '<script>document.title="pwned"</script> [bold red]x[/] **y** <img src=x onerror=alert(1)>'
)
NEW = OLD.replace("Bassent", "Bessent") + f"\nA reader wrote: {HOSTILE}"


@pytest.fixture(scope="module")
def diff():
    return diff_versions(OLD, NEW)


def test_unified(diff) -> None:
    out = render_unified(OLD, NEW, from_label="v1", to_label="v2")
    lines = out.splitlines()
    assert lines[:2] == ["--- v1", "+++ v2"]
    assert "-The document was given to officials by Treasury Secretary Scott Bassent." in lines
    assert "+The document was given to officials by Treasury Secretary Scott Bessent." in lines
    assert render_unified(OLD, OLD, from_label="a", to_label="b") == ""
    dated = render_unified(
        OLD, NEW, from_label="u v1", to_label="u v2", from_date="d1", to_date="d2"
    )
    assert dated.splitlines()[:2] == ["--- u v1\td1", "+++ u v2\td2"]


def test_markdown_escapes_page_text(diff) -> None:
    md = render_markdown(diff, title="Story <b>v1 → v2</b>")
    assert md.startswith("# Story &lt;b&gt;v1 → v2&lt;/b&gt;")
    assert "## Edited" in md and "~~Bassent~~" in md and "**Bessent**" in md
    assert "## Added" in md
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md
    assert r"\*\*y\*\*" in md  # page text cannot restyle the artifact
    assert "| identical | added |" in md


def test_markdown_no_changes() -> None:
    md = render_markdown(diff_versions(OLD, OLD), title="t")
    assert "No changes." in md


def _console() -> Console:
    return Console(file=io.StringIO(), width=200, force_terminal=False, color_system=None)


def test_terminal_prints_page_text_literally(diff) -> None:
    console = _console()
    render_terminal(diff, console, title="v1 → v2")
    out = console.file.getvalue()
    assert "1 edited (0 cosmetic), 1 added, 0 removed, 0 moved, 2 identical: 2 substantive" in out
    assert "[-Bassent-]{+Bessent+}" in out and "[name]" in out  # no colour: marked words
    assert "[bold red]x[/]" in out  # not interpreted as rich markup
    assert out.count("… 1 unchanged sentence(s) …") == 2


def test_terminal_no_changes() -> None:
    console = _console()
    render_terminal(diff_versions(OLD, OLD), console)
    assert "no changes" in console.file.getvalue()


def test_matches_renderers(corpus, clean_seeds, names) -> None:
    matches = corpus.match(clean_seeds[names["001"]], limit=2)
    console = _console()
    render_matches_terminal(matches, console, details=True)
    out = console.file.getvalue()
    assert names["001"] in out and names["002"] in out and "partial" in out
    assert "Ukrainian President Volodymyr Zelenskyy has" in out  # the seeds' titles
    md = render_matches_markdown(matches, title="Seeds")
    assert md.count(f"| {names['001'].replace('_', chr(92) + '_')} |") == 1
    console = _console()
    render_matches_terminal([], console)
    assert "no related coverage in the seed corpus" in console.file.getvalue()


def test_html_report_escapes_everything(diff) -> None:
    page = render_html(
        OLD, NEW, diff, title="<script>alert('t')</script>", from_label="<v1>", to_label="v2&"
    )
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in page
    assert "&lt;v1&gt;" in page and "v2&amp;" in page
    assert "<del>Bassent</del>" in page and "<ins>Bessent</ins>" in page
    assert "Content-Security-Policy" in page and "script-src &#x27;none&#x27;" in page
    assert '<tr class="edited">' in page and '<tr class="added">' in page
