"""The fetcher's own result types: plain frozen dataclasses, no httpx objects inside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators of a capture, sent back as If-None-Match / If-Modified-Since."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)

    def request_headers(self) -> dict[str, str]:
        """The conditional request headers these validators translate to."""
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Hop:
    """One redirect response (3xx) on the way to the final page, as received.

    `raw` is its body as sent (at most `MAX_HOP_BODY` bytes are kept); `peer_ip` is the address
    the request went to (None when the transport does not say, e.g. a replayed cassette)."""

    url: str
    status: int
    reason: str
    http_version: str
    request_headers: list[tuple[str, str]]
    headers: list[tuple[str, str]]
    raw: bytes
    fetched_at: datetime
    peer_ip: str | None = None


@dataclass(frozen=True)
class Fetched:
    """One successful fetch: a 2xx response with its body, or a 304 (not modified).

    `headers` and `raw` are the final response exactly as received: the server's header
    names, order and framing headers (Content-Encoding, Content-Length, Transfer-Encoding) and
    the body bytes before content decoding (chunked transfer framing is undone by the HTTP
    client). `body` is `raw` with its Content-Encoding undone (what the extractor reads); the
    size limit applies to it and to every decoding layer. A 304 has `raw == body == b""` and
    `encoding is None`. `hops` are the redirect responses that led here, in order (empty when
    there was no redirect); `peer_ip` is the server address of the final response.

    `attempts` counts the requests made for the final hop (1 when no retry was needed);
    `elapsed` is the wall time of the whole fetch including robots.txt, politeness waits,
    redirects and retries; `fetched_at` is the UTC start of the final request.
    """

    url: str
    final_url: str
    status: int
    reason: str
    http_version: str
    request_headers: list[tuple[str, str]]
    headers: list[tuple[str, str]]
    body: bytes
    encoding: str | None
    fetched_at: datetime
    elapsed: float
    attempts: int
    raw: bytes = b""
    hops: tuple[Hop, ...] = ()
    peer_ip: str | None = None

    def header(self, name: str) -> str | None:
        """The first response header called `name` (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def validators(self) -> Validators:
        """ETag / Last-Modified of this response (empty values count as absent)."""
        return Validators(
            etag=self.header("ETag") or None,
            last_modified=self.header("Last-Modified") or None,
        )
