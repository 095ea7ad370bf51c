"""Retries, limits and broken transfers against the live `FaultServer` on 127.0.0.1.

Sleeps go to the fake clock (see conftest): the tests assert the waits the fetcher asked for.
"""

from __future__ import annotations

import pytest
from palimpsest.fetchers import (
    FetchError,
    HTTPStatusError,
    InvalidURL,
    NetworkError,
    TooLarge,
    TooManyRedirects,
    TruncatedBody,
    UnsupportedContentType,
)

MB = 1024 * 1024


def page_requests(server, path: str) -> int:
    return server.count(path)


# -- retries ---------------------------------------------------------------------------------


def test_503_with_retry_after_is_retried_to_success(make_fetcher, fault, clock) -> None:
    path = "/flaky?fail=1&status=503&retry_after=2"

    page = make_fetcher().fetch(fault.url(path))

    assert page.status == 200 and page.body.startswith(b"<!DOCTYPE html>")
    assert page.attempts == 2
    assert page_requests(fault, path) == 2
    assert clock.sleeps == [2.0]  # exactly what Retry-After asked for


def test_retries_are_logged(make_fetcher, fault, caplog) -> None:
    caplog.set_level("INFO", logger="palimpsest.fetchers")
    url = fault.url("/status?code=503")

    with pytest.raises(HTTPStatusError):
        make_fetcher(retries=1).fetch(url)

    messages = [r.getMessage() for r in caplog.records]
    assert messages[0].startswith(f"{url}: HTTP 503 Service Unavailable; retry 1 of 1 in ")
    assert messages[1] == f"{url}: HTTP 503 Service Unavailable (gave up after 2 attempts)"


def test_retry_after_is_capped(make_fetcher, fault, clock) -> None:
    page = make_fetcher(retry_after_cap=5.0).fetch(
        fault.url("/flaky?fail=1&status=503&retry_after=86400")
    )

    assert page.status == 200
    assert clock.sleeps == [5.0]


def test_retry_after_as_an_http_date(make_fetcher, fault, clock) -> None:
    page = make_fetcher().fetch(fault.url("/retry-date?seconds=30"))

    assert page.status == 200 and page.attempts == 2
    assert len(clock.sleeps) == 1 and 27.0 <= clock.sleeps[0] <= 30.0


def test_429_is_retried_with_jittered_exponential_backoff(make_fetcher, fault, clock) -> None:
    path = "/flaky?fail=3&status=429"

    page = make_fetcher(retries=3, backoff_base=0.5).fetch(fault.url(path))

    assert page.status == 200 and page.attempts == 4
    assert len(clock.sleeps) == 3
    for n, wait in enumerate(clock.sleeps, start=1):
        assert 0.0 <= wait <= 0.5 * 2 ** (n - 1)
    assert len(set(clock.sleeps)) == 3  # jittered, not a fixed schedule


def test_5xx_that_persists_fails_after_the_configured_retries(make_fetcher, fault, clock) -> None:
    with pytest.raises(HTTPStatusError) as caught:
        make_fetcher(retries=2).fetch(fault.url("/status?code=502"))

    assert caught.value.status == 502
    assert page_requests(fault, "/status?code=502") == 3  # first attempt + 2 retries
    assert len(clock.sleeps) == 2


@pytest.mark.parametrize("code", [400, 401, 403, 404, 410])
def test_other_4xx_are_not_retried(make_fetcher, fault, clock, code: int) -> None:
    path = f"/status?code={code}"
    with pytest.raises(HTTPStatusError) as caught:
        make_fetcher(retries=3).fetch(fault.url(path))

    assert caught.value.status == code
    assert page_requests(fault, path) == 1
    assert clock.sleeps == []


def test_refused_connection_is_a_network_error_after_retries(make_fetcher, clock) -> None:
    import socket

    with socket.socket() as sock:  # a port that was just free: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/page"

    with pytest.raises(NetworkError) as caught:
        make_fetcher(retries=2, obey_robots=False).fetch(url)

    assert caught.value.url == url and url in str(caught.value)
    assert len(clock.sleeps) == 2


def test_stall_before_headers_times_out(make_fetcher, fault) -> None:
    with pytest.raises(NetworkError) as caught:
        make_fetcher(timeout=0.2, retries=0).fetch(fault.url("/stall?seconds=1.5"))

    assert "timed out" in caught.value.reason


def test_validators_round_trip_byte_for_byte(make_fetcher, fault) -> None:
    fetcher = make_fetcher()
    first = fetcher.fetch(fault.url("/etag"))
    assert first.validators.etag == '"caf\xe9-1"'

    assert fetcher.fetch(fault.url("/etag"), first.validators).not_modified


# -- broken bodies: never a Fetched ----------------------------------------------------------


def test_body_shorter_than_content_length_fails_cleanly(make_fetcher, fault, clock) -> None:
    with pytest.raises(TruncatedBody) as caught:
        make_fetcher(retries=1).fetch(fault.url("/truncated"))

    assert "5000" in caught.value.reason
    assert page_requests(fault, "/truncated") == 2  # retried once, then failed
    assert caught.value.url in str(caught.value)


def test_reset_mid_body_fails_cleanly(make_fetcher, fault) -> None:
    with pytest.raises(TruncatedBody) as caught:
        make_fetcher(retries=1).fetch(fault.url("/reset"))

    assert "10000" in caught.value.reason
    assert page_requests(fault, "/reset") == 2


def test_truncated_body_is_retried_to_success(make_fetcher, fault) -> None:
    page = make_fetcher(retries=2).fetch(fault.url("/truncated?ok_after=1"))

    assert page.status == 200 and page.attempts == 2
    assert page.header("Content-Length") == str(len(page.body))


def test_stall_mid_body_is_a_truncated_body(make_fetcher, fault) -> None:
    with pytest.raises(TruncatedBody) as caught:
        make_fetcher(timeout=0.2, retries=0).fetch(fault.url("/stall?seconds=1.5&where=body"))

    assert "timed out" in caught.value.reason


def test_slow_drip_body_hits_the_transfer_deadline(make_fetcher, fault) -> None:
    fetcher = make_fetcher(timeout=1.0, transfer_timeout=0.3, retries=0)
    with pytest.raises(TruncatedBody) as caught:
        fetcher.fetch(fault.url("/drip?every=0.05"))

    assert "still incomplete after 0.3 s" in caught.value.reason


# -- limits ----------------------------------------------------------------------------------


def test_a_60_mb_page_fails_before_its_body_is_read(make_fetcher, fault) -> None:
    with pytest.raises(TooLarge) as caught:
        make_fetcher().fetch(fault.url("/huge?mb=60"))  # default 20 MB limit

    assert caught.value.size == 60 * MB and caught.value.limit == 20 * MB
    assert "exceeds" in str(caught.value)
    assert page_requests(fault, "/huge?mb=60") == 1  # too large is final: no retry


def test_a_body_without_length_is_cut_off_at_the_limit(make_fetcher, fault) -> None:
    path = "/huge?mb=8&length=no"
    with pytest.raises(TooLarge):
        make_fetcher(max_bytes=1 * MB).fetch(fault.url(path))

    assert page_requests(fault, path) == 1


def test_a_compression_bomb_is_limited_by_decoded_size(make_fetcher, fault) -> None:
    with pytest.raises(TooLarge):
        make_fetcher(max_bytes=1 * MB).fetch(fault.url("/bomb?mb=5"))


@pytest.mark.parametrize(
    ("content_type", "named"),
    [("application/pdf", "application/pdf"), ("image/png; q=1", "image/png")],
)
def test_non_html_is_refused_naming_the_type(make_fetcher, fault, content_type, named) -> None:
    with pytest.raises(UnsupportedContentType) as caught:
        make_fetcher().fetch(fault.url(f"/typed?type={content_type}"))

    assert caught.value.content_type == named and named in str(caught.value)


def test_missing_content_type_is_sniffed(make_fetcher, fault) -> None:
    page = make_fetcher().fetch(fault.url("/typed"))
    assert page.status == 200 and page.encoding == "utf-8"

    with pytest.raises(UnsupportedContentType) as caught:
        make_fetcher().fetch(fault.url("/typed?body=plain"))
    assert "no Content-Type" in caught.value.reason


# -- redirects -------------------------------------------------------------------------------


def test_redirect_loop_is_detected(make_fetcher, fault) -> None:
    with pytest.raises(TooManyRedirects) as caught:
        make_fetcher().fetch(fault.url("/loop/a"))

    assert "loop" in caught.value.reason
    assert fault.count("/loop/a") == 1 and fault.count("/loop/b") == 1


def test_redirect_hops_are_bounded(make_fetcher, fault) -> None:
    assert make_fetcher(max_redirects=3).fetch(fault.url("/chain/3")).status == 200

    with pytest.raises(TooManyRedirects) as caught:
        make_fetcher(max_redirects=3).fetch(fault.url("/chain/4"))
    assert "more than 3 redirects" in caught.value.reason
    assert fault.count("/chain/0") == 1  # only the successful run reached the end


def test_redirect_to_a_non_http_scheme_is_refused(make_fetcher, fault) -> None:
    with pytest.raises(InvalidURL) as caught:
        make_fetcher().fetch(fault.url("/redirect?to=ftp://127.0.0.1/file"))

    assert "ftp" in caught.value.reason


def test_every_failure_is_a_fetch_error_naming_the_url(make_fetcher, fault) -> None:
    fetcher = make_fetcher(retries=0, max_bytes=MB, timeout=0.2)
    for path in ["/status?code=500", "/truncated", "/reset", "/huge?mb=2", "/typed?type=a/b"]:
        url = fault.url(path)
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(url)
        assert str(caught.value).startswith(url + ": ")
        assert caught.value.reason and "\n" not in caught.value.reason
