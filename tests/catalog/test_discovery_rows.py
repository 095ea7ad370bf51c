"""Discovered sources in the catalog (SQLite and PostgreSQL): first finder wins, tags kept,
retirement derived from the last change, followed pages keep their validators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from palimpsest.catalog import CheckRow, DiscoveredRow, PageRow, open_catalog

from .test_catalog import hourly, version

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
A = "http://127.0.0.1:9/2026/11/01/a"
B = "http://127.0.0.1:9/2026/11/01/b"
FEED = "http://127.0.0.1:9/feed.xml"


def test_discovered_sources_first_finder_wins_and_keep_their_tags(catalog_url: str) -> None:
    catalog = open_catalog(catalog_url, schedule=hourly)
    catalog.sync_listings([(B, ("listed",), None)])  # B is listed by hand already

    added = catalog.add_discovered(
        [DiscoveredRow(A, "feed", FEED, ("world",)), DiscoveredRow(B, "feed", FEED, ("world",))]
    )
    again = catalog.add_discovered([DiscoveredRow(A, "section", "http://127.0.0.1:9/", ())])

    assert (added, again) == ([A], [])
    assert catalog.origins()[A] == ("feed", FEED)
    assert catalog.origins()[B] == ("listed", None)
    [info] = catalog.sources(tag="world")
    assert info.url == A


def test_a_quiet_discovered_source_retires_and_keeps_its_history(catalog_url: str) -> None:
    catalog = open_catalog(catalog_url, schedule=hourly)
    catalog.add_discovered([DiscoveredRow(A, "feed", FEED), DiscoveredRow(B, "feed", FEED)])
    catalog.add_version(version(1, T0, "Old story.", url=A))
    catalog.add_check(CheckRow(id="check-a-1", url=A, checked_at=T0, outcome="new", version=1))
    now = T0 + timedelta(days=40)

    due = catalog.discovered_due(now, quiet_since=now - timedelta(days=30))

    assert due == [B]  # B was never checked; A has been quiet for 40 days
    assert catalog.retired(now - timedelta(days=30)) == [A]
    assert catalog.timeline(A) is not None and len(catalog.timeline(A).versions) == 1


def test_a_followed_page_keeps_its_validators(catalog_url: str) -> None:
    catalog = open_catalog(catalog_url, schedule=hourly)
    assert catalog.page(FEED) is None
    catalog.put_page(PageRow(FEED, "feed", T0, 200, '"v1"', None, 50))
    catalog.put_page(PageRow(FEED, "feed", T0 + timedelta(hours=1), 304, '"v1"', None, 50))

    page = catalog.page(FEED)
    assert page is not None and (page.status, page.etag, page.links) == (304, '"v1"', 50)
