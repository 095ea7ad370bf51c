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
class Fetched:
    """One successful fetch: a 2xx response with its body, or a 304 (not modified).

    Headers choice (so the WARC written from `headers` + `body` is valid for replay tools):
    `body` is the *decoded* payload (httpx undoes gzip/deflate/br), so in `headers` the
    Content-Encoding and Transfer-Encoding headers are removed and Content-Length is set to
    `len(body)`. The original values are kept as `X-Palimpsest-Original-Content-Encoding`,
    `X-Palimpsest-Original-Transfer-Encoding` and `X-Palimpsest-Original-Content-Length` when
    they differed. Headers keep the server's order and spelling otherwise. A 304 keeps its
    headers exactly as received, with `body == b""` and `encoding is None`.

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

    def header(self, name: str) -> str | None:
        """The first response header called `name` (case-insensitive), or None."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

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

    @property
    def content_type(self) -> str | None:
        """The media type without parameters, lower-cased (e.g. "text/html"), or None."""
        value = self.header("Content-Type")
        if not value:
            return None
        return value.split(";", 1)[0].strip().lower() or None
