"""fetchers: polite, bounded HTTP fetching of HTML pages on httpx.

Public API: `FetchSettings`, `make_client`, `Fetcher`, `Fetched`, `Validators`,
`normalize_url`, and the errors of `fetchers.errors` (all re-exported here).
"""

from __future__ import annotations

from fetchers.client import make_client
from fetchers.errors import (
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
from fetchers.fetcher import Fetcher
from fetchers.result import Fetched, Validators
from fetchers.settings import FetchSettings
from fetchers.urls import normalize_url

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
