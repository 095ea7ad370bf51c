"""End matter: contributor lines, reprint and copyright notices, author bios."""

from __future__ import annotations

import re

from palimpsest.extractors.page import Page
from palimpsest.extractors.registry import cleaner
from palimpsest.extractors.text import word_count

_CONTRIB = re.compile(
    r"\bcontribut\w*\s+(?:to\s+)?(?:this\s+|the\s+)?(?:report|reporting|story|article)\b"
    r"|^\W*(?:additional\s+)?(?:reporting|writing|editing|research)\s+(?:by|from)\b"
    r"|\b(?:editing|edited|compiled)\s+by\s+[A-Z]",
    re.IGNORECASE,
)
_REPRINT = re.compile(
    r"^\W*(?:this\s+(?:article|story|post|piece|column|essay|interview)\s+(?:was\s+|has\s+been\s+)?)?"
    r"(?:originally|first)\s+(?:appeared|published|posted|ran)\s+(?:on|in|at|by)\b|\b(?:re)?published\s+(?:here\s+)?"
    r"(?:with|by)\s+(?:the\s+)?permission\b|\brepublished\s+(?:from|under)\b"
    r"|\ball\s+rights\s+reserved\b|^\W*(?:©|\(c\)|copyright)\s*\d{0,4}"
    r"|\bmay\s+not\s+be\s+(?:published|reproduced|redistributed)"
    r"|\bunder\s+a\s+creative\s+commons\b|\bfor\s+your\s+personal,?\s+non-?commercial\s+use\b",
    re.IGNORECASE,
)
_ROLE = (
    r"(?:reporter|correspondent|writer|editor|journalist|columnist|contributor|author|producer"
    r"|analyst|fellow|professor|researcher|freelancer|photographer|critic|blogger|host)"
)
_BIO = re.compile(
    rf"^\W*(?:[A-Z][\w'’.-]+\s+){{1,3}}(?:is|was|has\s+been|covers|writes)\b.{{0,120}}\b(?i:{_ROLE})s?\b"
    r"|^\W*(?i:about\s+the\s+authors?)\b"
    r"|^\W*(?i:follow)\s+(?:[A-Z][\w.-]+\s+){1,3}on\s+(?i:twitter|x|instagram|facebook|linkedin)\b"
    r"|\b(?i:can\s+be\s+reached\s+at)\b"
    r"|^\W*(?i:(?:contact|email)\s+(?:the\s+)?(?:author|reporter|writer)s?)\b"
    r"|^\W*(?:[A-Z][\w'’.-]+\s+){1,3}is\s+(?:on\s+)?(?i:twitter)\s*:?\s*@",
)
# Contact lines: an address to write to, with a contact verb.
_CONTACT = re.compile(
    r"(?i:\b(?:write\s+to|e-?mail|reach|contact|tips?|follow)\b).{0,80}"
    r"(?:[\w.+-]+@[\w-]+\.[\w.]+|(?<!\w)@\w{2,}|twitter\.com/\w+)",
)
# Press-release boilerplate about the issuing organisation ("Acme is a leading provider of
# ... Acme is headquartered in ... and employs 1,300 people").
_BOILERPLATE = re.compile(
    r"^\W*[A-Z][\w&.’'-]*(?:\s+[A-Z][\w&.’'-]*){0,3}\s+(?:is|are)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:leading|global|world'?s?|international|largest|premier|provider|company|manufacturer"
    r"|developer|supplier)\b"
    r"|\b(?:headquartered|based)\s+in\b.{0,120}\b(?:employs|employees|subsidiaries|listed\s+on"
    r"|offices\s+in)\b",
)
_ABOUT = re.compile(r"^\W*About\s+(?!the\b|this\b|a\b|an\b|these\b|our\b)[A-Z0-9][\w&.'’-]*")
# A quotation of 5+ words (in any language's marks) is somebody's words, reported: article
# text, not a bio (a quoted book title is shorter).
_QUOTED = re.compile(r"[\"“«„‘‹「]\s*(?:[^\s\"”»“」]+\s+){4,}[^\"”»“」]*[\"”»“’›」]")


@cleaner("end_matter", stage=70)
def end_matter(page: Page) -> None:
    """Contributor/credit lines, reprint and copyright notices, and author bios at the end.

    Signals: position (one of the last `tail_blocks` blocks) plus the conventional shape of end
    matter: "X contributed to this report", "Reporting by X; Editing by Y", "This article
    originally appeared in ...", "© 2025 ... All rights reserved", "Jane Doe is a reporter who
    covers ...", "Follow Jane on Twitter", "Write to Jane at jane@example.com"; closing
    paragraphs of organisation boilerplate ("Acme is a leading provider of ...", "headquartered
    in ..., employs ..."), taken from the end backwards; an "About <Organisation>" heading in
    its closing part with a short section after it (press-release boilerplate). Short blocks only
    (`end_matter_max_words`). Safe: an article sentence that mentions a report or a copyright
    sits in the body, not among the closing lines.
    """
    opt = page.options
    _about_sections(page, page.live())
    live = page.live()
    for block in live[-opt.tail_blocks :]:
        text = block.text.strip()
        if word_count(text) > opt.end_matter_max_words:
            continue
        if _CONTRIB.search(text):
            page.drop(block, "end_matter", "contributor/editing credit line")
        elif _REPRINT.search(text):
            page.drop(block, "end_matter", "reprint or copyright notice")
        elif not _QUOTED.search(text) and (_BIO.search(text) or _CONTACT.search(text)):
            page.drop(block, "end_matter", "author bio / contact line")
    live = page.live()
    for k in range(len(live) - 1, max(len(live) - opt.tail_blocks, 0) - 1, -1):
        text = live[k].text
        if word_count(text) > opt.boilerplate_max_words or not _BOILERPLATE.search(text):
            break  # boilerplate paragraphs close the release; stop at the first that is not
        page.drop(live[k], "end_matter", "boilerplate about the issuing organisation")


def _about_sections(page: Page, live: list) -> None:
    """Press-release boilerplate: an "About <Organisation>" heading near the end (`about_from`) and
    the blocks after it (a short section), e.g. "About Acme: Acme is a leading ...".
    """
    opt = page.options
    start = int(len(live) * opt.about_from)
    for k in range(start, len(live)):
        block = live[k]
        short = word_count(block.text) <= opt.about_heading_max_words
        if block.kind == "head" and short and _ABOUT.match(block.text):
            rest = live[k:]
            if sum(word_count(b.text) for b in rest) <= opt.about_section_max_words:
                for b in rest:
                    page.drop(b, "end_matter", f"boilerplate section {block.text.strip()!r}")
            return
