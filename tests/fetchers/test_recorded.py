"""Fetcher behaviour on well-behaved pages, replayed from cassettes recorded against
`FixtureServer` (see conftest.py for how ports are made stable)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest
from palimpsest.fetchers import (
    Fetched,
    HTTPStatusError,
    RobotsDisallowed,
    UnsupportedContentType,
    Validators,
)

pytestmark = pytest.mark.vcr

ETAG = '"article-v1"'
MODIFIED = "Mon, 02 Mar 2026 09:30:00 GMT"


def requests_made(cassette) -> int:
    """Requests the test made: replayed ones on replay, recorded ones while recording."""
    return cassette.play_count if cassette.rewound else len(cassette.requests)


def header_names(pairs: list[tuple[str, str]]) -> set[str]:
    return {name.lower() for name, _ in pairs}


def test_fetches_an_article_with_its_capture_details(make_fetcher, fixture_base, clock) -> None:
    fetcher = make_fetcher()
    before = datetime.now(UTC)

    page = fetcher.fetch(fixture_base + "/article")

    assert isinstance(page, Fetched)
    assert page.status == 200 and page.reason == "OK" and not page.not_modified
    assert page.url == page.final_url == fixture_base + "/article"
    assert page.body.startswith(b"<!DOCTYPE html>") and "Café".encode() in page.body
    assert page.encoding == "utf-8"
    assert page.http_version == "HTTP/1.1"
    assert page.attempts == 1
    assert page.fetched_at.tzinfo is UTC and page.fetched_at >= before.replace(microsecond=0)
    assert page.elapsed >= 0
    assert page.validators == Validators(etag=ETAG, last_modified=MODIFIED)
    assert page.header("content-type") == "text/html; charset=utf-8"
    assert page.header("Content-Length") == str(len(page.body))
    sent = dict(page.request_headers)
    assert sent["User-Agent"].startswith("Palimpsest/")
    assert "+https://" in sent["User-Agent"]  # a contact URL
    assert "if-none-match" not in header_names(page.request_headers)
    assert clock.sleeps == []


def test_second_fetch_is_conditional_and_reports_not_modified(make_fetcher, fixture_base) -> None:
    fetcher = make_fetcher()
    first = fetcher.fetch(fixture_base + "/article")

    second = fetcher.fetch(fixture_base + "/article", first.validators)

    assert second.status == 304 and second.not_modified
    assert second.body == b"" and second.encoding is None
    sent = {name.lower(): value for name, value in second.request_headers}
    assert sent["if-none-match"] == ETAG
    assert sent["if-modified-since"] == MODIFIED
    assert second.validators.etag == ETAG


def test_last_modified_alone_makes_a_conditional_request(make_fetcher, fixture_base) -> None:
    fetcher = make_fetcher()
    first = fetcher.fetch(fixture_base + "/dated")
    assert first.validators == Validators(etag=None, last_modified=MODIFIED)

    second = fetcher.fetch(fixture_base + "/dated", first.validators)

    assert second.not_modified
    assert dict(second.request_headers)["If-Modified-Since"] == MODIFIED
    assert "if-none-match" not in header_names(second.request_headers)


def test_stale_validators_get_the_full_page(make_fetcher, fixture_base) -> None:
    page = make_fetcher().fetch(fixture_base + "/article", Validators(etag='"article-v0"'))

    assert page.status == 200 and page.body.startswith(b"<!DOCTYPE html>")
    assert dict(page.request_headers)["If-None-Match"] == '"article-v0"'


def test_redirects_are_followed_hop_by_hop(make_fetcher, fixture_base) -> None:
    page = make_fetcher().fetch(fixture_base + "/moved")

    assert page.url == fixture_base + "/moved"
    assert page.final_url == fixture_base + "/article?from=hop"
    assert page.status == 200 and page.validators.etag == ETAG
    assert [(hop.url, hop.status) for hop in page.hops] == [  # kept for the capture, in order
        (fixture_base + "/moved", 301),
        (fixture_base + "/hop", 302),
    ]
    assert {k.lower(): v for k, v in page.hops[0].headers}["location"] == "/hop"
    assert page.hops[0].fetched_at <= page.hops[1].fetched_at <= page.fetched_at


def test_gzip_response_is_kept_as_received_beside_the_decoded_body(
    make_fetcher, fixture_base
) -> None:
    page = make_fetcher().fetch(fixture_base + "/gzipped")

    assert page.body.startswith(b"<!DOCTYPE html>")
    assert page.header("Content-Encoding") == "gzip"  # headers as the server sent them
    assert page.raw == gzip.compress(page.body, mtime=0)  # the bytes as the server sent them
    assert page.header("Content-Length") == str(len(page.raw))
    assert not any(name.lower().startswith("x-palimpsest") for name, _ in page.headers)
    assert dict(page.request_headers)["Accept-Encoding"] == "gzip, deflate"


def test_charset_comes_from_the_meta_declaration(make_fetcher, fixture_base) -> None:
    page = make_fetcher().fetch(fixture_base + "/cp1252")

    assert page.encoding == "cp1252"
    assert "\u201cQuoted\u201d \u2013 na\u00efve" in page.body.decode(page.encoding)


def test_xhtml_is_accepted_with_its_xml_declared_charset(make_fetcher, fixture_base) -> None:
    page = make_fetcher().fetch(fixture_base + "/xhtml")

    assert page.encoding == "iso8859-2"
    assert "Łódź" in page.body.decode(page.encoding)


def test_a_404_fails_at_once_without_retrying(make_fetcher, fixture_base, clock, vcr) -> None:
    with pytest.raises(HTTPStatusError) as caught:
        make_fetcher(retries=3).fetch(fixture_base + "/gone")

    assert caught.value.status == 404
    assert str(caught.value) == f"{fixture_base}/gone: HTTP 404 Not Found"
    assert clock.sleeps == []
    assert [r.path for r in vcr.requests] == ["/robots.txt", "/gone"]
    assert requests_made(vcr) == 2  # robots.txt and one GET: no retry


def test_json_is_refused_naming_its_type(make_fetcher, fixture_base) -> None:
    with pytest.raises(UnsupportedContentType) as caught:
        make_fetcher().fetch(fixture_base + "/data.json")

    assert caught.value.content_type == "application/json"
    assert "application/json" in str(caught.value)
    assert str(caught.value).startswith(fixture_base + "/data.json")


def test_robots_disallowed_url_is_never_requested(make_fetcher, fixture_base, vcr) -> None:
    fetcher = make_fetcher()

    with pytest.raises(RobotsDisallowed) as caught:
        fetcher.fetch(fixture_base + "/private/notes")

    assert "robots.txt" in caught.value.reason
    assert caught.value.url == fixture_base + "/private/notes"
    # The cassette holds only robots.txt: fetching the page would have raised
    # CannotOverwriteExistingCassetteException instead of RobotsDisallowed.
    assert [r.path for r in vcr.requests][:1] == ["/robots.txt"]
    assert requests_made(vcr) == 1
    # robots.txt is cached: an allowed page on the same host costs one request, not two.
    fetcher.fetch(fixture_base + "/article")
    assert requests_made(vcr) == 2
