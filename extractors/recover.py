"""Recover article text that the main-content extractor left behind in sibling chunks.

Some sites split one article body into several containers of the same kind (the body is
cut into chunks around ads or embeds: `<div class="article-body">` repeated). Content
extractors pick the single best container and lose the rest. The general signal used here:
the container holding the extracted paragraphs has *twins* elsewhere in the page (same tag,
same class attribute, inside wrappers of the same class) holding at least three prose
paragraphs that are about the same thing (a fifth of their terms already occur in the
extracted text). Those paragraphs are added back, in document order. Widgets that merely
share a generic class (a blurb, a "read this next" box) hold fewer paragraphs or sit in
differently classed wrappers.
"""

from __future__ import annotations

from collections import Counter

import lxml.etree
import lxml.html
from palimpsest.extractors.options import DEFAULT_OPTIONS, CleaningOptions
from palimpsest.extractors.page import Block
from palimpsest.extractors.text import normalise, squeeze, terms, word_count

_HEAD = 16  # characters of a paragraph's leading text used as a cheap first filter


def recover_chunks(
    root: lxml.html.HtmlElement,
    blocks: list[Block],
    paragraphs: list[lxml.html.HtmlElement] | None = None,
    options: CleaningOptions = DEFAULT_OPTIONS,
) -> list[Block]:
    """`blocks` plus prose paragraphs from same-class twins of their container.

    `paragraphs`: the <p> elements under `root` in document order, if already collected
    (the markup evidence walk does), which saves walking the tree again."""
    if len(blocks) < options.recover_min_matched:
        return blocks
    keys = {squeeze(b.text) for b in blocks if word_count(b.text) >= options.recover_key_words}
    heads = {key[:_HEAD] for key in keys}
    parents: Counter[lxml.html.HtmlElement] = Counter()
    seen = matched = 0
    for p in root.iter("p") if paragraphs is None else paragraphs:
        seen += 1
        lead = squeeze(p.text or "")
        if len(lead) >= _HEAD and lead[:_HEAD] not in heads:
            continue  # cheap reject on the paragraph's leading text before reading it all
        if squeeze(p.text_content()) in keys:
            matched += 1
            parent = p.getparent()
            if parent is not None:
                parents[parent] += 1
    if not parents or seen - matched < options.recover_min_chunk:
        # a twin's chunk is made of page paragraphs not already extracted: too few exist
        return blocks
    container, hits = parents.most_common(1)[0]
    cls = container.get("class")
    if hits < options.recover_min_matched or not cls or not cls.strip():
        return blocks
    frame = _cls(container.getparent())
    twins = [
        el
        for el in root.iter(container.tag)  # tag filter in C: cheaper than an XPath on @class
        if el is not container
        and el.get("class") == cls
        and _cls(el.getparent()) == frame
        and not _related(el, container)
    ]
    if not twins:
        return blocks
    article_terms = {t for b in blocks for t in terms(b.text)}
    # What the article already says, whitespace-free and run together: a paragraph inside
    # it (a list item, a quote that trafilatura merged into a larger block) or spread over
    # consecutive blocks (a lead-in heading trafilatura cut off as a block of its own) is
    # not recovered a second time.
    said = "".join(squeeze(b.text) for b in blocks)
    before: list[Block] = []
    after: list[Block] = []
    for twin in twins:
        found = [
            b for b in _prose(twin, keys, options.recover_min_words) if squeeze(b.text) not in said
        ]
        if len(found) < options.recover_min_chunk:
            continue
        bag = [t for b in found for t in terms(b.text)]
        if sum(1 for t in bag if t in article_terms) < options.recover_min_overlap * len(bag):
            continue
        if (twin.sourceline or 0) < (container.sourceline or 0):
            before.extend(found)
        else:
            after.extend(found)
    return [*before, *blocks, *after] if before or after else blocks


def _cls(el: lxml.html.HtmlElement | None) -> str | None:
    return None if el is None else (el.get("class") or "")


def _related(a: lxml.html.HtmlElement, b: lxml.html.HtmlElement) -> bool:
    """True if one element contains the other."""
    return any(x is b for x in a.iterancestors()) or any(x is a for x in b.iterancestors())


def _prose(twin: lxml.html.HtmlElement, known: set[str], min_words: int) -> list[Block]:
    out = []
    for p in twin.iter("p"):
        text = normalise(p.text_content())
        if word_count(text) >= min_words and squeeze(text) not in known:
            out.append(Block(text=text, kind="p"))
    return out
