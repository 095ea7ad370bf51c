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
    """When a page is a list of links, not an article: most of its words sit inside links,
    and it has many of them. An article keeps most of its words in running text even under a
    large menu (a 600-word story under 150 words of navigation is a quarter links)."""

    min_links: int = 20
    min_link_share: float = 0.5


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


def looks_like_link_list(html: str | bytes, shape: HubShape = HubShape()) -> bool:
    """True when the page's body is mostly link text (see `HubShape`)."""
    try:
        doc = _parse(html, "")
    except DiscoveryError:
        return False
    body = doc.find("body")
    root = body if body is not None else doc
    for junk in root.iter("script", "style", "noscript", "template"):
        junk.text = None
    links = list(root.iter("a"))
    if len(links) < shape.min_links:
        return False
    total = len(root.text_content().split())
    linked = sum(len(a.text_content().split()) for a in links)
    return total > 0 and linked / total >= shape.min_link_share


def _parse(html: str | bytes, url: str) -> lxml.html.HtmlElement:
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise DiscoveryError(url, f"not an HTML page ({exc})") from None
