"""Issue 11.5: robots.txt unreachable still disallows (RFC 9309), but the reason names the cause.

Refused connections, timeouts and TLS failures are real, on 127.0.0.1; a DNS failure and an
untrusted certificate come from an httpx.MockTransport raising what httpx raises for them (a
test may not ask a resolver or a remote host anything).
"""

from __future__ import annotations

import http.server
import socket
import ssl
import threading
from collections.abc import Iterator

import httpx
import pytest
from palimpsest.fetchers import Fetcher, FetchSettings, RobotsDisallowed, make_client

SETTINGS = FetchSettings(timeout=0.5, retries=0, host_delay=0)
RULE = "(robots.txt unreachable, so not fetched: RFC 9309)"


def _refused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: nothing listens there


@pytest.fixture(scope="module")
def silent_port() -> Iterator[int]:
    """Accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield s.getsockname()[1]


@pytest.fixture(scope="module")
def plain_http_port() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    server.RequestHandlerClass.log_message = lambda *a: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _refusal(fetcher: Fetcher, url: str) -> str:
    with pytest.raises(RobotsDisallowed) as caught:
        fetcher.fetch(url)
    return caught.value.reason


def test_connection_refused() -> None:
    port = _refused_port()
    with make_client(SETTINGS) as client:
        reason = _refusal(Fetcher(client, SETTINGS), f"http://127.0.0.1:{port}/story")
    assert reason == (f"connection refused fetching http://127.0.0.1:{port}/robots.txt {RULE}")


def test_timeout(silent_port: int) -> None:
    with make_client(SETTINGS) as client:
        reason = _refusal(Fetcher(client, SETTINGS), f"http://127.0.0.1:{silent_port}/story")
    assert reason.startswith("timed out waiting for the server fetching ") and RULE in reason


def test_tls_handshake(plain_http_port: int) -> None:
    with make_client(SETTINGS) as client:
        reason = _refusal(Fetcher(client, SETTINGS), f"https://127.0.0.1:{plain_http_port}/s")
    assert reason.startswith("TLS handshake failed (") and RULE in reason


def _raising(error: BaseException) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(str(error), request=request) from error

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_dns_failure() -> None:
    lookup = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    with _raising(lookup) as client:
        reason = _refusal(Fetcher(client, SETTINGS), "https://news.invalid/story")
    assert reason == (
        "DNS lookup failed (Name or service not known) fetching "
        f"https://news.invalid/robots.txt {RULE}"
    )


def test_untrusted_certificate() -> None:
    error = ssl.SSLCertVerificationError(1, "certificate verify failed")
    error.verify_message = "self-signed certificate"
    with _raising(error) as client:
        reason = _refusal(Fetcher(client, SETTINGS), "https://news.invalid/story")
    assert reason.startswith("TLS certificate not trusted (self-signed certificate) fetching")


def test_robots_http_errors_name_the_status() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        reason = _refusal(Fetcher(client, SETTINGS), "https://news.invalid/story")
    assert reason == f"HTTP 503 from https://news.invalid/robots.txt {RULE}"
