"""Errors raised by the extractors package.

Every message names the URL (or source file) the input came from::

    ExtractionError            base of the tree; catch this to handle any extraction failure
    ├── ParseError             the HTML could not be parsed (translated from lxml/trafilatura)
    └── EmptyArticle           no article text was found (nothing left after cleaning)
"""

from __future__ import annotations

from palimpsest.errors import PalimpsestError


class ExtractionError(PalimpsestError):
    """Base of the extractors error tree (under `palimpsest.errors`); `source` (also
    `.subject`) is the URL or file name, if known, and `reason` the message without it."""

    def __init__(self, message: str, source: str | None = None, reason: str | None = None) -> None:
        super().__init__(message, subject=source, reason=reason)
        self.source = source


def _where(source: str | None) -> str:
    return source if source else "<unknown source>"


class ParseError(ExtractionError):
    """The HTML parser (lxml, inside trafilatura) rejected the page."""

    def __init__(self, source: str | None, detail: str) -> None:
        super().__init__(
            f"cannot parse HTML of {_where(source)}: {detail}",
            source,
            f"cannot parse HTML: {detail}",
        )


class EmptyArticle(ExtractionError):
    """No article text was found on the page (or nothing was left after cleaning)."""

    def __init__(self, source: str | None, detail: str = "no article text found") -> None:
        super().__init__(f"{detail}: {_where(source)}", source, detail)
