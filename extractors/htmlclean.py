"""Markup evidence: what the HTML structure says is furniture, gathered before trafilatura.

Each gatherer is named: it finds elements whose markup says what they are (a caption, an
embedded tweet, a newsletter box, a teaser list), which is stronger evidence than their
text, and records their text. The `markup` text cleaner then drops output blocks found
inside them. Guard for all of them: an element that holds a large share of the page's
paragraph text is never used, whatever its class says (sites put words like "share" or
"sidebar" on the article's own wrappers). The vocabulary and the candidate elements come
from `extractors.markupscan`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import lxml.html
from palimpsest.extractors.markupscan import FURNITURE, HEADER, Candidates, scan, vocabulary_term
from palimpsest.extractors.options import DEFAULT_OPTIONS, CleaningOptions
from palimpsest.extractors.text import normalise, squeeze


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
    paragraphs: list[Any] = field(default_factory=list)  # every <p>, in document order
    hidden: list[Any] = field(default_factory=list)  # elements the page never shows
    links: set[str] = field(default_factory=set)  # whitespace-free texts of links
    options: CleaningOptions = DEFAULT_OPTIONS

    @cached_property
    def paragraph_chars(self) -> int:
        """The length of the page's paragraph text (computed only if a guard needs it)."""
        return sum(len(p.text_content()) for p in self.paragraphs)

    @cached_property
    def page_text(self) -> str:
        """The whole page text without whitespace (computed on first use)."""
        return squeeze(self.root.text_content()) if self.root is not None else ""

    @cached_property
    def squeezed(self) -> list[str]:
        return [squeeze(text) for _, _, text in self.segments]

    @cached_property
    def blob(self) -> str:
        return "\x00".join(self.squeezed)

    def find_key(self, key: str, at_top: bool = False) -> tuple[str, str] | None:
        """(cleaner, reason) of the furniture element containing the whitespace-free text
        `key`, if it occurs only inside furniture (not also elsewhere on the page). With
        `at_top` (the block opens the extracted text) text inside the page header counts
        even if repeated elsewhere: a dek is often repeated in share widgets and teasers.
        Texts are compared without whitespace: trafilatura joins adjacent elements without
        a space where the page source had a line break between them."""
        if not self.segments or len(key) < self.options.evidence_min_chars or key not in self.blob:
            return None
        only_here = None  # counted over the whole page text only when it decides
        for (cleaner, reason, _), seg in zip(self.segments, self.squeezed, strict=True):
            if key not in seg:
                continue
            if at_top and cleaner == "header_markup":
                return cleaner, reason
            if only_here is None:
                only_here = self.page_text.count(key) <= self.blob.count(key)
            if only_here:
                return cleaner, reason
        return None


Gatherer = Callable[[Candidates, Evidence], None]


def _guarded(el: lxml.html.HtmlElement, ev: Evidence) -> bool:
    """True when `el` carries too much of the page's paragraph text to be furniture."""
    share = 0
    for p in el.iter("p"):
        share += len(p.text_content())
        options = ev.options
        if share >= options.guard_min_chars and share > options.guard_share * ev.paragraph_chars:
            return True
    return False


def _add(ev: Evidence, el: lxml.html.HtmlElement, cleaner: str, reason: str) -> None:
    text = normalise(el.text_content())
    if text:
        ev.segments.append((cleaner, reason, text))


def _outermost(
    hits: list[tuple[lxml.html.HtmlElement, str]], ev: Evidence
) -> list[tuple[lxml.html.HtmlElement, str]]:
    """Keep the outermost unguarded hits (document order): nested hits add nothing."""
    chosen: set[lxml.html.HtmlElement] = set()
    out = []
    for el, word in hits:
        if any(anc in chosen for anc in el.iterancestors()) or _guarded(el, ev):
            continue
        chosen.add(el)
        out.append((el, word))
    return out


def furniture_markup(found: Candidates, ev: Evidence) -> None:
    """Newsletter boxes, teaser lists, share bars, cookie banners, ad slots, author boxes, bylines,
    captions and screen-reader text, found by their class/id.

    Signal: a class name (or id) made of a furniture term ("newsletter", "related",
    "most-popular", "share", "cookie", "ad", "author-bio", "caption", ...) and generic parts of
    markup ("box", "list", "wrapper"): "newsletter-signup", "c-related__list". Safe: a class
    with any other part ("non-paywall", "field--label-hidden") is something else, the guard
    ignores any element holding much of the page's paragraph text (`guard_share`), the
    document's html/body/main/article elements are never used, and text that also occurs outside
    such elements is kept.
    """
    hits = []
    for el, attrs in found.classed:
        term = vocabulary_term(attrs, FURNITURE)
        if term is not None:
            hits.append((el, term))
    for el, word in _outermost(hits, ev):
        _add(ev, el, "furniture_markup", f"inside <{el.tag}> marked {word!r}")


def figures(found: Candidates, ev: Evidence) -> None:
    """Image captions: <figcaption>, and <figure> elements holding media.

    Signal: the markup says caption (figcaption) or figure-with-image/video. Safe: a
    <figure> without media (some sites wrap pull quotes or tables in one) is kept.
    """
    for el in found.figcaptions:
        _add(ev, el, "figures", "inside <figcaption>")
    for el in found.figures:
        media = any(True for _ in el.iter("img", "picture", "video", "iframe", "svg"))
        if media and not _guarded(el, ev):
            _add(ev, el, "figures", "inside a <figure> with an image or video")


def header_markup(found: Candidates, ev: Evidence) -> None:
    """The article header: <header> elements and elements classed as headline, dek,
    standfirst, subtitle, kicker or article/entry header.

    Signal: the markup names the page header, which holds the title, dek, byline and date,
    none of which belong to the article text. Safe: the share guard keeps any header that
    wraps the article body itself.
    """
    hits = [
        (el, "")
        for el, attrs in found.classed
        if el.tag == "header" or vocabulary_term(attrs, HEADER)
    ]
    for el, _ in _outermost(hits, ev):
        _add(ev, el, "header_markup", f"inside the page header (<{el.tag}>)")


def hidden_markup(found: Candidates, ev: Evidence) -> None:
    """Text the page never shows: elements with the `hidden` attribute, an inline style of
    display:none / visibility:hidden, or a class that hides at every screen size (exactly
    "hidden", "hide", or "d-none" without a responsive display class): error messages, form
    states, collapsed widgets.

    Signal: the page's own rendering instructions. Safe: the share guard keeps a hidden
    element that holds the article itself (some pages reveal the body with a script).
    """
    for el, _ in _outermost([(el, "") for el in found.hidden], ev):
        _add(ev, el, "hidden_markup", f"inside a hidden <{el.tag}>")


def social_markup(found: Candidates, ev: Evidence) -> None:
    """Embedded posts: blockquote.twitter-tweet, .instagram-media, .tiktok-embed, .fb-post.

    Signal: the embed code's own class names. Safe: these classes are emitted by the
    platforms' embed snippets, and the share guard keeps an element holding much of the
    page's text (a blog theme that names its post body after the platform).
    """
    for el in found.embeds:
        if not _guarded(el, ev):
            _add(ev, el, "social_markup", f"inside an embedded post ({el.get('class')})")


def forms_markup(found: Candidates, ev: Evidence) -> None:
    """Sign-up boxes: a <form> asking for an e-mail address, with the pitch around it (its
    parent element, when that holds at most `max_form_words`).

    Signal: structure, in any language: an e-mail field is how a newsletter, an alert or a
    registration wall is sold, and article text never sits inside a form. Safe: the share
    guard keeps a form wrapping the page's text (some sites wrap everything in one).
    """
    for form in found.forms:
        box = form.getparent()
        if box is None or len(box.text_content().split()) > ev.options.max_form_words:
            box = form
        if not _guarded(box, ev):
            _add(ev, box, "forms_markup", "beside a form asking for an e-mail address")


GATHERERS: dict[str, Gatherer] = {
    "social_markup": social_markup,
    "figures": figures,
    "furniture_markup": furniture_markup,
    "header_markup": header_markup,
    "hidden_markup": hidden_markup,
    "forms_markup": forms_markup,
}


def gather_evidence(
    tree: lxml.html.HtmlElement, options: CleaningOptions = DEFAULT_OPTIONS
) -> Evidence:
    """Collect the furniture texts the markup reveals; `tree` is not modified."""
    body = tree.find("body")
    root = body if body is not None else tree
    found = scan(root, options.link_min_words)
    ev = Evidence(
        root, paragraphs=found.paragraphs, hidden=found.hidden, links=found.links, options=options
    )
    for func in GATHERERS.values():
        func(found, ev)
    return ev
