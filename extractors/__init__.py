"""HTML (or plain text) -> clean `Article`: trafilatura adapter, named cleaners, metadata.

Public API::

    extract(html, url=None, *, encoding=None) -> Article
    extract_text(text, source=None) -> Article
    Article, Removal, EXTRACTOR_NAME, EXTRACTOR_VERSION, ExtractionError (and subclasses)
"""

from __future__ import annotations

# Importing the package registers the built-in cleaners: CLEANERS is complete from the start.
from palimpsest.extractors import cleaners  # noqa: F401
from palimpsest.extractors.api import extract, extract_text
from palimpsest.extractors.article import EXTRACTOR_NAME, Article, Removal
from palimpsest.extractors.errors import EmptyArticle, ExtractionError, ParseError
from palimpsest.extractors.fingerprint import extractor_fingerprint
from palimpsest.extractors.registry import CLEANERS

# The extractor's identity: a fingerprint of the libraries, cleaners and settings that make it
EXTRACTOR_VERSION = extractor_fingerprint()

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
