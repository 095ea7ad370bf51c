"""HTML (or plain text) -> clean `Article`: trafilatura adapter, named cleaners, metadata.

Public API::

    extract(html, url=None, *, encoding=None) -> Article
    extract_text(text, source=None) -> Article
    Article, Removal, EXTRACTOR_NAME, EXTRACTOR_VERSION, ExtractionError (and subclasses)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from palimpsest.extractors.article import EXTRACTOR_NAME, Article, Removal
from palimpsest.extractors.errors import EmptyArticle, ExtractionError, ParseError
from palimpsest.extractors.fingerprint import extractor_fingerprint

if TYPE_CHECKING:
    from palimpsest.extractors.api import CLEANERS, EXTRACTOR_VERSION, extract, extract_text

# The names of the api module, which imports and registers every cleaner (CLEANERS is
# complete from the start), are imported on first use (PEP 562): a process that only hands
# pages to extraction workers (the CLI's) never loads the cleaners, and it starts its
# workers before it would (palimpsest/runtime.py).
_API = ("CLEANERS", "EXTRACTOR_VERSION", "extract", "extract_text")

__all__ = [
    "CLEANERS",
    "EXTRACTOR_NAME",
    "EXTRACTOR_VERSION",
    "Article",
    "EmptyArticle",
    "ExtractionError",
    "ParseError",
    "Removal",
    "extract",
    "extract_text",
    "extractor_fingerprint",
]


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from palimpsest.extractors import api

    return getattr(api, name)
