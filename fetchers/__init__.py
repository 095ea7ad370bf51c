"""fetchers: polite, bounded HTTP fetching of HTML pages on httpx.

Public API: `FetchSettings`, `make_client`, `Fetcher`, `Fetched`, `Validators`,
`normalize_url`, and the errors of `fetchers.errors` (all re-exported here).

    settings = FetchSettings(timeout=20, host_delay=2)
    with make_client(settings) as client:
        fetcher = Fetcher(client, settings)          # share it across the run's threads
        page = fetcher.fetch(url, Validators(etag, last_modified))
        if page.not_modified: ...                     # 304: nothing downloaded
        else: html = palimpsest.text.decode(page.body, page.encoding)  # 2xx HTML/XHTML
        page.raw, page.headers, page.hops, page.peer_ip   # the exchange as received
    # failures raise FetchError subclasses with .url and a short .reason

Modules: `urls` (normalisation), `client` (factory), `fetcher` (redirects, retries, limits),
`guard` (address policy, the per-URL deadline), `encoding` (bounded Content-Encoding
decoding, `decode_body`), `politeness` (per-host slots and delays), `robots` (robots.txt
cache), `retry` (backoff, Retry-After), `headers` (content type, Content-Length), `result`
(`Fetched`, `Hop`, `Validators`), `settings`, `errors`. Encoding sniffing is
`palimpsest.text.sniff`, shared with extraction.
"""

from __future__ import annotations

from palimpsest.fetchers.client import make_client
from palimpsest.fetchers.encoding import decode_body
from palimpsest.fetchers.errors import (
    DeadlineExceeded,
    FetchError,
    ForbiddenAddress,
    HTTPStatusError,
    InvalidURL,
    NetworkError,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    TruncatedBody,
    UnsupportedContentType,
    UnsupportedEncoding,
)
from palimpsest.fetchers.fetcher import Fetcher
from palimpsest.fetchers.headers import FEED_TYPES, HTML_TYPES
from palimpsest.fetchers.result import Fetched, Hop, Validators
from palimpsest.fetchers.settings import FetchSettings
from palimpsest.fetchers.urls import normalize_url

__all__ = [
    "FEED_TYPES",
    "HTML_TYPES",
    "DeadlineExceeded",
    "FetchError",
    "FetchSettings",
    "Fetched",
    "Fetcher",
    "ForbiddenAddress",
    "HTTPStatusError",
    "Hop",
    "InvalidURL",
    "NetworkError",
    "RobotsDisallowed",
    "TooLarge",
    "TooManyRedirects",
    "TruncatedBody",
    "UnsupportedContentType",
    "UnsupportedEncoding",
    "Validators",
    "decode_body",
    "make_client",
    "normalize_url",
]
