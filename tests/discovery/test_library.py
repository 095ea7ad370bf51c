"""discovery as a plain library: feeds, section pages, canonical URLs, hubs (table-driven)."""

from __future__ import annotations

import json

import pytest
from palimpsest.discovery import (
    DiscoveryError,
    canonical_url,
    feed_entries,
    looks_like_link_list,
    section_links,
)

BASE = "http://127.0.0.1:8000"

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>World</title><id>urn:x</id><updated>2026-12-01T10:00:00Z</updated>
  <entry><title>First</title><id>urn:1</id><updated>2026-12-01T10:00:00Z</updated>
    <link rel="alternate" href="{BASE}/2026/12/01/first"/>
    <link rel="enclosure" href="{BASE}/media/first.jpg"/></entry>
  <entry><title>Second</title><id>urn:2</id><updated>2026-12-01T09:00:00Z</updated>
    <link href="/2026/12/01/second?utm_source=atom"/></entry>
</feed>""".encode()

RSS = f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>World</title><link>{BASE}/</link>
  <item><title>Third</title><link>{BASE}/2026/12/01/third</link>
    <pubDate>Tue, 01 Dec 2026 08:00:00 GMT</pubDate></item>
  <item><title>No link</title></item>
  <item><title>Mail</title><link>mailto:desk@example.org</link></item>
</channel></rss>""".encode()

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "World",
        "items": [
            {"id": "1", "url": f"{BASE}/2026/12/01/fourth", "title": "Fourth"},
            {"id": "2", "external_url": f"{BASE}/2026/12/01/fifth"},
            {"id": "3", "content_text": "no link"},
        ],
    }
).encode()


@pytest.mark.parametrize(
    ("body", "urls"),
    [
        (ATOM, [f"{BASE}/2026/12/01/first", f"{BASE}/2026/12/01/second?utm_source=atom"]),
        (RSS, [f"{BASE}/2026/12/01/third"]),
        (JSON_FEED, [f"{BASE}/2026/12/01/fourth", f"{BASE}/2026/12/01/fifth"]),
    ],
    ids=["atom", "rss", "json-feed"],
)
def test_feed_entries_give_each_article_link_once(body: bytes, urls: list[str]) -> None:
    assert [e.url for e in feed_entries(body, f"{BASE}/feed")] == urls


def test_feed_entries_keep_titles_and_dates() -> None:
    first = feed_entries(ATOM, f"{BASE}/feed")[0]
    assert (first.title, first.published[:10]) == ("First", "2026-12-01")


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body><p>not a feed</p></body></html>",
        b"\x00\x01 binary",
        b'{"version": "1", "items": []}',
        b"{not json",
        b'{"version": "https://jsonfeed.org/version/1.1", "items": 3}',
    ],
    ids=["html", "binary", "json-not-feed", "bad-json", "items-not-list"],
)
def test_a_document_that_is_not_a_feed_is_one_error_naming_the_url(body: bytes) -> None:
    with pytest.raises(DiscoveryError, match=r"^http://127\.0\.0\.1:8000/feed: "):
        feed_entries(body, f"{BASE}/feed")


def test_a_truncated_feed_still_gives_the_entries_before_the_break() -> None:
    cut = ATOM[: ATOM.index(b"<entry><title>Second")]
    assert [e.url for e in feed_entries(cut, f"{BASE}/feed")] == [f"{BASE}/2026/12/01/first"]


SECTION = f"""<html><head><base href="{BASE}/world/"></head><body>
<nav><a href="/">Home</a> <a href="/tag/ukraine">Ukraine</a> <a href="/login">Log in</a></nav>
<a href="/2026/12/01/first">First</a>
<a href="{BASE}/2026/12/01/first#comments">First (comments)</a>
<a href="2026/12/01/relative">Relative to the base</a>
<a href="https://other.example/2026/12/01/elsewhere">Elsewhere</a>
<a href="javascript:void(0)">Menu</a> <a href="mailto:desk@example.org">Mail</a>
<a href="/about/team">Team</a>
</body></html>"""


@pytest.mark.parametrize(
    ("match", "links"),
    [
        (
            "/20[0-9][0-9]/",
            [f"{BASE}/2026/12/01/first", f"{BASE}/world/2026/12/01/relative"],
        ),
        (
            None,  # courlan's rules leave out navigation and login pages, the home page
            [f"{BASE}/2026/12/01/first", f"{BASE}/world/2026/12/01/relative", f"{BASE}/about/team"],
        ),
    ],
    ids=["with-pattern", "without-pattern"],
)
def test_section_links_stay_on_site_and_follow_the_pattern(
    match: str | None, links: list[str]
) -> None:
    assert section_links(SECTION, f"{BASE}/world/", match) == links


def test_a_bad_pattern_names_the_section() -> None:
    with pytest.raises(DiscoveryError, match="world/: match pattern"):
        section_links(SECTION, f"{BASE}/world/", "([")


@pytest.mark.parametrize(
    ("spellings", "canonical"),
    [
        (
            [
                f"{BASE}/2026/12/01/first",
                f"{BASE}/2026/12/01/first?utm_source=rss&utm_medium=feed",
                f"{BASE}/2026/12/01/first#comments",
                f"{BASE}/2026/12/01/first?fbclid=abc",
            ],
            f"{BASE}/2026/12/01/first",
        ),
        (  # the article's own parameter is kept: it may be the article
            ["HTTP://127.0.0.1:8000/story.php?utm_campaign=x&sid=7"],
            f"{BASE}/story.php?sid=7",
        ),
    ],
)
def test_one_article_has_one_canonical_url(spellings: list[str], canonical: str) -> None:
    assert {canonical_url(u) for u in spellings} == {canonical}


HEADLINES = [f"Minister resigns over the harbour contract, part {i}" for i in range(8)]
HUB = (
    "<html><body><nav><a href='/'>Home</a></nav><ul>"
    + "".join(f'<li><a href="/2026/12/01/{i}">{h}</a></li>' for i, h in enumerate(HEADLINES))
    + "</ul></body></html>"
)
PROSE = [
    f"The minister said on Tuesday that the contract, number {i}, was signed." for i in range(8)
]
ARTICLE = (
    "<html><body><nav>"
    + "".join(f'<a href="/2026/12/01/{i}">{h}</a>' for i, h in enumerate(HEADLINES))
    + "</nav>"
    + "".join(f"<p>{p}</p>" for p in PROSE)
    + "</body></html>"
)


@pytest.mark.parametrize(
    ("html", "text", "hub"),
    [
        (HUB, "\n".join(HEADLINES), True),  # a section page: its "text" is its headlines
        (HUB, "\n".join(HEADLINES[:6] + PROSE[:2]), True),  # headlines with a short intro
        (ARTICLE, "\n".join(PROSE), False),  # an article under a menu of the same links
        (ARTICLE, "\n".join(PROSE[:3] + HEADLINES[:2]), False),  # a story with 2 related
        (HUB, "\n".join(HEADLINES[:3]), False),  # too few lines to say
        ("", "\n".join(HEADLINES), False),  # no page to compare with
    ],
    ids=["hub", "hub-with-intro", "article", "article-with-related", "few-lines", "no-html"],
)
def test_a_list_of_links_is_told_from_an_article(html: str, text: str, hub: bool) -> None:
    assert looks_like_link_list(html, text) is hub
