"""Renderers of diffs and seed matches: terminal (rich), unified text, HTML, markdown."""

from __future__ import annotations

from diffing.render.html import render_html
from diffing.render.terminal import render_matches_terminal, render_terminal
from diffing.render.text import render_markdown, render_matches_markdown, render_unified

__all__ = [
    "render_html",
    "render_markdown",
    "render_matches_markdown",
    "render_matches_terminal",
    "render_terminal",
    "render_unified",
]
