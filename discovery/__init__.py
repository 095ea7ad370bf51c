"""discovery: find new article URLs on feeds and section pages (plain values in, URLs out).

- `feed_entries(body, url)`: the entries of an RSS, Atom or JSON Feed document (feedparser for
  the XML dialects, the JSON Feed 1.1 spec for JSON), each with its absolute link.
- `section_links(html, url, match)`: article links on a front or section page, same host,
  filtered by a URL pattern.
- `canonical_url(url)`: the one URL a discovered article is tracked under (tracking
  parameters such as `utm_*` and the fragment removed, via courlan).
- `looks_like_link_list(html)`: whether a page is a hub of links rather than an article.

Like every stage it never imports Prefect or another stage; the flow fetches (politely,
conditionally) and hands the bytes here. Errors: `DiscoveryError` (names the URL).
"""

from __future__ import annotations

from palimpsest.discovery.canonical import canonical_url
from palimpsest.discovery.errors import DiscoveryError
from palimpsest.discovery.feeds import FeedEntry, feed_entries
from palimpsest.discovery.sections import looks_like_link_list, section_links

__all__ = [
    "DiscoveryError",
    "FeedEntry",
    "canonical_url",
    "feed_entries",
    "looks_like_link_list",
    "section_links",
]
