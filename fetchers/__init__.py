"""fetchers: polite, bounded HTTP fetching of HTML pages on httpx.

Public API: `FetchSettings`, `make_client`, `Fetcher`, `Fetched`, `Validators`,
`normalize_url`, and the errors of `fetchers.errors` (all re-exported here).

    settings = FetchSettings(timeout=20, host_delay=2)
    with make_client(settings) as client:
        fetcher = Fetcher(client, settings)          # share it across the run's threads
        page = fetcher.fetch(url, Validators(etag, last_modified))
        if page.not_modified: ...                     # 304: nothing downloaded
        else: html = palimpsest.text.decode(page.body, page.encoding)  # 2xx HTML/XHTML
    # failures raise FetchError subclasses with .url and a short .reason

Modules: `urls` (normalisation), `client` (factory), `fetcher` (redirects, retries, limits),
`politeness` (per-host slots and delays), `robots` (robots.txt cache), `retry` (backoff,
Retry-After), `headers` (content type, capture headers), `result` (`Fetched`, `Validators`),
`settings`, `errors`. Encoding sniffing is `palimpsest.text.sniff`, shared with extraction.
"""

from __future__ import annotations

from palimpsest.fetchers.client import make_client
from palimpsest.fetchers.errors import (
    FetchError,
    HTTPStatusError,
    InvalidURL,
    NetworkError,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    TruncatedBody,
    UnsupportedContentType,
)
from palimpsest.fetchers.fetcher import Fetcher
from palimpsest.fetchers.result import Fetched, Validators
from palimpsest.fetchers.settings import FetchSettings
from palimpsest.fetchers.urls import normalize_url

__all__ = [
    "FetchError",
    "FetchSettings",
    "Fetched",
    "Fetcher",
    "HTTPStatusError",
    "InvalidURL",
    "NetworkError",
    "RobotsDisallowed",
    "TooLarge",
    "TooManyRedirects",
    "TruncatedBody",
    "UnsupportedContentType",
    "Validators",
    "make_client",
    "normalize_url",
]
