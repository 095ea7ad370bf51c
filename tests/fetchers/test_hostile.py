"""The fetcher against a hostile server on 127.0.0.1: decompression bombs, a total deadline,
and the address guard (SSRF). No test sends a packet outside 127.0.0.0/8: link-local and
private targets are refused at the address check, or through a backend whose resolver is
injected and whose connections are recorded (and refused outside loopback)."""

from __future__ import annotations

import gzip
import time
import tracemalloc
from typing import Any

import httpcore
import httpx
import pytest
from palimpsest.fetchers import (
    Fetcher,
    FetchSettings,
    InvalidURL,
    TooLarge,
    make_client,
    normalize_url,
)
from palimpsest.fetchers.errors import DeadlineExceeded, ForbiddenAddress, UnsupportedEncoding
from palimpsest.fetchers.guard import AddressPolicy, GuardedBackend

MB = 1024 * 1024


# -- decompression bombs ----------------------------------------------------------------------


def test_a_nested_gzip_bomb_fails_at_the_cap_in_bounded_memory(
    make_fetcher, fault, nested_bomb
) -> None:
    """~20 KB on the wire, `Content-Encoding: gzip, gzip`, 10 GiB decoded: TooLarge at the
    cap, the inner layer never held beyond it (Python allocations traced)."""
    fetcher = make_fetcher(max_bytes=4 * MB)
    assert len(nested_bomb) < 32 * 1024
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(TooLarge) as caught:
            fetcher.fetch(fault.url("/nested-bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.limit == 4 * MB and "/nested-bomb" in str(caught.value)
    assert peak < 3 * 4 * MB
    assert time.monotonic() - started < 10


def test_a_nested_bomb_as_robots_txt_is_read_to_its_limit_only(make_fetcher, fault) -> None:
    fault.robots = "bomb"
    page = make_fetcher().fetch(fault.url("/page"))

    assert page.status == 200 and fault.count("/robots.txt") == 1


def test_an_unknown_encoding_fails_that_url_with_its_name(make_fetcher, fault) -> None:
    with pytest.raises(UnsupportedEncoding, match="unsupported Content-Encoding 'br'") as caught:
        make_fetcher().fetch(fault.url("/encoded?coding=br"))
    assert "/encoded" in str(caught.value)


# -- one deadline per URL -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/drip-head?every=0.2", "/continue?every=0.1"])
def test_dripped_headers_and_endless_100_continue_end_at_the_deadline(
    make_fetcher, fault, path
) -> None:
    """Each read gets a byte well within the 1 s read timeout, forever: only the total
    deadline ends it, retries included (3 retries would otherwise each start over)."""
    fetcher = make_fetcher(timeout=1.0, deadline=2.0, retries=3, backoff_base=0.01)
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded) as caught:
        fetcher.fetch(fault.url(path))

    assert 1.9 < time.monotonic() - started < 4.0
    assert "2 s deadline" in caught.value.reason and path.split("?")[0] in str(caught.value)


def test_retry_waits_never_outlast_the_deadline(fault) -> None:
    settings = FetchSettings(timeout=1.0, deadline=1.5, retries=5, host_delay=0)
    with make_client(settings) as client:
        fetcher = Fetcher(client, settings)  # real sleeps
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded) as caught:
            fetcher.fetch(fault.url("/flaky?fail=9&retry_after=1"))
    assert time.monotonic() - started < 2.5
    assert "HTTP 503" in caught.value.reason and fault.count("/flaky?fail=9&retry_after=1") == 2


# -- the address guard ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "policy", "refused"),
    [
        ("169.254.169.254", AddressPolicy(), "cloud metadata"),
        ("169.254.10.1", AddressPolicy(), "link-local"),
        ("fd00:ec2::254", AddressPolicy(), "cloud metadata"),
        ("fe80::1%eth0", AddressPolicy(), "link-local"),
        ("::ffff:169.254.169.254", AddressPolicy(), "cloud metadata"),
        ("169.254.169.254", AddressPolicy(allow_link_local=True), None),
        ("127.0.0.1", AddressPolicy(), None),  # private allowed by default
        ("127.0.0.2", AddressPolicy(allow_private=False), "loopback"),
        ("10.1.2.3", AddressPolicy(allow_private=False), "private"),
        ("192.168.0.9", AddressPolicy(allow_private=False), "private"),
        ("::1", AddressPolicy(allow_private=False), "loopback"),
        ("100.64.0.1", AddressPolicy(allow_private=False), "private"),  # shared (CGNAT)
        ("93.184.215.14", AddressPolicy(allow_private=False), None),
        ("10.1.2.3", AddressPolicy(allow_private=False, allow_networks=("10.1.0.0/16",)), None),
    ],
)
def test_address_policy(address: str, policy: AddressPolicy, refused: str | None) -> None:
    reason = policy.refusal(address)
    if refused is None:
        assert reason is None
    else:
        assert reason is not None and refused in reason and "refused to connect" in reason


class RecordingBackend(httpcore.NetworkBackend):
    """Connects to loopback only, and records every address it is asked to connect to."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self._real = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.asked.append(host)
        if not host.startswith("127."):
            raise AssertionError(f"a test tried to connect to {host}")
        return self._real.connect_tcp(host, port, *args, **kwargs)


def guarded_fetcher(make_fetcher, policy: AddressPolicy, names: dict[str, list[str]]):
    """A fetcher whose resolver knows `names` (anything else must be an IP literal)."""
    inner = RecordingBackend()

    def resolve(host: str, port: int) -> list[str]:
        return names.get(host, [host])

    fetcher = make_fetcher(backend=GuardedBackend(policy, resolve, inner))
    return fetcher, inner


@pytest.mark.parametrize(
    ("target", "names"),
    [
        ("http://metadata.test/latest/meta-data/", {"metadata.test": ["169.254.169.254"]}),
        ("http://v6.test/latest/", {"v6.test": ["fd00:ec2::254"]}),
        ("http://[fe80::1]/", {}),
    ],
)
def test_a_redirect_to_link_local_is_refused_before_connecting(
    make_fetcher, fault, target, names
) -> None:
    fetcher, inner = guarded_fetcher(make_fetcher, AddressPolicy(), names)
    with pytest.raises(ForbiddenAddress) as caught:
        fetcher.fetch(fault.url(f"/redirect?to={target}"))

    assert "refused to connect" in caught.value.reason
    assert "redirected from" in caught.value.reason
    assert all(address.startswith("127.") for address in inner.asked)


def test_a_name_is_checked_on_every_resolution(make_fetcher, fault, other_fault) -> None:
    """DNS rebinding: `news.test` resolves to the local server for the first hop, then to the
    metadata address for the next one (another port: a new connection); it is refused."""
    answers = iter([["127.0.0.1"], ["169.254.169.254"]])
    inner = RecordingBackend()
    backend = GuardedBackend(AddressPolicy(), lambda host, port: next(answers), inner)
    fetcher = make_fetcher(backend=backend, obey_robots=False)
    target = f"http://news.test:{other_fault.port}/page"
    with pytest.raises(ForbiddenAddress, match=r"169\.254\.169\.254"):
        fetcher.fetch(f"http://news.test:{fault.port}/redirect?to={target}")
    assert inner.asked == ["127.0.0.1"] and other_fault.requests == []


def test_private_targets_are_refused_end_to_end_when_not_allowed(
    make_fetcher, fault, private_fault
) -> None:
    """127.0.0.1 is allowed explicitly; a redirect to a live server on 127.0.0.2 (the
    "private" host) is refused and that server never sees a request."""
    fetcher = make_fetcher(allow_private=False, allow_networks=("127.0.0.1/32",))
    assert fetcher.fetch(fault.url("/page")).status == 200
    with pytest.raises(ForbiddenAddress, match=r"127\.0\.0\.2: loopback"):
        fetcher.fetch(fault.url(f"/redirect?to={private_fault.url('/page')}"))
    with pytest.raises(ForbiddenAddress):
        fetcher.fetch(private_fault.url("/page"))
    assert private_fault.requests == []


# -- bad hosts and what a URL shows -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://xn--zz-.example/", "invalid host 'xn--zz-.example'"),
        ("http://xn--a.example/", "bad internationalised label 'xn--a'"),
        ("http://" + "a" * 64 + ".example/", "a label is longer than 63 characters"),
        ("http://" + "a.b" * 90 + ".example/", "longer than 253 characters"),
        ("http://admin:secret@news.example/", "embedded credentials"),
        ("http://news.example/a\r\nX-Injected: 1", "malformed URL"),
    ],
)
def test_a_bad_url_fails_with_a_reason_and_shows_no_secret(url: str, reason: str) -> None:
    with pytest.raises(InvalidURL) as caught:
        normalize_url(url)
    message = str(caught.value)
    assert reason in message
    assert "secret" not in message and "\r" not in message and "\n" not in message


def test_a_redirect_to_a_bad_host_fails_that_url(make_fetcher, fault) -> None:
    with pytest.raises(InvalidURL, match="redirects to an unusable URL"):
        make_fetcher().fetch(fault.url("/redirect?to=http://xn--zz-.example/"))
    with pytest.raises(InvalidURL, match=r"'http://\*\*\*@127\.0\.0\.1:\d+/story'"):
        make_fetcher().fetch(fault.url("/leaky-redirect"))


def test_a_mock_transport_replaces_the_network_and_keeps_the_client_settings() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
        return httpx.Response(200, headers=headers, content=gzip.compress(b"<html>x"))

    settings = FetchSettings(host_delay=0)
    with make_client(settings, transport=httpx.MockTransport(answer)) as client:
        page = Fetcher(client, settings).fetch("http://127.0.0.1:9/never-sent")  # port 9: no one
    assert page.body == b"<html>x" and page.peer_ip is None
    assert gzip.decompress(page.raw) == b"<html>x"  # kept as the transport gave it
    assert seen[-1].headers["Accept-Encoding"] == "gzip, deflate"
