"""The public entry points: `extract` (HTML) and `extract_text` (plain text)."""

from __future__ import annotations

import re
from typing import Any

# Importing the cleaners package registers the built-in cleaners that `run_cleaners` runs.
from palimpsest.extractors import cleaners  # noqa: F401
from palimpsest.extractors.article import METADATA_FIELDS, Article
from palimpsest.extractors.errors import EmptyArticle
from palimpsest.extractors.fingerprint import extractor_fingerprint
from palimpsest.extractors.options import DEFAULT_OPTIONS, CleaningOptions
from palimpsest.extractors.page import Block, Page
from palimpsest.extractors.registry import CLEANERS, run_cleaners
from palimpsest.extractors.text import ends_sentence, word_count
from palimpsest.text import clean_markup, decode, strip_invisible

__all__ = ["CLEANERS", "EXTRACTOR_VERSION", "extract", "extract_text"]

# The extractor's identity: a fingerprint of the libraries, cleaners and settings that make it
EXTRACTOR_VERSION = extractor_fingerprint()

_ITEM = re.compile(r"^\s*(?:[-*•·▪–]|\d{1,3}[.)])\s+\S")


def extract(
    html: str | bytes,
    url: str | None = None,
    *,
    encoding: str | None = None,
    options: CleaningOptions = DEFAULT_OPTIONS,
) -> Article:
    """HTML page -> clean `Article` (text, metadata, and what the cleaners removed).

    `bytes` are decoded by `palimpsest.text.decode` (`encoding` is the declared charset, as
    the HTTP header gives it), as the fetcher and re-extraction decode them; control and
    invisible characters are removed before parsing. Raises `EmptyArticle` (naming `url`)
    when no article text is found. `options`: the cleaners' tunables (`CleaningOptions`).
    """
    from palimpsest.extractors.adapter import extract_page  # the only module importing trafilatura

    markup = decode(html, encoding) if isinstance(html, bytes) else html
    page = extract_page(clean_markup(markup), url, options)
    run_cleaners(page)
    return _article(page)


def extract_text(
    text: str, source: str | None = None, *, options: CleaningOptions = DEFAULT_OPTIONS
) -> Article:
    """Plain text -> clean `Article`: one paragraph per line (blank lines separate them too)."""
    blocks = _text_blocks(strip_invisible(text), options.text_head_max_words)
    page = Page(blocks=blocks, source=source, mode="text", options=options)
    run_cleaners(page)
    return _article(page)


def _text_blocks(text: str, head_max_words: int) -> list[Block]:
    blocks = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if _ITEM.match(line):
            kind = "item"
        elif word_count(line) <= head_max_words and not ends_sentence(line):
            kind = "head"
        else:
            kind = "p"
        blocks.append(Block(text=line, kind=kind))
    return blocks


def _article(page: Page) -> Article:
    text = page.text()
    if not text.strip():
        raise EmptyArticle(page.source)
    meta: dict[str, Any] = {name: page.meta.get(name) for name in METADATA_FIELDS}
    return Article(text=text, **meta, removed=list(page.removed))
