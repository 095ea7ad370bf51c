"""The per-URL pipeline as one plain function: fetch -> extract -> store -> diff.

The Prefect flow runs `archive_url` as one task per URL; the CLI calls it directly when no
Prefect API is configured. It never raises for a bad URL: every stage's error becomes a
`failed` outcome that names the URL and the reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

from palimpsest.diffing import SeedCorpus, diff_versions
from palimpsest.diffing.errors import DiffError
from palimpsest.extractors import Article
from palimpsest.extractors.errors import ExtractionError
from palimpsest.fetchers import Fetched, Validators, normalize_url
from palimpsest.fetchers.errors import FetchError
from palimpsest.flows.context import Pipeline
from palimpsest.storage import Capture, CaptureHop, Store, VersionDraft, VersionRecord
from palimpsest.storage.errors import StorageError, StoreUnavailable
from palimpsest.storage.model import text_sha256
from palimpsest.text.redact import safe_url

Status = Literal["new", "changed", "unchanged", "failed"]
STAGE_ERRORS = (FetchError, ExtractionError, StorageError, DiffError)
SEED_MATCHES_KEPT = 3


@dataclass
class Outcome:
    """What archiving one URL did; `to_dict()` is the CLI's JSON and the artifact row."""

    url: str
    status: Status
    version: int | None = None
    error: str | None = None
    title: str | None = None
    changes: dict[str, Any] | None = None  # summary of the diff against the previous version
    seeds: list[dict[str, Any]] = field(default_factory=list)  # best seed matches

    def __post_init__(self) -> None:
        # An outcome is shown, logged and stored: never with credentials or raw CR/LF.
        self.url = safe_url(self.url)
        self.error = safe_url(self.error) if self.error is not None else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def seed_match(self) -> str | None:
        if not self.seeds:
            return None
        best = self.seeds[0]
        return f"{best['seed']} ({best['similarity']:.2f})"


def summarize(previous: VersionRecord | None, text: str, seeds: SeedCorpus) -> dict[str, Any]:
    """The diff summaries stored on a version record: vs its previous version and vs the seeds."""
    summary: dict[str, Any] = {"previous": previous.version if previous else None}
    if previous is not None:
        summary["changes"] = diff_versions(previous.text, text).summary()
    summary["seeds"] = [
        m.to_dict(alignment=False) for m in seeds.match(text, limit=SEED_MATCHES_KEPT)
    ]
    return summary


def capture_of(fetched: Fetched) -> Capture:
    """The exchange as received: the raw (still content-coded) body and every redirect hop."""
    hops = tuple(
        CaptureHop(
            url=hop.url,
            status=hop.status,
            reason=hop.reason,
            http_version=hop.http_version,
            request_headers=list(hop.request_headers),
            response_headers=list(hop.headers),
            body=hop.raw,
            captured_at=hop.fetched_at,
            peer_ip=hop.peer_ip,
        )
        for hop in fetched.hops
    )
    return Capture(
        url=fetched.url,
        final_url=fetched.final_url,
        status=fetched.status,
        reason=fetched.reason,
        http_version=fetched.http_version,
        request_headers=list(fetched.request_headers),
        response_headers=list(fetched.headers),
        body=fetched.raw,
        captured_at=fetched.fetched_at,
        hops=hops,
        peer_ip=fetched.peer_ip,
    )


def draft_of(
    article: Article,
    *,
    url: str,
    final_url: str,
    captured_at: datetime,
    validators: Validators,
    raw_key: str | None,
    **metadata: Any,
) -> VersionDraft:
    """The version to store for `article`; `metadata` adds to the extractor's metadata."""
    return VersionDraft(
        url=url,
        final_url=final_url,
        captured_at=captured_at,
        etag=validators.etag,
        last_modified=validators.last_modified,
        raw_key=raw_key,
        text=article.text,
        metadata={**article.metadata(), **metadata},
        extractor=article.extractor,
        extractor_version=article.extractor_version,
        removed=[r.to_dict() for r in article.removed],
    )


def record_version(
    store: Store, seeds: SeedCorpus, draft: VersionDraft
) -> tuple[VersionRecord, bool]:
    """Store `draft` as the next version (with its diff summaries) unless the latest version
    already has its text; True when a version was added."""
    return store.add_version(draft, lambda prev: summarize(prev, draft.text, seeds))


def outcome_of(record: VersionRecord, created: bool) -> Outcome:
    status: Status = "unchanged" if not created else ("new" if record.version == 1 else "changed")
    return Outcome(
        url=record.url,
        status=status,
        version=record.version,
        title=record.title,
        changes=record.diff.get("changes") if created else None,
        seeds=record.diff.get("seeds", []),
    )


def archive_url(url: str, pipe: Pipeline) -> Outcome:
    """Archive one URL: a conditional fetch, extraction, and a new version if the text changed.

    A store that cannot be reached at all (StoreUnavailable) is raised, not reported per URL:
    no URL can succeed, and the caller says so once.
    """
    try:
        url = normalize_url(url)
        latest = pipe.store.latest(url)
        validators = Validators(latest.etag, latest.last_modified) if latest else None
        fetched = pipe.fetcher.fetch(url, validators)
        if fetched.not_modified and latest is not None:
            return outcome_of(latest, created=False)
        article = pipe.extract(fetched.body, fetched.final_url, fetched.encoding)
        if latest is not None and latest.sha256 == text_sha256(article.text):
            return outcome_of(latest, created=False)  # same text: don't even store the capture
        raw_key = pipe.store.put_capture(capture_of(fetched))
        draft = draft_of(
            article,
            url=fetched.url,
            final_url=fetched.final_url,
            captured_at=fetched.fetched_at,
            validators=fetched.validators,
            raw_key=raw_key,
        )
        record, created = record_version(pipe.store, pipe.seeds, draft)
        return outcome_of(record, created)
    except StoreUnavailable:
        raise
    except STAGE_ERRORS as exc:
        return Outcome(url=url, status="failed", error=str(exc))
