"""The root of every error Palimpsest raises on purpose (a leaf: it imports nothing).

    PalimpsestError                 `.subject` (the URL, key, file or setting it is about),
    │                               a short `.reason`; str() is the whole one-line message
    ├── FetchError                  palimpsest.fetchers.errors (its tree is drawn there)
    ├── ExtractionError             palimpsest.extractors.errors
    ├── StorageError                palimpsest.storage.errors
    ├── DiffError                   palimpsest.diffing.errors
    ├── PipelineError               palimpsest.flows.errors
    ├── CatalogError                palimpsest.catalog.errors
    └── SettingsError               palimpsest.settings

Every package keeps its own tree in its `errors.py`, rooted here, so the CLI and the flow
catch one class and translate it in one place: `describe()`.
"""

from __future__ import annotations


class PalimpsestError(Exception):
    """Base of every Palimpsest error: one line that names what it is about."""

    def __init__(
        self, message: str, *, subject: str | None = None, reason: str | None = None
    ) -> None:
        super().__init__(message)
        self.subject = subject
        self.reason = reason or message

    def describe(self, about: str | None = None) -> str:
        """The short reason, when the reader already knows the subject (`about`, say the URL
        of the outcome it is shown beside); otherwise the whole line."""
        if about is not None and self.subject in (None, about):
            return self.reason
        return str(self)
