"""What the markup says an element is: the class/id vocabulary, and the candidate elements
the gatherers of `extractors.htmlclean` weigh.

`plain_candidates` is the definition: one XPath or walk per kind of candidate. `scan` finds
the same candidates in one walk of the tree. It is kept because it is measurably faster
where users wait: building Python objects for a page's elements is the dominant cost of
gathering, and with one walk extraction runs at 10.5 pages/s instead of 8.9 (+18%; 120
article-extraction pages, interleaved in one process). tests/extractors/test_parse.py checks
that both find the same candidates on fixtures and random pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from palimpsest.extractors.text import wordset

# Class/id vocabulary of page furniture. A class name (or id) names furniture when, split
# at hyphens and underscores, its parts are a furniture term plus generic parts of markup
# ("box", "list", "wrapper"; a one-letter namespace like BEM's "c-"): "newsletter-signup",
# "c-related__list", "share_buttons". Any other part makes it something else: "non-paywall",
# "steady-paywall-container", "field--label-hidden" are not furniture. Visibility classes
# ("hidden", "hide", "d-none") are not in it: they hide at some screen sizes only (the page's
# own inline styles, in `hidden_markup`, say what is never shown).
FURNITURE = re.compile(
    r"newsletters?|subscribe|subscription|signup|sign-up|paywall|regwall|promo|promos"
    r"|related|recommend(?:ed|ations?)?|more-(?:stories|from|news|articles|on)|read-?more"
    r"|most-?(?:read|popular|viewed|shared)|popular|trending|latest-news|next-?(?:article|story)"
    r"|share|sharing|social|share-?(?:bar|buttons|tools|links)|social-?(?:share|links|media|icons)"
    r"|cookies?|consent|gdpr|advert\w*|ad|ads|adslot|dfp"
    r"|sponsored|outbrain|taboola|comments?|author-?(?:bio|info|box|card)|about-?(?:the-)?author"
    r"|bio|breadcrumbs?|caption|captions|credit|credits|figcaption|wp-caption|reprints?"
    r"|article-?tools|toolbar|textresizer|print-?tools|byline|bylines|dateline|timestamp"
    r"|sr-only|visually-?hidden|screen-?reader|skip-?link|jump-?link"
)
# The article's own header: title, dek/standfirst, kicker, byline block.
HEADER = re.compile(
    r"dek|standfirst|sub-?line|article-subline|sub-?title|strapline|kicker"
    r"|sub-?headline|headline|(?:article|post|entry|page|story)-?header"
)
_GENERIC = wordset(
    """box boxes widget widgets container wrapper wrap list lists block blocks section module
    modules bar links link buttons button btn area panel items item title heading label text
    inner outer content contents form unit slot holder placeholder top bottom inline icons
    icon tools footer article articles story stories post posts news wp slot
    0 1 2 3 4 5 6 7 8 9"""
)
_PARTS = re.compile(r"[-_]+")


def vocabulary_term(attrs: str, vocabulary: re.Pattern[str]) -> str | None:
    """The furniture term that one of the class names (or the id) in `attrs` consists of."""
    for name in attrs.split():
        parts = [p for p in _PARTS.split(name) if p]
        while parts and (parts[0] in _GENERIC or len(parts[0]) == 1):
            parts = parts[1:]  # generic or a namespace ("c-", "o-")
        while parts:
            if vocabulary.fullmatch("-".join(parts)):  # "most-read", "latest-news"
                return "-".join(parts)
            if parts[-1] not in _GENERIC:
                break
            parts = parts[:-1]
        core = [p for p in parts if p not in _GENERIC]
        if core and all(vocabulary.fullmatch(part) for part in core):  # "newsletter-signup"
            return core[0]
    return None


def hiding_class(attrs: str) -> bool:
    """A class that hides at every screen size: exactly "hidden" or "hide", or "d-none" with
    no responsive "d-md-block"-style class beside it."""
    names = attrs.split()
    if "hidden" in names or "hide" in names:
        return True
    return "d-none" in names and not any(n.startswith("d-") and n != "d-none" for n in names)


EMBED_CLASS = re.compile(r"(?:^|\s)(?:twitter-tweet|instagram-media|tiktok-embed|fb-post)(?:$|\s)")
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
KEEP_TAGS = frozenset({"html", "body", "main", "article"})  # never furniture, whatever the class
INVISIBLE = frozenset({"script", "style", "noscript", "template"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SPECIAL = INVISIBLE | {"a", "p", "figcaption", "figure", "input"}


@dataclass
class Candidates:
    """Elements the gatherers weigh, each list in document order."""

    classed: list[tuple[Any, str]] = field(default_factory=list)  # (element, "class id")
    hidden: list[Any] = field(default_factory=list)  # elements the page never shows
    embeds: list[Any] = field(default_factory=list)  # blockquote/div with an embed class
    figcaptions: list[Any] = field(default_factory=list)
    figures: list[Any] = field(default_factory=list)
    paragraphs: list[Any] = field(default_factory=list)  # every <p>
    forms: list[Any] = field(default_factory=list)  # <form>s that ask for an e-mail address
    links: set[str] = field(default_factory=set)  # whitespace-free texts of long enough links


def _attrs(el: lxml.html.HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def _names_furniture(attrs: str) -> bool:
    return bool(vocabulary_term(attrs, FURNITURE) or vocabulary_term(attrs, HEADER))


def _hidden(el: lxml.html.HtmlElement) -> bool:
    return (
        el.get("hidden") is not None
        or bool(HIDDEN_STYLE.search(el.get("style") or ""))
        or hiding_class((el.get("class") or "").lower())
    )


def link_texts(root: lxml.html.HtmlElement, min_words: int) -> set[str]:
    """Texts of links (`min_words` or more) that are not a heading's: a section heading
    linked to its anchor or a post title linked to its permalink names this page's own text."""
    links = set()
    for el in root.iterdescendants("a"):
        words = el.text_content().split()
        if len(words) >= min_words and el.getparent().tag not in HEADINGS:
            links.add("".join(words))
    return links


def plain_candidates(root: lxml.html.HtmlElement, link_min_words: int) -> Candidates:
    """The definition of every candidate list (the reference for `scan`)."""
    visible = [el for el in root.iterdescendants() if el.tag not in INVISIBLE]
    return Candidates(
        classed=[
            (el, _attrs(el))
            for el in visible
            if el.tag == "header"
            or (
                el.tag not in KEEP_TAGS
                and (el.get("class") is not None or el.get("id") is not None)
                and _names_furniture(_attrs(el))
            )
        ],
        hidden=[el for el in visible if _hidden(el)],
        embeds=[
            el for el in root.iter("blockquote", "div") if EMBED_CLASS.search(el.get("class") or "")
        ],
        figcaptions=list(root.iterdescendants("figcaption")),
        figures=list(root.iterdescendants("figure")),
        paragraphs=list(root.iterdescendants("p")),
        forms=root.xpath(".//form[.//input[@type='email']]"),
        links=link_texts(root, link_min_words),
    )


def scan(root: lxml.html.HtmlElement, link_min_words: int) -> Candidates:
    """`plain_candidates` in one walk of the tree, with the vocabulary tests cached per
    distinct class/id pair (a page has hundreds of classed elements but a few dozen
    distinct class strings)."""
    verdict: dict[str | tuple[str | None, str], tuple[bool, bool, bool]] = {}
    found = Candidates()
    classed, hidden, embeds, links = found.classed, found.hidden, found.embeds, found.links
    for el in root.iterdescendants():
        tag = el.tag
        get = el.get
        if tag in _SPECIAL:  # one set test keeps the common tags off the chain below
            if tag == "a":
                # text_content() runs an XPath; a link without child elements is its text
                words = (el.text_content() if len(el) else el.text or "").split()
                if len(words) >= link_min_words and el.getparent().tag not in HEADINGS:
                    links.add("".join(words))
            elif tag == "p":
                found.paragraphs.append(el)
            elif tag == "figcaption":
                found.figcaptions.append(el)
            elif tag == "figure":
                found.figures.append(el)
            elif tag == "input":
                if get("type") == "email":
                    form = next(el.iterancestors("form"), None)
                    if form is not None and form not in found.forms:
                        found.forms.append(form)
            elif tag in INVISIBLE:
                continue
        cls, ident = get("class"), get("id")
        hiding = False
        if cls is not None or ident is not None:
            key = cls if ident is None else (cls, ident)
            known = verdict.get(key)
            if known is None:  # the vocabulary runs once per distinct class/id pair
                low = f"{cls or ''} {ident or ''}".lower()
                known = verdict[key] = (
                    _names_furniture(low),
                    bool(cls and EMBED_CLASS.search(cls)),
                    hiding_class((cls or "").lower()),
                )
            names, embed, hiding = known
            if tag == "header" or (names and tag not in KEEP_TAGS):
                classed.append((el, f"{cls or ''} {ident or ''}".lower()))
            if embed and (tag == "div" or tag == "blockquote"):
                embeds.append(el)
        elif tag == "header":
            classed.append((el, " "))
        style = get("style")
        if hiding or get("hidden") is not None or (style and HIDDEN_STYLE.search(style)):
            hidden.append(el)
    return found
