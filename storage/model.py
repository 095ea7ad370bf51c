"""The storage package's own value types: Capture, VersionDraft, VersionRecord.

They are plain frozen dataclasses so flows/ can build them from the fetcher's and extractor's
types without storage importing either package.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from functools import cache
from typing import Any, ClassVar

_TRAILING_WS = re.compile(r"[ \t\f\v]+\n")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """The form of a text whose sha256 decides whether it is a new version.

    Unicode NFC, newlines unified, trailing spaces dropped, runs of blank lines reduced to one
    blank line, ends stripped: differences that no reader can see (and that extractors produce
    from byte-level noise such as CRLF vs LF) must not create versions.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING_WS.sub("\n", text + "\n")
    return _BLANK_RUNS.sub("\n\n", text).strip()


def text_sha256(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class CaptureHop:
    """One redirect response (3xx) on the way to a capture's final response, as received."""

    url: str
    status: int
    reason: str
    http_version: str
    request_headers: list[tuple[str, str]]
    response_headers: list[tuple[str, str]]
    body: bytes
    captured_at: datetime
    peer_ip: str | None = None


@dataclass(frozen=True)
class Capture:
    """One raw HTTP exchange as it went over the wire: what was asked and what came back.

    `response_headers` and `body` are as received: `body` is still content-coded when a
    Content-Encoding header says so (chunked transfer framing, undone by the HTTP client, is
    the only difference). `hops` are the redirects that led from `url` to `final_url`."""

    url: str
    final_url: str
    status: int
    reason: str
    http_version: str
    request_headers: list[tuple[str, str]]
    response_headers: list[tuple[str, str]]
    body: bytes
    captured_at: datetime
    hops: tuple[CaptureHop, ...] = ()
    peer_ip: str | None = None

    def header(self, name: str) -> str | None:
        """The first response header called `name` (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.response_headers if k.lower() == wanted), None)


@dataclass(frozen=True)
class VersionDraft:
    """Everything a version record holds that the caller knows; the store adds the rest."""

    url: str
    final_url: str
    captured_at: datetime
    etag: str | None
    last_modified: str | None
    raw_key: str | None
    text: str
    metadata: dict = field(default_factory=dict)
    extractor: str = ""
    extractor_version: str = ""
    removed: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class VersionRecord:
    """One stored version of a source: the draft plus its seq, text hash, diff and key."""

    url: str
    final_url: str
    captured_at: datetime
    etag: str | None
    last_modified: str | None
    raw_key: str | None
    text: str
    metadata: dict
    extractor: str
    extractor_version: str
    removed: list[dict]
    version: int
    sha256: str
    diff: dict
    key: str
    # sha256 of the stored bytes of the previous version's record (None for version 1, and in
    # records written before the chain): a changed or replaced record breaks the chain.
    previous_sha256: str | None = None

    # read by _record_schema: a version of 1e400 (inf) or NaN is no number
    __pydantic_config__: ClassVar[dict[str, bool]] = {"allow_inf_nan": False}

    @property
    def title(self) -> str | None:
        title = self.metadata.get("title")
        return str(title) if title else None

    @property
    def words(self) -> int:
        return len(self.text.split())

    @classmethod
    def from_draft(
        cls,
        draft: VersionDraft,
        *,
        version: int,
        diff: dict,
        key: str,
        previous_sha256: str | None = None,
    ) -> VersionRecord:
        values = {f.name: getattr(draft, f.name) for f in fields(VersionDraft)}
        values["captured_at"] = _utc(draft.captured_at)
        return cls(
            **values,
            version=version,
            sha256=text_sha256(draft.text),
            diff=diff,
            key=key,
            previous_sha256=previous_sha256,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["captured_at"] = _utc(self.captured_at).isoformat()
        return data

    @classmethod
    def from_dict(cls, data: Any) -> VersionRecord:
        """The record `data` (parsed JSON) describes, validated against the record's schema:
        ValueError naming the first field that does not fit (type, missing, not finite)."""
        from pydantic import ValidationError

        try:
            record = _record_schema().validate_python(data)
        except ValidationError as exc:
            raise ValueError(_first_error(exc)) from None
        return replace(record, captured_at=_utc(record.captured_at))

    def to_json(self) -> bytes:
        # default=str: metadata and diff summaries come from other stages and may hold dates
        # or other plain values JSON has no type for; their text form is what a reader needs.
        data = self.to_dict()
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str).encode()


@cache
def _record_schema() -> Any:
    """The one schema of a stored record: VersionRecord's fields and types, checked by pydantic
    (strings are strings, `metadata`/`diff` objects, `version` a finite integer, ...)."""
    from pydantic import TypeAdapter

    return TypeAdapter(VersionRecord)


def _first_error(exc: Any) -> str:
    errors = exc.errors(include_url=False)
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"]) or "record"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"field {where!r}: {first['msg']}{more}"
