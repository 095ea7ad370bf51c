"""Structural cleaning of the parsed HTML before trafilatura (filled in below)."""

from __future__ import annotations

import lxml.html

from extractors.page import Page


def clean_tree(tree: lxml.html.HtmlElement, page: Page) -> None:
    """Remove non-article furniture from `tree` in place, recording each removal on `page`."""
    return None
