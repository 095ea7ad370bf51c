"""Markup evidence and chunk recovery, tested on hand-made extractor output so the result
does not depend on which container trafilatura happens to choose."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from palimpsest.extractors.htmlclean import gather_evidence
from palimpsest.extractors.page import Block, Page
from palimpsest.extractors.recover import recover_chunks
from palimpsest.extractors.registry import run_cleaners

FIXTURE = Path(__file__).parent / "fixtures" / "split.html"


def _tree() -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(FIXTURE.read_text(encoding="utf-8"))


def _paragraphs(tree: lxml.html.HtmlElement, chunk: int) -> list[str]:
    body = tree.xpath('//div[@class="body-chunk"]')[chunk]
    return [p.text_content() for p in body.iter("p") if p.find("a") is None]


def test_twin_chunks_are_recovered_in_document_order() -> None:
    tree = _tree()
    first, second = _paragraphs(tree, 0), _paragraphs(tree, 1)
    blocks = [Block(text=t) for t in first]
    recovered = recover_chunks(tree.find("body"), blocks)
    assert [b.text for b in recovered] == first + second


def test_a_same_class_blurb_in_another_wrapper_is_not_recovered() -> None:
    tree = _tree()
    blocks = [Block(text=t) for t in _paragraphs(tree, 0)]
    texts = [b.text for b in recover_chunks(tree.find("body"), blocks)]
    assert not any(t.startswith("Night trains at a glance") for t in texts)


def test_recovery_needs_a_container_with_extracted_paragraphs() -> None:
    tree = _tree()
    blocks = [Block(text="A paragraph that appears nowhere in the page at all, so no container.")]
    assert recover_chunks(tree.find("body"), blocks) == blocks


def _page_with_leaks() -> Page:
    """Extractor output that leaked furniture: dek, hidden ad text, a link-only teaser."""
    tree = _tree()
    leaked = [
        "Sleeper services are back on three routes, and the first month sold out.",
        *_paragraphs(tree, 0),
        "Ferry operators add winter sailings to the islands",
        "Your browser blocked an advertisement. Please consider whitelisting this site to "
        "support us.",
        *_paragraphs(tree, 1),
    ]
    return Page(
        blocks=[Block(text=t) for t in leaked], source="split.html", evidence=gather_evidence(tree)
    )


def test_markup_cleaner_drops_leaked_furniture_and_keeps_the_article() -> None:
    tree = _tree()
    page = run_cleaners(_page_with_leaks())
    kept = [b.text for b in page.live()]
    assert kept == _paragraphs(tree, 0) + _paragraphs(tree, 1)
    reasons = {r.text[:20]: r.reason for r in page.removed}
    assert "header" in reasons["Sleeper services are"] or "share" in reasons["Sleeper services are"]
    assert "one link" in reasons["Ferry operators add "]
    assert "hidden" in reasons["Your browser blocked"] or "ad" in reasons["Your browser blocked"]
    assert {r.cleaner for r in page.removed} == {"markup"}


def test_evidence_leaves_the_tree_untouched() -> None:
    tree = _tree()
    before = lxml.html.tostring(tree)
    gather_evidence(tree)
    assert lxml.html.tostring(tree) == before
