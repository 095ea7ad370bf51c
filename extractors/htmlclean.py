"""Markup evidence: what the HTML structure says is furniture, gathered before trafilatura.

Each gatherer is named: it finds elements whose markup says what they are (a caption, an
embedded tweet, a newsletter box, a teaser list), which is stronger evidence than their
text, and records their text. The `markup` text cleaner then drops output blocks found
inside them. Guard for all of them: an element that holds a large share of the page's
paragraph text is never used, whatever its class says (sites put words like "share" or
"sidebar" on the article's own wrappers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import lxml.etree
import lxml.html
from palimpsest.extractors.text import normalise, squeeze, wordset

# Class/id vocabulary of page furniture. A class name (or id) names furniture when, split
# at hyphens and underscores, its parts are a furniture term plus generic parts of markup
# ("box", "list", "wrapper"; a one-letter namespace like BEM's "c-"): "newsletter-signup",
# "c-related__list", "share_buttons". Any other part makes it something else: "non-paywall",
# "steady-paywall-container", "field--label-hidden" are not furniture. Visibility classes
# ("hidden", "hide", "d-none") are not in it: they hide at some screen sizes only (the page's
# own inline styles, in `hidden_markup`, say what is never shown).
_FURNITURE = re.compile(
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
_HEADER = re.compile(
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


def _vocabulary_term(attrs: str, vocabulary: re.Pattern[str]) -> str | None:
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


def _hiding_class(attrs: str) -> bool:
    """A class that hides at every screen size: exactly "hidden" or "hide", or "d-none" with
    no responsive "d-md-block"-style class beside it."""
    names = attrs.split()
    if "hidden" in names or "hide" in names:
        return True
    return "d-none" in names and not any(n.startswith("d-") and n != "d-none" for n in names)


_EMBED_CLASS = re.compile(r"(?:^|\s)(?:twitter-tweet|instagram-media|tiktok-embed|fb-post)(?:$|\s)")
_KEEP_TAGS = frozenset({"html", "body", "main", "article"})
_MAX_SHARE = 0.25  # an element with more of the page's paragraph text than this is content
_MIN_GUARD_CHARS = 400


@dataclass
class Evidence:
    """Texts that the markup identifies as furniture, gathered before trafilatura runs.

    The tree itself is left untouched: removing elements changes which container trafilatura
    picks as the article (measured: one site lost its whole article when a "print tools" list
    was removed). Instead, blocks of trafilatura's output that lie inside such an element are
    dropped afterwards by the `markup` text cleaner.
    """

    root: Any = None  # the page's <body>: read lazily, never modified
    segments: list[tuple[str, str, str]] = field(default_factory=list)  # (cleaner, reason, text)
    # Scratch for the gatherers, filled by one scan of the tree (`_scan`), in document order:
    classed: list[tuple[Any, str]] = field(default_factory=list)  # (element, "class id")
    hidden: list[Any] = field(default_factory=list)  # hidden attribute or display:none style
    embeds: list[Any] = field(default_factory=list)  # blockquote/div with an embed class
    figcaptions: list[Any] = field(default_factory=list)
    figures: list[Any] = field(default_factory=list)
    # Every <p> of the page in document order (kept: chunk recovery reads them too).
    paragraphs: list[Any] = field(default_factory=list)
    hidden_elements: list[Any] = field(default_factory=list)  # kept: the adapter reads them
    _blob: str | None = None
    _squeezed: list[str] | None = None
    _page_text: str | None = None
    _links: set[str] | None = None

    @property
    def page_text(self) -> str:
        """The whole page text without whitespace (computed on first use)."""
        if self._page_text is None:
            self._page_text = squeeze(self.root.text_content()) if self.root is not None else ""
        return self._page_text

    @property
    def links(self) -> set[str]:
        """Whitespace-free texts of the page's links of 3+ words (computed on first use)."""
        if self._links is None:
            self._links = link_texts(self.root) if self.root is not None else set()
        return self._links

    @property
    def blob(self) -> str:
        if self._blob is None:
            self._squeezed = [squeeze(text) for _, _, text in self.segments]
            self._blob = "\x00".join(self._squeezed)
        return self._blob

    def find(self, text: str, at_top: bool = False) -> tuple[str, str] | None:
        """(cleaner, reason) of the furniture element containing `text`, if the text occurs
        only inside furniture (not also elsewhere on the page). With `at_top` (the block
        opens the extracted text) text inside the page header counts even if repeated
        elsewhere: a dek is often repeated in share widgets and teasers.

        Texts are compared without whitespace: trafilatura joins adjacent elements without
        a space where the page source had a line break between them.
        """
        return self.find_key(squeeze(text), at_top)

    def find_key(self, key: str, at_top: bool = False) -> tuple[str, str] | None:
        """`find` for a text already squeezed (see `squeeze`)."""
        if not self.segments or len(key) < 12 or key not in self.blob:
            return None
        only_here = None  # counted over the whole page text only when it decides
        for (cleaner, reason, _), seg in zip(self.segments, self._squeezed or [], strict=True):
            if key not in seg:
                continue
            if at_top and cleaner == "header_markup":
                return cleaner, reason
            if only_here is None:
                only_here = self.page_text.count(key) <= self.blob.count(key)
            if only_here:
                return cleaner, reason
        return None


Gatherer = Callable[[lxml.html.HtmlElement, "Evidence", "_Total"], None]


class _Total:
    """The page's paragraph-text length, computed once and only if a guard needs it."""

    def __init__(self, paragraphs: list[lxml.html.HtmlElement]) -> None:
        self.paragraphs = paragraphs
        self._value: int | None = None

    @property
    def value(self) -> int:
        if self._value is None:
            self._value = sum(len(p.text_content()) for p in self.paragraphs)
        return self._value


def _guarded(el: lxml.html.HtmlElement, total: _Total) -> bool:
    """True when `el` carries too much of the page's paragraph text to be furniture."""
    share = 0
    for p in el.iter("p"):
        share += len(p.text_content())
        if share >= _MIN_GUARD_CHARS and share > _MAX_SHARE * total.value:
            return True
    return False


def _add(ev: Evidence, el: lxml.html.HtmlElement, cleaner: str, reason: str) -> None:
    text = normalise(el.text_content())
    if text:
        ev.segments.append((cleaner, reason, text))


_INVISIBLE = frozenset({"script", "style", "noscript", "template"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SPECIAL = _INVISIBLE | {"a", "p", "figcaption", "figure"}


def _scan(root: lxml.html.HtmlElement, ev: Evidence) -> None:
    """Fill the gatherers' candidate lists (`ev.classed`, `hidden`, `embeds`, `figcaptions`,
    `figures`), `ev.paragraphs` and `ev.links` in one walk of the tree.

    Why one walk: every gatherer used to walk the tree (or run an XPath over it) on its own,
    and building the Python objects for a page's elements is the dominant cost; here each
    element is visited once. Why a cache per class/id string: a page has hundreds of
    classed elements but a few dozen distinct class strings, so the vocabulary regexes run
    once per distinct string. The tests applied are exactly the gatherers' own.
    """
    verdict: dict[str | tuple[str | None, str], tuple[str | None, bool, bool]] = {}
    classed, hidden, embeds, links = ev.classed, ev.hidden, ev.embeds, set()
    paragraphs, figcaptions, figures = ev.paragraphs, ev.figcaptions, ev.figures
    for el in root.iterdescendants():
        tag = el.tag
        get = el.get
        if tag in _SPECIAL:  # one set test keeps the common tags off the chain below
            if tag == "a":
                # text_content() runs an XPath; a link without child elements is its text
                words = (el.text_content() if len(el) else el.text or "").split()
                if len(words) >= 3 and el.getparent().tag not in _HEADINGS:
                    links.add("".join(words))
            elif tag == "p":
                paragraphs.append(el)
            elif tag == "figcaption":
                figcaptions.append(el)
            elif tag == "figure":
                figures.append(el)
            elif tag in _INVISIBLE:
                continue
        cls, ident = get("class"), get("id")
        if cls is not None or ident is not None:
            key = cls if ident is None else (cls, ident)
            found = verdict.get(key)
            if found is None:  # the regexes run once per distinct class/id pair
                low = f"{cls or ''} {ident or ''}".lower()
                hit = _vocabulary_term(low, _FURNITURE) or _vocabulary_term(low, _HEADER)
                embed = bool(cls and _EMBED_CLASS.search(cls))
                hiding = bool(cls) and _hiding_class(low)
                found = verdict[key] = (low if hit else None, embed, hiding)
            attrs, embed, hiding = found
            if hiding:
                hidden.append(el)
            if tag == "header":
                classed.append((el, f"{cls or ''} {ident or ''}".lower()))
            elif attrs is not None and tag not in _KEEP_TAGS:
                classed.append((el, attrs))
            if embed and (tag == "div" or tag == "blockquote"):
                embeds.append(el)
        elif tag == "header":
            classed.append((el, " "))
        if hidden and hidden[-1] is el:
            continue
        style = get("style")
        if get("hidden") is not None or (
            style and ("none" in style or "hidden" in style) and _HIDDEN_STYLE.search(style)
        ):
            hidden.append(el)
    ev._links = links


def _outermost(
    hits: list[tuple[lxml.html.HtmlElement, str]], total: _Total
) -> list[tuple[lxml.html.HtmlElement, str]]:
    """Keep the outermost unguarded hits (document order): nested hits add nothing."""
    chosen: set[lxml.html.HtmlElement] = set()
    out = []
    for el, word in hits:
        if any(anc in chosen for anc in el.iterancestors()) or _guarded(el, total):
            continue
        chosen.add(el)
        out.append((el, word))
    return out


def furniture_markup(tree: lxml.html.HtmlElement, ev: Evidence, total: _Total) -> None:
    """Newsletter boxes, teaser lists, share bars, cookie banners, ad slots, author boxes,
    bylines, captions and screen-reader text, found by their class/id.

    Signal: a whole token of the element's class or id names the furniture ("newsletter",
    "related", "most-popular", "share", "cookie", "ad-slot", "author-bio", "caption", ...).
    Safe: the guard ignores any element holding >25% of the page's paragraph text, the
    document's html/body/main/article elements are never used, and text that also occurs
    outside such elements is kept.
    """
    hits = []
    for el, attrs in ev.classed:
        term = _vocabulary_term(attrs, _FURNITURE)
        if term is not None:
            hits.append((el, term))
    for el, word in _outermost(hits, total):
        _add(ev, el, "furniture_markup", f"inside <{el.tag}> marked {word!r}")


def figures(tree: lxml.html.HtmlElement, ev: Evidence, total: _Total) -> None:
    """Image captions: <figcaption>, and <figure> elements holding media.

    Signal: the markup says caption (figcaption) or figure-with-image/video. Safe: a
    <figure> without media (some sites wrap pull quotes or tables in one) is kept.
    """
    for el in ev.figcaptions:
        _add(ev, el, "figures", "inside <figcaption>")
    for el in ev.figures:
        media = any(True for _ in el.iter("img", "picture", "video", "iframe", "svg"))
        if media and not _guarded(el, total):
            _add(ev, el, "figures", "inside a <figure> with an image or video")


def header_markup(tree: lxml.html.HtmlElement, ev: Evidence, total: _Total) -> None:
    """The article header: <header> elements and elements classed as headline, dek,
    standfirst, subtitle, kicker or article/entry header.

    Signal: the markup names the page header, which holds the title, dek, byline and date,
    none of which belong to the article text. Safe: the share guard keeps any header that
    wraps the article body itself.
    """
    hits = []
    for el, attrs in ev.classed:  # document order
        if el.tag == "header":
            hits.append((el, ""))
            if _blank_attrs(el):
                # class="" / id="" only: listed both as classed and as unclassed since the
                # first release; kept so that the output stays the same for the same input
                hits.append((el, ""))
        elif _vocabulary_term(attrs, _HEADER):
            hits.append((el, ""))
    for el, _ in _outermost(hits, total):
        _add(ev, el, "header_markup", f"inside the page header (<{el.tag}>)")


def _blank_attrs(el: lxml.html.HtmlElement) -> bool:
    """True when `el` has a class or id attribute but every one of them is empty."""
    cls, ident = el.get("class"), el.get("id")
    return not (cls or ident) and (cls is not None or ident is not None)


def link_texts(root: lxml.html.HtmlElement) -> set[str]:
    """Texts of links (3+ words, not bare URLs), to spot blocks that are nothing but a link.

    Signal: a paragraph or list item whose whole text is one link is a teaser headline or a
    call to action pointing elsewhere. Safe: article prose contains links but is not one, and
    links that make a heading (h1-h6) are left out: a section heading linked to its anchor
    or a post title linked to its permalink names this page's own text.
    """
    links = set()
    for el in root.iter("a"):
        words = el.text_content().split()
        if len(words) >= 3 and el.getparent().tag not in _HEADINGS:
            links.add("".join(words))
    return links


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def hidden_markup(tree: lxml.html.HtmlElement, ev: Evidence, total: _Total) -> None:
    """Text the page never shows: elements with the `hidden` attribute, an inline style of
    display:none / visibility:hidden, or a class that hides at every screen size (exactly
    "hidden", "hide", or "d-none" without a responsive display class): error messages, form
    states, collapsed widgets.

    Signal: the page's own rendering instructions. Safe: the share guard keeps a hidden
    element that holds the article itself (some pages reveal the body with a script).
    """
    for el, _ in _outermost([(el, "") for el in ev.hidden], total):
        _add(ev, el, "hidden_markup", f"inside a hidden <{el.tag}>")


def social_markup(tree: lxml.html.HtmlElement, ev: Evidence, total: _Total) -> None:
    """Embedded posts: blockquote.twitter-tweet, .instagram-media, .tiktok-embed, .fb-post.

    Signal: the embed code's own class names. Safe: these classes are emitted by the
    platforms' embed snippets, and the share guard keeps an element holding much of the
    page's text (a blog theme that names its post body after the platform).
    """
    for el in ev.embeds:
        if not _guarded(el, total):
            _add(ev, el, "social_markup", f"inside an embedded post ({el.get('class')})")


GATHERERS: dict[str, Gatherer] = {
    "social_markup": social_markup,
    "figures": figures,
    "furniture_markup": furniture_markup,
    "header_markup": header_markup,
    "hidden_markup": hidden_markup,
}


def gather_evidence(tree: lxml.html.HtmlElement) -> Evidence:
    """Collect the furniture texts the markup reveals; `tree` is not modified."""
    body = tree.find("body")
    root = body if body is not None else tree
    ev = Evidence(root=root)
    _scan(root, ev)
    total = _Total(ev.paragraphs)
    for func in GATHERERS.values():
        func(root, ev, total)
    ev.hidden_elements = ev.hidden
    ev.classed, ev.hidden, ev.embeds, ev.figcaptions, ev.figures = [], [], [], [], []
    return ev
