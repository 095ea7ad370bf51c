"""The extractor's own result types: `Article` and `Removal`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from palimpsest.extractors.fingerprint import extractor_fingerprint

EXTRACTOR_NAME = "palimpsest"
_WORD = re.compile(r"\w+")
METADATA_FIELDS = (
    "title",
    "byline",
    "published",
    "updated",
    "canonical_url",
    "site_name",
    "language",
)


@dataclass(frozen=True)
class Removal:
    """One piece of text a cleaner dropped, and the evidence it used."""

    cleaner: str
    text: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"cleaner": self.cleaner, "text": self.text, "reason": self.reason}


@dataclass
class Article:
    """The clean article: one paragraph per line, plus metadata and what was removed."""

    text: str
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    updated: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    language: str | None = None
    removed: list[Removal] = field(default_factory=list)
    extractor: str = EXTRACTOR_NAME
    extractor_version: str = field(default_factory=extractor_fingerprint)  # derived, never by hand

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))

    def metadata(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in METADATA_FIELDS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            **self.metadata(),
            "words": self.words,
            "removed": [removal.to_dict() for removal in self.removed],
            "extractor": self.extractor,
            "extractor_version": self.extractor_version,
        }
