"""Article links on front and section pages, and telling such a hub from an article."""

from __future__ import annotations

import re
from dataclasses import dataclass

import courlan
import lxml.html
from lxml import etree
from palimpsest.discovery.errors import DiscoveryError


@dataclass(frozen=True)
class HubShape:
    """When an extraction is a list of links, not an article: most of its words are the
    texts of links on the page (the headlines of a front or section page), and there are
    enough of them to say. An article's words are running text that no link carries,
    however many links its page has around it (an inline link covers a few words of it)."""

    min_links: int = 5  # link texts found in the text
    min_link_words: int = 3  # shorter link texts ("Home", "More") say nothing
    min_linked_share: float = 0.5


def section_links(html: str | bytes, url: str, match: str | None = None) -> list[str]:
    """Absolute links of `html` (base `url`, or the page's `<base href>`) that stay on the
    page's site and, when `match` is given, whose path and query match that regular
    expression (`re.search`); without `match`, navigation pages (tags, categories, author
    pages, logins) are left out by courlan's rules. Order of first appearance, no repeats."""
    try:
        pattern = re.compile(match) if match else None
    except re.error as exc:
        raise DiscoveryError(
            url, f"match pattern {match!r} is not a regular expression: {exc}"
        ) from None
    doc = _parse(html, url)
    doc.make_links_absolute(url, resolve_base_href=True, handle_failures="discard")
    seen: dict[str, None] = {}
    for anchor in doc.iter("a"):
        link = (anchor.get("href") or "").strip()
        if not link.startswith(("http://", "https://")) or link.split("#")[0] == url:
            continue
        if courlan.is_external(link, url, ignore_suffix=True):
            continue
        path = link.split("/", 3)[3] if link.count("/") >= 3 else ""
        if pattern is not None:
            if not pattern.search("/" + path):
                continue
        elif courlan.is_navigation_page(link) or courlan.is_not_crawlable(link) or not path:
            continue
        seen.setdefault(link.split("#")[0], None)
    return list(seen)


def looks_like_link_list(html: str | bytes, text: str, shape: HubShape = HubShape()) -> bool:
    """True when `text` (the page's extracted article text) is mostly the page's link texts
    (see `HubShape`)."""
    folded = _fold(text)
    total = len(folded.split())
    if total < shape.min_links * shape.min_link_words:
        return False
    try:
        doc = _parse(html, "")
    except DiscoveryError:
        return False
    anchors = {
        anchor
        for a in doc.iter("a")
        if len((anchor := _fold(a.text_content())).split()) >= shape.min_link_words
    }
    found = [a for a in anchors if a in folded]
    if len(found) < shape.min_links:
        return False
    linked = sum(len(a.split()) * folded.count(a) for a in found)
    return linked / total >= shape.min_linked_share


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _parse(html: str | bytes, url: str) -> lxml.html.HtmlElement:
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise DiscoveryError(url, f"not an HTML page ({exc})") from None
