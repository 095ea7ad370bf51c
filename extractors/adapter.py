"""The trafilatura adapter: the only module that imports trafilatura.

The page is parsed once (as trafilatura parses it); our metadata reading (`extractors.meta`)
and markup evidence (`extractors.htmlclean`) read that tree, then trafilatura extracts the
main content from it, and its output tree is turned into `Block`s for the text cleaners.
"""

from __future__ import annotations

import logging
from typing import Any

import lxml.etree
import lxml.html
import trafilatura
from palimpsest.extractors.errors import EmptyArticle, ParseError
from palimpsest.extractors.htmlclean import Evidence, gather_evidence
from palimpsest.extractors.meta import read_metadata
from palimpsest.extractors.options import DEFAULT_OPTIONS, CleaningOptions
from palimpsest.extractors.page import Block, Page
from palimpsest.extractors.recover import recover_chunks
from palimpsest.extractors.text import normalise

# Options measured side by side on the benchmark with our cleaners after trafilatura:
# favor_recall + fast (no readability/justext fallback) scored higher than favor_precision
# (our cleaners supply the precision) and runs faster; tables carry article data.
# output_format: we read only the output tree (doc.body), which is the same for every
# format; with any format but "python" bare_extraction skips rendering it as text.
OPTIONS = {
    "output_format": "txt",
    "include_comments": False,
    "include_tables": True,
    "favor_recall": True,
    "fast": True,
}

# When the fast extraction is a sliver of the page's visible paragraphs, trafilatura runs
# again with its own defaults (its readability/justext fallbacks, which favor_recall and
# fast turn off) and the longer result is used. Measured on both public sets: a tenth keeps
# every page where the retry took another part of the page instead (at a fifth, one did).
# (CleaningOptions.retry_below_words, .retry_min_kept)
FALLBACK_OPTIONS = {"include_comments": False, "include_tables": True, "output_format": "txt"}

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def parse(html: str, source: str | None) -> lxml.html.HtmlElement:
    """Parse HTML with trafilatura's `load_html` (its repairs, parser settings and fallbacks);
    a page that yields no tree is a `ParseError` naming `source`.

    A copy with a parser choosing element classes in C was 8% faster on the benchmark, under
    the 10% that would justify re-implementing a dependency with its private names."""
    if not html or not html.strip():
        raise EmptyArticle(source, "empty document")
    tree = trafilatura.load_html(html)
    if tree is None:
        raise ParseError(source, "not an HTML document")
    return tree


def extract_page(html: str, url: str | None, options: CleaningOptions = DEFAULT_OPTIONS) -> Page:
    """HTML -> `Page` of blocks (empty when trafilatura finds no main content)."""
    tree = parse(html, url)
    meta = read_metadata(tree, url)
    evidence = gather_evidence(tree, options)
    page = Page(blocks=[], source=url, mode="html", meta=meta, evidence=evidence, options=options)
    doc = _bare(tree, url, OPTIONS)
    if _short(doc, evidence, options):
        retry = _bare(tree, url, FALLBACK_OPTIONS)
        if _words(retry) > _words(doc):
            doc = retry
    if doc is None or doc.body is None:
        return page
    blocks = body_blocks(doc.body)
    body = tree.find("body")
    root = body if body is not None else tree
    page.blocks = recover_chunks(root, blocks, evidence.paragraphs, options)
    return page


def _bare(tree: lxml.html.HtmlElement, url: str | None, options: dict) -> Any:
    try:
        return trafilatura.bare_extraction(tree, url=url, **options)
    except Exception as exc:  # third-party boundary: any failure inside trafilatura
        raise ParseError(url, f"trafilatura failed: {type(exc).__name__}: {exc}") from exc


def _words(doc: Any) -> int:
    return 0 if doc is None or doc.body is None else len(" ".join(doc.body.itertext()).split())


def _short(doc: Any, evidence: Evidence, options: CleaningOptions) -> bool:
    """True when the fast extraction kept less than `retry_min_kept` of the words in the
    page's visible paragraphs: it took a fragment (a lead, a caption box) for the article.
    Counted only below `retry_below_words`: a long extraction is an article already."""
    kept = _words(doc)
    if kept >= options.retry_below_words:
        return False
    hidden = set(evidence.hidden)
    visible = (p for p in evidence.paragraphs if hidden.isdisjoint((p, *p.iterancestors())))
    return kept < options.retry_min_kept * sum(len(p.text_content().split()) for p in visible)


def body_blocks(body: lxml.etree._Element) -> list[Block]:
    """trafilatura's output tree (p, head, list/item, quote, table/row/cell) -> blocks."""
    blocks: list[Block] = []
    _loose(body.text, "p", blocks)
    for el in body:
        _collect(el, blocks)
        if el.tag not in ("lb", "graphic"):  # those blocks are their tails already
            _loose(el.tail, "p", blocks)  # loose text after a heading, paragraph or table
    return [b for b in blocks if b.text]


def _collect(el: lxml.etree._Element, out: list[Block]) -> None:
    tag = el.tag
    if tag == "list":
        for item in el:
            if item.tag == "item":
                _lines(item, "item", out)
            else:
                _collect(item, out)
    elif tag == "quote":
        if any(child.tag in ("p", "list", "quote", "head") for child in el):
            _loose(el.text, "quote", out)
            for child in el:
                _collect(child, out)
                _loose(child.tail, "quote", out)
        else:
            _lines(el, "quote", out)
    elif tag == "table":
        for row in el.iter("row"):
            cells = [normalise("".join(c.itertext())) for c in row if c.tag == "cell"]
            text = " | ".join(c for c in cells if c)
            if text:
                out.append(Block(text=text, kind="cell"))
    elif tag == "head":
        _lines(el, "head", out)
    elif tag in ("p", "code", "item", "div", "hi", "ref", "span"):
        _lines(el, "quote" if tag == "code" else "p", out)
    elif tag in ("lb", "graphic"):
        _loose(el.tail, "p", out)
    else:
        _lines(el, "p", out)


def _loose(text: str | None, kind: str, out: list[Block]) -> None:
    """Text outside any element of its own (an element's lead text or tail) as a block."""
    if text and text.strip():
        out.append(Block(text=normalise(text), kind=kind))


def _lines(el: lxml.etree._Element, kind: str, out: list[Block]) -> None:
    """One block per line: <lb/> inside a paragraph separates lines (caption, credit...)."""
    parts: list[str] = []
    current: list[str] = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("".join(current))
            current = [child.tail or ""]
        else:
            current.append("".join(child.itertext()))
            current.append(child.tail or "")
    parts.append("".join(current))
    for part in parts:
        text = normalise(part)
        if text:
            out.append(Block(text=text, kind=kind))
