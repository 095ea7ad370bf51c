"""Atom feeds of changes validate: feedparser reads them back, no bozo flag, entries match."""

from __future__ import annotations

from datetime import UTC, datetime

import feedparser
from palimpsest.notify.feed import FeedItem, atom_feed, version_urn

ITEMS = [
    FeedItem(
        "http://127.0.0.1:9/news/minerals",
        3,
        "Minerals deal <b>signed</b>",
        datetime(2026, 12, 2, 4, 0, tzinfo=UTC),
        "1 edited [number]",
        True,
        "http://127.0.0.1:8080/diff?url=x&from=2&to=3",
    ),
    FeedItem(
        "http://127.0.0.1:9/news/other",
        1,
        "",
        datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        "",
    ),
]


def test_the_feed_is_valid_atom_with_one_entry_per_change() -> None:
    body = atom_feed(
        ITEMS,
        title="Palimpsest: changes",
        feed_id="urn:palimpsest:changes",
        self_link="http://127.0.0.1:8080/feed.atom",
    )
    parsed = feedparser.parse(body)

    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.id for e in parsed.entries] == [
        version_urn("http://127.0.0.1:9/news/minerals", 3),
        version_urn("http://127.0.0.1:9/news/other", 1),
    ]
    first, second = parsed.entries
    assert first.title == "Minerals deal <b>signed</b> (v3, substantive)"  # text, escaped
    assert first.link == "http://127.0.0.1:8080/diff?url=x&from=2&to=3"
    assert first.summary == "1 edited [number]"
    assert (second.title, second.link) == (
        "http://127.0.0.1:9/news/other (v1)",
        "http://127.0.0.1:9/news/other",
    )
    assert parsed.feed.updated.startswith("2026-12-02T04:00:00")


def test_an_empty_selection_is_still_a_valid_feed() -> None:
    parsed = feedparser.parse(atom_feed([], title="none", feed_id="urn:palimpsest:none"))
    assert not parsed.bozo and parsed.entries == []
