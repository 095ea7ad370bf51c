"""Response-header helpers: the Content-Type and Content-Length checks."""

from __future__ import annotations

import re
from collections.abc import Mapping

from palimpsest.fetchers.errors import UnsupportedContentType

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# What discovery reads besides HTML section pages: RSS, Atom, RDF and JSON feeds.
FEED_TYPES = HTML_TYPES | frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
        "application/json",
    }
)
# What a browser's HTML sniffing would accept when a server sends no Content-Type at all.
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|\?xml)", re.I | re.S
)


def media_type(content_type: str | None) -> str | None:
    """ "text/html" from "Text/HTML; charset=utf-8"; None for a missing or empty header."""
    if not content_type:
        return None
    value = content_type.split(";", 1)[0].strip().lower()
    return value or None


def check_content_type(
    url: str, content_type: str | None, body: bytes | None, accept: frozenset[str] = HTML_TYPES
) -> str | None:
    """Raise `UnsupportedContentType` unless the response is HTML/XHTML (or of `accept`).

    With a Content-Type header the declared media type decides (checked before any body is
    read). Without one, returns None so the caller reads the body and calls again with it:
    a body that starts like an HTML document is accepted, anything else is refused."""
    declared = media_type(content_type)
    if declared is not None:
        if declared not in accept:
            raise UnsupportedContentType(url, declared)
        return declared
    if body is None:
        return None
    if _HTML_START.match(body[:2048]):
        return "text/html"
    raise UnsupportedContentType(url, "none (no Content-Type header; body is not HTML)")


def content_length(headers: Mapping[str, str]) -> int | None:
    """The Content-Length as an int, or None when absent or not a single non-negative number."""
    value = headers.get("Content-Length")
    if value is None:
        return None
    parts = {part.strip() for part in value.split(",")}  # repeated identical values are legal
    if len(parts) != 1:
        return None
    text = parts.pop()
    return int(text) if text.isdigit() else None
