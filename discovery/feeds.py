"""Entries of RSS 0.9x/1.0/2.0, Atom 1.0 and JSON Feed 1.x documents."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urljoin

import feedparser
from palimpsest.discovery.errors import DiscoveryError

_JSON_FEED = "https://jsonfeed.org/version/"


@dataclass(frozen=True)
class FeedEntry:
    url: str  # absolute, as the feed gives it (not yet canonical)
    title: str = ""
    published: str = ""  # as the feed states it, ISO 8601 when the feed has one


def feed_entries(body: bytes, url: str) -> list[FeedEntry]:
    """Every entry with an http(s) link, in feed order, or `DiscoveryError` when the document
    is not a feed at all (a feed that parses with recoverable errors still gives its
    entries)."""
    head = body.lstrip()[:1]
    if head in (b"{", b"["):
        return _json_feed(body, url)
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    entries = []
    for entry in parsed.entries:
        link = _entry_link(entry)
        if link:
            entries.append(
                FeedEntry(
                    urljoin(url, link),
                    str(entry.get("title", "")).strip(),
                    str(entry.get("published") or entry.get("updated") or ""),
                )
            )
    entries = _http_only(entries)
    if not entries and (parsed.bozo or not parsed.version):
        # a feed that parses with recoverable errors still gives the entries it has
        reason = parsed.get("bozo_exception") or "no RSS, Atom or JSON Feed document"
        raise DiscoveryError(url, f"not a readable feed ({reason})")
    return entries


def _entry_link(entry: feedparser.FeedParserDict) -> str:
    """The entry's alternate (HTML) link; Atom entries may list several links."""
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return str(entry.get("link", "") or "")


def _json_feed(body: bytes, url: str) -> list[FeedEntry]:
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise DiscoveryError(url, f"not a readable JSON Feed ({exc})") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(_JSON_FEED):
        raise DiscoveryError(url, "JSON document is not a JSON Feed (no jsonfeed.org version)")
    items = doc.get("items")
    if not isinstance(items, list):
        raise DiscoveryError(url, "JSON Feed has no items list")
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if isinstance(link, str) and link:
            entries.append(
                FeedEntry(
                    urljoin(url, link),
                    str(item.get("title", "")).strip(),
                    str(item.get("date_published", "")),
                )
            )
    return _http_only(entries)


def _http_only(entries: list[FeedEntry]) -> list[FeedEntry]:
    return [e for e in entries if e.url.startswith(("http://", "https://"))]
