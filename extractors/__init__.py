"""HTML (or plain text) -> clean `Article`: trafilatura adapter, named cleaners, metadata.

Public API::

    extract(html, url=None, *, encoding=None) -> Article
    extract_text(text, source=None) -> Article
    Article, Removal, EXTRACTOR_NAME, EXTRACTOR_VERSION, ExtractionError (and subclasses)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from palimpsest.extractors.api import CLEANERS, EXTRACTOR_VERSION, extract, extract_text
    from palimpsest.extractors.article import EXTRACTOR_NAME, Article, Removal
    from palimpsest.extractors.errors import EmptyArticle, ExtractionError, ParseError
    from palimpsest.extractors.fingerprint import extractor_fingerprint

# Each name is imported from its module when first used (PEP 562), as in diffing: a process
# that only hands pages to extraction workers (the CLI's) never loads the cleaners, and it
# starts its workers before it imports them (palimpsest/runtime.py). `extract` and the
# registry come from the api module, which registers every built-in cleaner: CLEANERS is
# complete from the start.
_MODULES = {
    "CLEANERS": "api",
    "EXTRACTOR_VERSION": "api",
    "extract": "api",
    "extract_text": "api",
    "EXTRACTOR_NAME": "article",
    "Article": "article",
    "Removal": "article",
    "EmptyArticle": "errors",
    "ExtractionError": "errors",
    "ParseError": "errors",
    "extractor_fingerprint": "fingerprint",
}
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
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_MODULES[name]}"), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})
