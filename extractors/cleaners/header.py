"""The article's header block: title, dek (standfirst), bylines and dateline-only lines."""

from __future__ import annotations

import re

from palimpsest.extractors.options import CleaningOptions
from palimpsest.extractors.page import Block, Page
from palimpsest.extractors.registry import cleaner
from palimpsest.extractors.text import WORD, ends_sentence, normalise, word_count, wordset

_MONTHS = wordset(
    """jan january feb february mar march apr april may jun june jul july aug august sep
    sept september oct october nov november dec december"""
)
_DATE_WORDS = _MONTHS | wordset(
    """mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat
    saturday sun sunday am pm a m p et est edt ct cst cdt pt pst pdt gmt utc bst cet cest ist
    aest z published updated posted last modified first on at of the min mins minute minutes
    read hour hours ago day days yesterday today th st nd rd h"""
)
_BY = re.compile(r"^\s*(?:by|von|por|par|door|di)\s+\S", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-Þ][\w'’.-]*|[a-z]{1,3}|and|&)$")


def is_dateline(text: str, opt: CleaningOptions) -> bool:
    """The block is only a date/time (optionally "Published", "Updated", "5 min read")."""
    if not 0 < word_count(text) <= opt.dateline_max_words:
        return False
    toks = [t.lower() for t in WORD.findall(text)]
    has_date = (
        any(t in _MONTHS for t in toks)
        or bool(
            re.search(
                r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2}:\d{2}\b", text
            )
        )
        or any(t in {"ago", "read", "updated", "published"} for t in toks)
    )
    if has_date and all(t.isdigit() or t in _DATE_WORDS for t in toks):
        return True
    return _numeric_date_line(text, toks, opt)


# An all-numeric date, or a year with a day number or clock time: the same in every language
# that writes Arabic digits.
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _numeric_date_line(text: str, toks: list[str], opt: CleaningOptions) -> bool:
    """A date line in any language: a numeric date, or a year with a day number or a time;
    a few words, of which few have 4+ letters (weekday, month, "published"), and no finished
    sentence. A headline with a date has more content words; a sentence with a date ends
    with a stop."""
    if len(toks) > opt.numeric_dateline_max_words or ends_sentence(text):
        return False
    if not _NUMERIC_DATE.search(text) and not (
        _YEAR.search(text) and any(t.isdigit() and len(t) <= 2 for t in toks)
    ):
        return False
    long_words = sum(1 for t in toks if len(t) >= 4 and not t.isdigit())
    return long_words <= opt.numeric_dateline_max_long


def is_byline(text: str, known: str | None, opt: CleaningOptions) -> bool:
    """ "By Jane Doe and John Roe, Reuters" or exactly the byline found in the page metadata."""
    text = normalise(text)
    if known and text.lower().removeprefix("by ").strip() == known.lower().strip():
        return True
    if (
        not _BY.match(text)
        or word_count(text) > opt.byline_max_words
        or ends_sentence(text.rstrip("."))
    ):
        return False
    names = [t for t in re.split(r"[\s,|]+", text)[1:] if t]
    return bool(names) and all(_NAME_TOKEN.match(t) or t.isupper() for t in names)


def is_name_line(text: str, opt: CleaningOptions) -> bool:
    """A few capitalised words and nothing else: a bare author name."""
    toks = text.strip().split()
    return 2 <= len(toks) <= opt.name_line_max_words and all(
        re.match(r"^[A-ZÀ-Þ][\w'’.-]*$", t) and not t.isupper() for t in toks
    )


@cleaner("header", stage=50)
def header(page: Page) -> None:
    """Title, dek, byline and dateline lines at the top (and lone dateline/byline lines anywhere).

    Signals: the header zone is the run of blocks before the first body paragraph
    (`header_body_words` ending a sentence). Inside it, date-only lines, "By ..." lines and bare
    name lines next to them are bylines/datelines; everything above the last of them (title,
    dek) is header too. The first block equal to the page's metadata title is the title wherever
    the zone ends. Anywhere in the text, a block that is only a date/time is a dateline. Safe:
    article prose is made of sentences; the header zone ends at the first one.
    """
    live, opt = page.live(), page.options
    title = (page.meta.get("title") or "").strip().lower()
    byline = page.meta.get("byline")
    if live and title and normalise(live[0].text).lower() == normalise(title):
        page.drop(live[0], "header", "same as the page title")
        live = live[1:]

    zone: list[Block] = []
    for block in live[: opt.header_max_blocks]:
        if block.is_body(opt.header_body_words):
            break
        zone.append(block)
    last = -1
    for k, block in enumerate(zone):
        text = block.text
        if (
            is_dateline(text, opt)
            or is_byline(text, byline, opt)
            or (
                is_name_line(text, opt)
                and any(
                    is_dateline(o.text, opt)
                    or is_byline(o.text, byline, opt)
                    or is_name_line(o.text, opt)
                    for o in zone[max(0, k - 1) : k + 2]
                    if o is not block
                )
            )
        ):
            last = k
    for block in zone[: last + 1]:
        if word_count(block.text) <= opt.header_block_max_words:
            page.drop(block, "header", "title/dek/byline/date above the article body")

    for block in page.live():
        if block.kind != "cell" and is_dateline(block.text, opt):  # a date in a table is data
            page.drop(block, "header", "date/time-only line")
        elif (
            is_byline(block.text, byline, opt)
            and word_count(block.text) <= opt.lone_byline_max_words
        ):
            page.drop(block, "header", "byline")
