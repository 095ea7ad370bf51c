"""Labelled teaser sections: "Related", "More from ...", "Most read", "Read more: ..." lines."""

from __future__ import annotations

import re

from palimpsest.extractors.page import Block, Page
from palimpsest.extractors.registry import cleaner
from palimpsest.extractors.text import ends_sentence, squeeze, word_count

_LABEL = re.compile(
    r"^\W*(?:related(?:\s+(?:stories|articles|coverage|content|links|posts|reading|news|topics"
    r"|videos?))?|more\s+(?:from|on|in|about|stories|news|headlines|coverage|to\s+read|like\s+this)"
    r"\b.{0,40}|(?:most|more)\s+(?:read|popular|viewed|shared|watched|emailed|commented)"
    r"(?:\s+\w+){0,3}|popular(?:\s+(?:now|stories|posts|articles))?|trending(?:\s+\w+){0,2}"
    r"|top\s+(?:stories|news|headlines|articles)|recommended(?:\s+(?:for\s+you|stories|reading"
    r"|articles|videos?))?|(?:you|we\s+think\s+you)\s+(?:may|might|could|will)\s+(?:also\s+)?"
    r"(?:like|enjoy|be\s+interested\s+in)|(?:also|must|further)\s+read(?:ing)?|read\s+(?:more|next"
    r"|also|this\s+next)|see\s+also|what\s+to\s+read\s+next|editors?'?\s*(?:s\s+)?picks?"
    r"|don'?t\s+miss|up\s+next|watch\s+next|keep\s+reading|latest(?:\s+(?:news|stories|videos?))?"
    r"|in\s+other\s+news|around\s+the\s+web|from\s+(?:our|the)\s+(?:partners|web)"
    r"|sponsored\s+(?:stories|links)|(?:other|more|similar)\s+(?:stories|articles))\W*$",
    re.IGNORECASE,
)
_INLINE = re.compile(
    r"^\W*(?:read\s+(?:more|next|also)|related(?:\s+(?:story|article|coverage|content|links?))?"
    r"|see\s+(?:also|more)|also\s+read|more|must\s+read|recommended|watch|listen|also\s+see"
    r"|further\s+reading|more\s+on\s+this|leggi\s+anche(?:\s+su)?|lesen\s+sie\s+auch"
    r"|leia\s+(?:também|mais)|lire\s+aussi|lea\s+también|ver\s+también|lees\s+ook)"
    r"\s*(?::|\||>|»|–|—|-{1,2})\s*\S",
    re.IGNORECASE,
)


def _teaser_shaped(block: Block, links: set[str] | None, max_words: int) -> bool:
    """Headline, not prose: a short list item, heading or line that ends no sentence, or (on
    a web page) a short block that is one whole link. A heading that is not a link starts a
    section of its own (teaser headlines link to their stories), as does a list item that
    ends a sentence (a footnote, a note)."""
    if word_count(block.text) > max_words:
        return False
    linked = links is not None and squeeze(block.text) in links
    if block.kind == "head" and links is not None and not linked:
        return False
    return linked or not ends_sentence(block.text)


@cleaner("related_sections", stage=60)
def related_sections(page: Page) -> None:
    """A teaser section: its label ("Related", "More from X", "Most read", "Recommended") and
    the headline-shaped blocks that follow it.

    Signal: structure. A short block that is only a section label, followed by blocks shaped
    like headlines (list items, headings, short lines that end no sentence). The section
    ends at the first prose paragraph. Safe: a label alone is not an
    article sentence, and prose after it is kept.
    """
    blocks, opt = page.blocks, page.options
    links = page.evidence.links if page.evidence is not None else None
    label_words = opt.section_label_max_words
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if (
            block.alive
            and word_count(block.text) <= label_words
            and _LABEL.match(block.text.strip())
        ):
            page.drop(block, "related_sections", "teaser-section label")
            j = i + 1
            while j < len(blocks):
                nxt = blocks[j]
                if nxt.alive:
                    if not _teaser_shaped(nxt, links, opt.section_headline_max_words):
                        break
                    page.drop(nxt, "related_sections", "headline/link under a teaser label")
                j += 1
            i = j
        else:
            i += 1


@cleaner("read_more_lines", stage=61)
def read_more_lines(page: Page) -> None:
    """Inline teasers: "Read more: <headline>", "RELATED: <headline>", "See also | ...".

    Signal: the block opens with a cross-reference label followed by a separator (":" "|" "»"
    dash) and is short (`read_more_max_words`). Safe: article sentences do not open with
    "Read more:".
    """
    for block in page.live():
        if word_count(block.text) <= page.options.read_more_max_words and _INLINE.match(block.text):
            page.drop(block, "read_more_lines", "cross-reference label + headline")


@cleaner("orphan_labels", stage=90)
def orphan_labels(page: Page) -> None:
    """A section heading left alone: every block it labelled (at least two, up to the next
    heading or the end) has been removed by the cleaners before it.

    Signal: structure, in any language: a heading names the blocks under it, so when those
    were all furniture ("Lesen Sie auch", "Articles connexes" over teaser links), so is its
    label. Safe: a heading over any kept block stays, and it only goes with its section.
    """
    blocks, opt = page.blocks, page.options
    longest = opt.orphan_heading_max_words
    for i, block in enumerate(blocks):
        if not block.alive or block.kind != "head" or word_count(block.text) > longest:
            continue
        section = []
        for nxt in blocks[i + 1 :]:
            if nxt.kind == "head" and nxt.alive:
                break
            section.append(nxt)
        if len(section) >= opt.orphan_min_section and not any(b.alive for b in section):
            page.drop(block, "orphan_labels", "heading of a section whose blocks were all removed")
