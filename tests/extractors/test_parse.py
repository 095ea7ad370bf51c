"""The one-walk scan of `extractors.markupscan` finds exactly the candidates of its plain
definition (`plain_candidates`), on the fixtures, on edge pages and on random pages whose
classes hit the vocabulary often; and parsing rejects what trafilatura rejects, naming the
source.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from palimpsest.extractors.adapter import parse
from palimpsest.extractors.errors import ParseError
from palimpsest.extractors.htmlclean import gather_evidence
from palimpsest.extractors.markupscan import Candidates, plain_candidates, scan
from palimpsest.extractors.options import DEFAULT_OPTIONS
from palimpsest.extractors.text import normalise

LINK_WORDS = DEFAULT_OPTIONS.link_min_words

FIXTURES = Path(__file__).parent / "fixtures"
EDGE_PAGES = [
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>Declared as XML.</p></body></html>',
    "<!DOCTYPE html/><html><body><p>Doctype closed with a slash.</p></body></html>",
    "<html/>\n<body><p>Self-closed html tag.</p></body>",
    "<html><body><form><label>Name</label><input value='x'><select><option>a</option>"
    "</select><textarea>t</textarea></form><p>Form controls.</p></body></html>",
    "<div><p>No html tag, two blocks.</p><p>Second.</p></div>",
    "<html><body><p>Split<!-- a comment --> text<?pi x?> node.</p></body></html>",
]


def test_a_fragment_trafilatura_rejects_is_a_parse_error_naming_the_source() -> None:
    with pytest.raises(ParseError, match=r"frag\.html"):
        parse("<p>one block</p>", "frag.html")


def _same(root) -> None:  # type: ignore[no-untyped-def]
    fast, plain = scan(root, LINK_WORDS), plain_candidates(root, LINK_WORDS)
    for name in Candidates.__dataclass_fields__:
        assert getattr(fast, name) == getattr(plain, name), name


@pytest.mark.parametrize(
    "html",
    [*(p.read_text("utf8") for p in sorted(FIXTURES.glob("*.html"))), *EDGE_PAGES],
)
def test_the_scan_finds_the_plain_candidates_on_fixed_pages(html: str) -> None:
    _same(parse(html, "page.html"))


_CLASSES = [
    "newsletter-box", "Related", "share", "xad", "ad-1", "story", "dek", "post-header",
    "twitter-tweet", "instagram-media x", "nav__item", "caption", "", "comments", "promo_",
    "hidden", "hide x", "d-none", "d-none d-md-block", "non-paywall", "c-related__list",
]  # fmt: skip
_TAGS = ["div", "section", "aside", "header", "p", "span", "blockquote", "a", "ul", "li", "figure"]
_TAGS += ["figcaption", "img", "noscript", "form", "input"]
_WORDS = ["alpha", "beta", "gamma", "delta", "\xa0", "\n"]


def _random_page(rng: random.Random) -> str:
    def element(depth: int) -> str:
        tag = rng.choice(_TAGS)
        attrs = ""
        if rng.random() < 0.6:
            attrs += f' class="{rng.choice(_CLASSES)}"'
        if rng.random() < 0.2:
            attrs += f' id="{rng.choice(_CLASSES)}"'
        if tag == "input":
            attrs += rng.choice([' type="email"', ' type="text"'])
        if rng.random() < 0.1:
            attrs += rng.choice([" hidden", ' style="display: none"', ' style="DISPLAY:NONE"'])
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 5)))
        inner = "".join(element(depth + 1) for _ in range(rng.randint(0, 3) if depth < 4 else 0))
        return f"<{tag}{attrs}>{words}{inner}</{tag}>"

    return "<html><body>" + "".join(element(0) for _ in range(6)) + "</body></html>"


def _pages() -> list[str]:
    return [_random_page(random.Random(seed)) for seed in range(30)]


@pytest.mark.parametrize("html", _pages())
def test_the_scan_finds_the_plain_candidates_on_random_pages(html: str) -> None:
    _same(parse(html, "random.html").find("body"))


def test_the_random_pages_exercise_every_candidate_list() -> None:
    found = Candidates()
    for html in _pages():
        plain = plain_candidates(parse(html, "random.html").find("body"), LINK_WORDS)
        for name in Candidates.__dataclass_fields__:
            getattr(found, name).extend(getattr(plain, name)) if name != "links" else None
        found.links |= plain.links
    assert all(getattr(found, name) for name in Candidates.__dataclass_fields__)


def test_evidence_texts_are_normalised_element_texts() -> None:
    segments = []
    for page in sorted(FIXTURES.glob("*.html")):
        segments += gather_evidence(parse(page.read_text("utf8"), page.name)).segments
    assert segments
    for _, _, text in segments:
        assert text == normalise(text) and text
