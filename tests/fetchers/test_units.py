"""The fetcher's pure helpers: URL normalisation, retry timing, headers, settings (charsets:
tests/text/test_charset.py)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import httpx
import pytest
from palimpsest.fetchers import (
    Fetched,
    FetchError,
    FetchSettings,
    HTTPStatusError,
    InvalidURL,
    NetworkError,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    TruncatedBody,
    UnsupportedContentType,
    Validators,
    make_client,
    normalize_url,
)
from palimpsest.fetchers.headers import content_length
from palimpsest.fetchers.retry import backoff, is_retryable_status, parse_retry_after
from palimpsest.fetchers.robots import product_token


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("HTTP://Example.COM:80/a b?x=1&y=2#frag", "http://example.com/a%20b?x=1&y=2"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:443/p", "https://example.com/p"),
        ("http://example.com:8080/p", "http://example.com:8080/p"),
        ("  https://news.example/story?id=7  ", "https://news.example/story?id=7"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("http://[::1]:8080/p", "http://[::1]:8080/p"),
        ("http://127.0.0.1:9/robots.txt", "http://127.0.0.1:9/robots.txt"),
    ],
)
def test_normalize_url(raw: str, normal: str) -> None:
    assert normalize_url(raw) == normal
    assert normalize_url(normal) == normal  # idempotent


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("ftp://example.com/file", "scheme 'ftp'"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("/relative/path", "relative"),
        ("", "empty"),
        ("http://", "no host"),
        ("http://exa mple.com/", "invalid host"),
        ("http://example.com:99999/", "out of range"),
        ("http://a..b/", "invalid host"),
    ],
)
def test_normalize_url_rejects(raw: str, why: str) -> None:
    with pytest.raises(InvalidURL) as caught:
        normalize_url(raw)
    assert why in caught.value.reason


def test_credentials_in_urls_are_refused_and_never_echoed() -> None:
    with pytest.raises(InvalidURL) as caught:
        normalize_url("https://user:hunter2@example.com/")
    assert "hunter2" not in str(caught.value) and "credentials" in caught.value.reason


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(None, None), ("", None), ("120", 120.0), (" 0 ", 0.0), ("soon", None), ("-5", None)],
)
def test_parse_retry_after_seconds(value, seconds) -> None:
    assert parse_retry_after(value) == seconds


def test_parse_retry_after_http_date() -> None:
    now = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Mon, 02 Mar 2026 09:01:30 GMT", now) == 90.0
    assert parse_retry_after("Mon, 02 Mar 2026 08:00:00 GMT", now) == 0.0  # past: no wait


def test_backoff_is_full_jitter_under_an_exponential_ceiling() -> None:
    rng = random.Random(1)
    for attempt in range(1, 8):
        ceiling = min(10.0, 0.5 * 2 ** (attempt - 1))
        waits = [backoff(attempt, 0.5, 10.0, rng) for _ in range(200)]
        assert all(0.0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling * 0.8  # spread over the whole range, not a constant
        assert min(waits) < ceiling * 0.2


@pytest.mark.parametrize(
    ("status", "retry"),
    [
        (429, True),
        (500, True),
        (503, True),
        (599, True),
        (400, False),
        (404, False),
        (403, False),
        (200, False),
        (304, False),
    ],
)
def test_retryable_statuses(status: int, retry: bool) -> None:
    assert is_retryable_status(status) is retry


@pytest.mark.parametrize(
    ("value", "length"),
    [(None, None), ("10", 10), ("10, 10", 10), ("10, 11", None), ("-1", None), ("x", None)],
)
def test_content_length(value, length) -> None:
    headers = httpx.Headers({} if value is None else {"Content-Length": value})
    assert content_length(headers) == length


def test_fetched_accessors() -> None:
    page = Fetched(
        url="https://e.example/a",
        final_url="https://e.example/b",
        status=304,
        reason="Not Modified",
        http_version="HTTP/2",
        request_headers=[("If-None-Match", '"v"')],
        headers=[("etag", '"v2"'), ("Last-Modified", "Mon, 02 Mar 2026 09:30:00 GMT")],
        body=b"",
        encoding=None,
        fetched_at=datetime.now(UTC),
        elapsed=0.1,
        attempts=1,
    )
    assert page.not_modified and page.header("ETAG") == '"v2"' and page.header("x") is None
    assert page.validators == Validators('"v2"', "Mon, 02 Mar 2026 09:30:00 GMT")
    assert Validators().request_headers() == {} and not Validators()
    assert Validators(etag='"v"').request_headers() == {"If-None-Match": '"v"'}


def test_settings_reject_nonsense() -> None:
    with pytest.raises(ValueError, match="host_concurrency=0"):
        FetchSettings(host_concurrency=0)
    with pytest.raises(ValueError, match="timeout"):
        FetchSettings(timeout=0)
    assert FetchSettings().max_bytes == 20 * 1024 * 1024


def test_make_client_applies_the_settings() -> None:
    settings = FetchSettings(timeout=7.5, user_agent="Palimpsest/9 (+https://contact.example)")
    with make_client(settings) as client:
        assert client.headers["User-Agent"] == "Palimpsest/9 (+https://contact.example)"
        assert "text/html" in client.headers["Accept"]
        assert client.timeout == httpx.Timeout(7.5)
        assert client.follow_redirects is False
        pool = client._transport._pool  # type: ignore[attr-defined]
        assert pool._http2 is True  # h2 is installed in this environment


def test_product_token_for_robots_matching() -> None:
    assert product_token("Palimpsest/0.1 (+https://github.com/x/y)") == "Palimpsest"
    assert product_token("Archiver") == "Archiver"


@pytest.mark.parametrize(
    "error",
    [
        InvalidURL("u://x", "bad"),
        RobotsDisallowed("https://e.example/p"),
        HTTPStatusError("https://e.example/p", 500),
        TooLarge("https://e.example/p", 10, 20),
        UnsupportedContentType("https://e.example/p", "image/png"),
        TruncatedBody("https://e.example/p", "body truncated: 1 of 2 bytes"),
        TooManyRedirects("https://e.example/p", "redirect loop"),
        NetworkError("https://e.example/p", "timed out"),
    ],
)
def test_errors_name_their_url_and_reason(error: FetchError) -> None:
    assert isinstance(error, FetchError)
    assert str(error) == f"{error.url}: {error.reason}"
    assert error.reason


def test_error_details() -> None:
    assert RobotsDisallowed("https://e.example/").reason == "disallowed by robots.txt"
    assert HTTPStatusError("https://e.example/", 503).status == 503
    assert "20 bytes exceeds the 10-byte limit" in TooLarge("https://e.example/", 10, 20).reason
