"""Photo credits and image captions."""

from __future__ import annotations

import re

from palimpsest.extractors.options import CleaningOptions
from palimpsest.extractors.page import Page
from palimpsest.extractors.registry import cleaner
from palimpsest.extractors.text import normalise, word_count

_AGENCY = (
    r"(?:AP|AFP|Reuters|EPA(?:-EFE)?|Getty(?:\s+Images)?|Shutterstock|Alamy|Xinhua|Bloomberg"
    r"|REX|PA|Polaris|Sipa|NurPhoto|iStock(?:photo)?|Unsplash|Pool)"
)
_CREDIT = re.compile(
    # "Photo: AP", "Photograph: Jane Doe/Reuters", "Image credit: ...", "Credit: ..."
    r"^\W*(?:(?:photo|image|picture|video|graphic)\s+credits?|photo(?:graph)?s?|images?|pictures?"
    r"|pics?|illustrations?|graphics?|credits?|fotos?|bild)\s*(?:by)?\s*[:|/©]"
    # "Photo by X", "Photo courtesy of X"
    r"|^\W*(?:photo(?:graph)?|image|picture|illustration)s?\s+(?:by|courtesy(?:\s+of)?|via)\s"
    # "AP Photo/Matthias Schrader", "Reuters Photo/..."
    r"|\b[A-Z][\w.&-]*\s+(?:Photos?|Images?|Pictures?)\s*/"
    # "Jane Doe/Getty Images", "AFP via Getty Images", "(Reuters)"
    rf"|[/|]\s*{_AGENCY}\b|\bvia\s+{_AGENCY}\s*\W*$|^\W*{_AGENCY}(?:\s+(?:photo|images?))?\W*$"
    r"|^\W*©",
    re.IGNORECASE,
)
# A caption that carries its own credit at the end: "... in Munich. (AP Photo/Matthias Schrader)"
_INLINE_CREDIT = re.compile(
    r"[(\[]\s*(?:[\w.&-]+\s+)?(?:photo|image|picture|credit)s?\b[^()\[\]]{0,60}[)\]]\W*$"
    rf"|[(\[]\s*[^()\[\]]{{0,40}}/\s*{_AGENCY}[^()\[\]]{{0,20}}[)\]]\W*$"
    r"|\b(?:photo|photograph|image|picture)s?\s*(?:by)?\s*:\s*[^.]{1,60}$"
    r"|\b(?:photo|photograph|image|picture)s?\s*©\s*[^.]{1,60}$",
    re.IGNORECASE,
)

# Every form of `_INLINE_CREDIT` ends with a closing bracket, a colon or a © sign: a block
# without any of them cannot match, so the (costly) search is skipped for it.
_CREDIT_CHARS = ")]:©"


def is_credit(text: str, opt: CleaningOptions) -> bool:
    """A short attribution line for an image: a credit keyword plus a separator, no sentence."""
    text = text.strip()
    n = word_count(text)
    # A credit line is at most one clause; two sentences or a long clause mean prose.
    prose = text.count(". ") >= 1 and n > opt.credit_prose_words
    return 0 < n <= opt.credit_max_words and bool(_CREDIT.search(text)) and not prose


@cleaner("photo_credits", stage=20)
def photo_credits(page: Page) -> None:
    """Photo credits ("Photo: AP", "AP Photo/Jane Doe", "Jane Doe/Getty Images").

    Signal: a short block (`credit_max_words`, one clause) shaped like an image attribution: a
    credit keyword (photo, image, credit, ...) followed by a separator (":" "/" "by"), or a
    "name / agency" pair. Safe: article sentences are longer and do not have that shape.
    """
    for block in page.live():
        if is_credit(block.text, page.options):
            page.drop(block, "photo_credits", "short image-attribution line")


@cleaner("captions", stage=21)
def captions(page: Page) -> None:
    """Image captions left in the text flow.

    Signals: (1) a paragraph printed twice in a row (image alt text + visible caption) next to a
    removed credit line or at a figure position: all copies go; a plain repeat only loses the
    later copies. (2) a paragraph ending with its own image credit in brackets, "(AP
    Photo/...)". Safe: article paragraphs are not repeated back to back, and an inline
    bracketed photo credit only ends captions.
    """
    blocks, opt = page.blocks, page.options
    keys = [normalise(b.text).lower() for b in blocks]
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if (
            not block.alive
            or block.kind == "cell"
            or word_count(block.text) < opt.caption_min_words
        ):
            i += 1
            continue
        j = i + 1
        while j < len(blocks) and blocks[j].alive and keys[j] == keys[i]:
            j += 1
        if j - i > 1:
            nxt = blocks[j] if j < len(blocks) else None
            prev = blocks[i - 1] if i > 0 else None
            near_credit = any(
                b is not None and b.removed_by == "photo_credits" for b in (prev, nxt)
            )
            start = i if near_credit else i + 1
            why = "repeated back to back next to an image credit" if near_credit else "repeat"
            for dup in blocks[start:j]:
                page.drop(dup, "captions", f"paragraph {why}")
            i = j
            continue
        if (
            word_count(block.text) <= opt.caption_max_words
            and any(c in block.text for c in _CREDIT_CHARS)
            and _INLINE_CREDIT.search(block.text)
        ):
            page.drop(block, "captions", "ends with an image credit")
        i += 1
