"""Errors of the fetchers package; every message names the URL it is about.

FetchError is a `palimpsest.errors.PalimpsestError`. Third-party errors (httpx transport
errors, protego parsing) are translated into these at the boundary in `fetchers.fetcher` and
`fetchers.robots`; nothing from httpx leaks out of `fetch`.

    FetchError                    base: `.url`, a short `.reason`; str() is "<url>: <reason>"
    ├── InvalidURL                not http(s), no host, malformed (also for redirect targets)
    ├── RobotsDisallowed          robots.txt forbids the URL (or robots.txt is unavailable)
    ├── HTTPStatusError           a status that is not a success (`.status`), after any retries
    ├── TooLarge                  Content-Length or the streamed body exceeds `max_bytes`
    ├── UnsupportedContentType    not HTML/XHTML (`.content_type` names the type)
    ├── UnsupportedEncoding       a Content-Encoding we do not decode (or a chain too long)
    ├── TruncatedBody             fewer bytes than Content-Length, or the body broke off midway
    ├── TooManyRedirects          more hops than `max_redirects`, or a redirect loop
    ├── ForbiddenAddress          the host resolves to an address the policy refuses (SSRF)
    ├── DeadlineExceeded          no complete answer within the URL's total `deadline`
    └── NetworkError              timeouts, refused/reset connections, protocol errors
"""

from __future__ import annotations

from palimpsest.text.redact import safe_url

from palimpsest.errors import PalimpsestError


class FetchError(PalimpsestError):
    """Base of every error raised by the fetchers package (under `palimpsest.errors`).

    `url` (also `.subject`) is the URL concerned (the hop that failed, when a redirect was
    followed), made safe to show (`palimpsest.text.redact.safe_url`: no credentials, no
    control characters), and `reason` a short human-readable explanation; the flow records
    it as the `failed` reason.
    """

    def __init__(self, url: str, reason: str) -> None:
        url = safe_url(url)
        super().__init__(f"{url}: {reason}", subject=url, reason=reason)
        self.url = url

    def redirected_from(self, first: str) -> FetchError:
        """Say in the reason that `url` was reached by redirect from `first`; returns self."""
        self.reason = f"{self.reason} (redirected from {first})"
        self.args = (f"{self.url}: {self.reason}",)
        return self


class InvalidURL(FetchError):
    """The URL is not an absolute http(s) URL with a host."""


class RobotsDisallowed(FetchError):
    """robots.txt of the URL's origin does not allow our user agent to fetch it."""

    def __init__(self, url: str, reason: str = "disallowed by robots.txt") -> None:
        super().__init__(url, reason)


class HTTPStatusError(FetchError):
    """The server answered with a status we do not archive (4xx, 5xx after retries, ...)."""

    def __init__(self, url: str, status: int, reason: str | None = None) -> None:
        super().__init__(url, reason or f"HTTP {status}")
        self.status = status


class TooLarge(FetchError):
    """The body is over the configured cap; nothing of it is returned."""

    def __init__(self, url: str, limit: int, size: int | None = None) -> None:
        what = f"{size} bytes exceeds" if size is not None else "the body exceeds"
        super().__init__(url, f"body too large: {what} the {limit}-byte limit")
        self.limit = limit
        self.size = size


class UnsupportedContentType(FetchError):
    """The response is not HTML or XHTML."""

    def __init__(self, url: str, content_type: str) -> None:
        super().__init__(url, f"unsupported content type {content_type!r} (HTML/XHTML only)")
        self.content_type = content_type


class UnsupportedEncoding(FetchError):
    """The body's Content-Encoding is not one we asked for and can decode with a bound."""


class TruncatedBody(FetchError):
    """The body ended early: shorter than Content-Length, or the connection broke mid-body."""


class TooManyRedirects(FetchError):
    """Redirects exceeded the configured number of hops, or went round in a loop."""


class ForbiddenAddress(FetchError):
    """The URL (or a redirect) leads to an address the fetcher must not connect to."""


class DeadlineExceeded(FetchError):
    """The URL's total deadline (retries, redirects and waits included) passed."""


class NetworkError(FetchError):
    """Transport failure (timeout, refused, reset, protocol error) that persisted over retries."""
