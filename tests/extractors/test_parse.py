"""The fast paths of extraction give the same results as the plain ways they replace.

`adapter.parse` re-does trafilatura's `load_html` with a parser that picks element classes
in C, and `htmlclean` gathers all markup evidence in one walk of the tree; both must build
exactly what the plain ways build, or extraction output would change under the same
EXTRACTOR_VERSION.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from palimpsest.extractors import htmlclean
from palimpsest.extractors.adapter import parse
from palimpsest.extractors.errors import ParseError
from palimpsest.extractors.htmlclean import gather_evidence, link_texts
from palimpsest.extractors.text import normalise
from trafilatura.utils import load_html

FIXTURES = Path(__file__).parent / "fixtures"
EDGE_PAGES = [
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>Declared as XML.</p></body></html>',
    "<!DOCTYPE html/><html><body><p>Doctype closed with a slash.</p></body></html>",
    "<html/>\n<body><p>Self-closed html tag.</p></body>",
    "<html><body><form><label>Name</label><input value='x'><select><option>a</option>"
    "</select><textarea>t</textarea></form><p>Form controls.</p></body></html>",
    "<div><p>No html tag, two blocks.</p><p>Second.</p></div>",
    "<html><body><p>Bad \x0b char and \ufffe.</p></body></html>",
    "<html><body><p>Split<!-- a comment --> text<?pi x?> node.</p></body></html>",
]


@pytest.mark.parametrize(
    "html",
    [*(p.read_text("utf8") for p in sorted(FIXTURES.glob("*.html"))), *EDGE_PAGES],
)
def test_parse_builds_the_tree_trafilatura_builds(html: str) -> None:
    ours = parse(html, "page.html")
    theirs = load_html(html)
    assert theirs is not None
    assert lxml.etree.tostring(ours, encoding="unicode") == lxml.etree.tostring(
        theirs, encoding="unicode"
    )
    assert all(isinstance(el, lxml.html.HtmlElement) for el in ours.iter())
    assert load_html(ours) is ours  # trafilatura takes our tree as it is


def test_a_fragment_trafilatura_rejects_is_a_parse_error_naming_the_source() -> None:
    assert load_html("<p>one block</p>") is None
    with pytest.raises(ParseError, match=r"frag\.html"):
        parse("<p>one block</p>", "frag.html")


# The gatherers as first written: one XPath or walk each, every element tested. A small
# vocabulary (patched in below) makes random classes hit often.
_FURN = re.compile(
    r"(?:^|[^a-z])(?:newsletters?|related|share|ad|ads|caption|credit|hidden|comments?|promo)"
    r"(?:$|[^a-z])"
)
_HEAD = re.compile(r"(?:^|[^a-z])(?:dek|kicker|headline|(?:article|post)-?header)(?:$|[^a-z])")
_EMBED = re.compile(r"(?:^|\s)(?:twitter-tweet|instagram-media)(?:$|\s)")
_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_INVISIBLE = ("script", "style", "noscript", "template")


def _plain_candidates(root: lxml.html.HtmlElement) -> tuple[list, list, list, set[str]]:
    classed = []
    for el in root.xpath(".//*[@class or @id]"):
        if el.tag in ("html", "body", "main", "article", *_INVISIBLE):
            continue
        attrs = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if el.tag == "header" or _FURN.search(attrs) or _HEAD.search(attrs):
            classed.append((el, attrs))
    seen = {el for el, _ in classed}
    classed += [(el, " ") for el in root.iter("header") if el not in seen]
    order = {el: k for k, el in enumerate(root.iter())}
    classed.sort(key=lambda hit: order[hit[0]])
    hidden = [
        el
        for el in root.xpath(
            ".//*[@hidden or (@style and (contains(@style, 'none') or contains(@style, 'hidden')))]"
        )
        if el.tag not in _INVISIBLE
        and (el.get("hidden") is not None or _STYLE.search(el.get("style") or ""))
    ]
    embeds = [el for el in root.iter("blockquote", "div") if _EMBED.search(el.get("class") or "")]
    return classed, hidden, embeds, link_texts(root)


_CLASSES = [
    "newsletter-box", "Related", "share", "xad", "ad-1", "story", "dek", "post-header",
    "twitter-tweet", "instagram-media x", "nav__item", "caption", "", "comments", "promo_",
]  # fmt: skip
_TAGS = ["div", "section", "aside", "header", "p", "span", "blockquote", "a", "ul", "li", "figure"]
_TAGS += ["figcaption", "img", "noscript"]
_WORDS = ["alpha", "beta", "gamma", "delta", "\xa0", "\n"]


def _random_page(rng: random.Random) -> str:
    def element(depth: int) -> str:
        tag = rng.choice(_TAGS)
        attrs = ""
        if rng.random() < 0.6:
            attrs += f' class="{rng.choice(_CLASSES)}"'
        if rng.random() < 0.2:
            attrs += f' id="{rng.choice(_CLASSES)}"'
        if rng.random() < 0.1:
            attrs += rng.choice([" hidden", ' style="display: none"', ' style="DISPLAY:NONE"'])
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 5)))
        inner = "".join(element(depth + 1) for _ in range(rng.randint(0, 3) if depth < 4 else 0))
        return f"<{tag}{attrs}>{words}{inner}</{tag}>"

    return "<html><body>" + "".join(element(0) for _ in range(6)) + "</body></html>"


@pytest.mark.parametrize("seed", range(30))
def test_one_walk_finds_what_the_separate_gatherers_found(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(htmlclean, "_FURNITURE", _FURN)
    monkeypatch.setattr(htmlclean, "_HEADER", _HEAD)
    monkeypatch.setattr(htmlclean, "_EMBED_CLASS", _EMBED)
    root = parse(_random_page(random.Random(seed)), "random.html").find("body")
    ev = htmlclean.Evidence(root=root)
    htmlclean._scan(root, ev)
    classed, hidden, embeds, links = _plain_candidates(root)
    assert ev.classed == classed
    assert ev.hidden == hidden
    assert ev.embeds == embeds
    assert ev.links == links
    assert ev.paragraphs == list(root.iter("p"))
    assert ev.figcaptions == list(root.iter("figcaption"))
    assert ev.figures == list(root.iter("figure"))


def test_the_random_pages_exercise_every_candidate_list() -> None:
    found = [0, 0, 0, 0]
    for seed in range(30):
        root = parse(_random_page(random.Random(seed)), "random.html").find("body")
        for k, items in enumerate(_plain_candidates(root)):
            found[k] += len(items)
    assert all(found), found


def test_evidence_texts_are_normalised_element_texts() -> None:
    segments = []
    for page in sorted(FIXTURES.glob("*.html")):
        segments += gather_evidence(parse(page.read_text("utf8"), page.name)).segments
    assert segments
    for _, _, text in segments:
        assert text == normalise(text) and text
