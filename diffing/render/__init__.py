"""Renderers of diffs and seed matches: terminal (rich), unified text, HTML, markdown."""

from __future__ import annotations

from palimpsest.diffing.render.html import render_html, render_seeds_html
from palimpsest.diffing.render.terminal import render_matches_terminal, render_terminal
from palimpsest.diffing.render.text import render_markdown, render_matches_markdown, render_unified

__all__ = [
    "render_html",
    "render_markdown",
    "render_matches_markdown",
    "render_matches_terminal",
    "render_seeds_html",
    "render_terminal",
    "render_unified",
]
