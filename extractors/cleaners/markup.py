"""Blocks that the page's own markup places inside furniture (captions, embeds, widgets)."""

from __future__ import annotations

from palimpsest.extractors.page import Page
from palimpsest.extractors.registry import cleaner
from palimpsest.extractors.text import squeeze, word_count


@cleaner("markup", stage=5, modes=("html",))
def markup(page: Page) -> None:
    """Output blocks whose text lies inside an element the HTML marks as furniture.

    Signal: structure, gathered from the untouched page before trafilatura ran (see
    `extractors.htmlclean`): <figcaption>/<figure> with media, embedded-post blockquotes, and
    elements whose class/id names newsletter boxes, related/most-read lists, share bars, cookie
    banners, ad slots, author boxes, bylines, captions, the page header (title, dek); and
    paragraphs or list items whose whole text is a single link (teaser headlines). Safe: a block
    is dropped only when its text occurs inside such elements and nowhere else on the page,
    elements holding much of the page's paragraph text (`guard_share`) never count, and prose
    that merely contains links is never a single link. Exception: a block at the very top
    (before the first body paragraph) found in the page header goes even if repeated elsewhere,
    since deks are echoed in share widgets.
    """
    evidence = page.evidence
    if evidence is None:
        return
    opt = page.options
    first_body = next((k for k, b in enumerate(page.live()) if b.is_body(opt.first_body_words)), 0)
    for k, block in enumerate(page.live()):
        if word_count(block.text) < 1:
            continue
        key = squeeze(block.text)  # whitespace-free, as the evidence is compared
        if block.kind in ("p", "item") and key in evidence.links:
            page.drop(block, "markup", "the whole block is one link (teaser or call to action)")
            continue
        found = evidence.find_key(key, at_top=k <= first_body and k < opt.top_blocks)
        if found is not None:
            name, reason = found
            page.drop(block, "markup", f"{reason} ({name})")
