"""The catalog's plain value types: rows written by flows/, rows read by the CLI and viewer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

Outcome = Literal["new", "changed", "unchanged", "failed"]


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _plain(obj: Any) -> dict[str, Any]:
    return {k: _iso(v) for k, v in asdict(obj).items()}


@dataclass(frozen=True)
class VersionRow:
    """One version record, as the catalog keeps it (written by flows/ from the store's record)."""

    url: str
    seq: int
    captured_at: datetime
    sha256: str
    title: str | None
    words: int
    substantive: bool | None  # None for a first version
    summary: str  # "1 edited [number], 1 added"
    key: str
    text: str = ""  # indexed for search while this is the source's latest version
    changes: dict[str, Any] | None = None
    seed: str | None = None
    similarity: float | None = None
    etag: str | None = None
    last_modified: str | None = None
    raw_key: str | None = None
    extractor_version: str | None = None


@dataclass(frozen=True)
class CheckRow:
    """One check of a source: when, what came of it, what the server said, how long it took."""

    id: str  # unique (a uuid), so writing the same check twice keeps one row
    url: str
    checked_at: datetime
    outcome: Outcome
    status: int | None = None
    version: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    duration_ms: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckRow:
        values = dict(data)
        values["checked_at"] = datetime.fromisoformat(values["checked_at"])
        return cls(**values)


@dataclass(frozen=True)
class SourceState:
    """What the scheduler and the pipeline know about a source without reading the store."""

    url: str
    versions: int = 0
    latest_sha256: str | None = None
    title: str | None = None  # of the latest version
    last_change: datetime | None = None
    last_check: datetime | None = None
    last_outcome: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    failing_since: datetime | None = None
    first_seen: datetime | None = None
    cadence_seconds: int | None = None
    next_due: datetime | None = None


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A row of `palimpsest list` (fields in the order of read._INFO_COLUMNS)."""

    url: str
    host: str
    tags: list[str]
    versions: int
    first_seen: datetime | None
    last_change: datetime | None
    last_check: datetime | None
    last_outcome: str | None
    failures: int
    failing_since: datetime | None
    next_due: datetime | None
    title: str | None = None
    origin: str = "listed"  # listed (sources.yaml), feed or section (discovered there)

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass(frozen=True)
class Change:
    """A version of a source, as `palimpsest changes` and `timeline` show it."""

    url: str
    seq: int
    captured_at: datetime
    title: str | None
    words: int
    summary: str
    substantive: bool | None
    seed: str | None
    similarity: float | None
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass(frozen=True)
class Timeline:
    source: SourceInfo
    versions: list[Change] = field(default_factory=list)  # oldest first
    checks: list[CheckRow] = field(default_factory=list)  # oldest first

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source.to_dict(),
            "versions": [v.to_dict() for v in self.versions],
            "checks": [c.to_dict() for c in self.checks],
        }


@dataclass(frozen=True)
class SearchHit:
    url: str
    title: str | None
    version: int
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)
