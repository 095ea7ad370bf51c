"""The per-URL pipeline as one plain function: fetch -> extract -> store -> diff.

The Prefect flow runs `archive_url` as one task per URL; the CLI calls it directly when no
Prefect API is configured. It never raises for a bad URL: every stage's error becomes a
`failed` outcome that names the URL and the reason.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from palimpsest.catalog import CheckRow, DiscoveredRow
from palimpsest.diffing import VersionDiff
from palimpsest.discovery import canonical_url, looks_like_link_list
from palimpsest.extractors import Article
from palimpsest.fetchers import Fetched, Validators, normalize_url
from palimpsest.flows.catalog import check_id
from palimpsest.flows.context import Pipeline
from palimpsest.flows.discover import write_log
from palimpsest.flows.errors import NotAnArticle
from palimpsest.flows.reporters import VersionWritten
from palimpsest.storage import Capture, CaptureHop, VersionDraft, VersionRecord
from palimpsest.storage.errors import StoreUnavailable
from palimpsest.storage.model import text_sha256
from palimpsest.text.redact import safe_url

from palimpsest.errors import PalimpsestError

Status = Literal["new", "changed", "unchanged", "failed"]


@dataclass
class Outcome:
    """What archiving one URL did; `to_dict()` is the CLI's JSON and the artifact row."""

    url: str
    status: Status
    version: int | None = None
    error: str | None = None  # the short reason of a failure (the URL is `url`)
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


def summarize(
    previous: VersionRecord | None, diff: VersionDiff | None, seeds: list[dict[str, Any]]
) -> dict[str, Any]:
    """The diff summaries stored on a version record: vs its previous version (`diff`) and vs
    the seeds (`seeds`: flows.seeds.stored_matches)."""
    summary: dict[str, Any] = {"previous": previous.version if previous else None}
    if diff is not None:
        summary["changes"] = diff.summary()
    summary["seeds"] = seeds
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
    pipe: Pipeline, draft: VersionDraft
) -> tuple[VersionRecord, bool, VersionDiff | None]:
    """Store `draft` as the next version (with its diff summaries) unless the latest version
    already has its text; True when a version was added (and the reporters were told), and
    the diff against the previous."""
    seen: list[tuple[VersionRecord | None, VersionDiff | None]] = [(None, None)]

    def summary(previous: VersionRecord | None) -> dict[str, Any]:
        diff = pipe.diff(previous.text, draft.text) if previous is not None else None
        seen.append((previous, diff))  # called again when a concurrent writer won the number
        return summarize(previous, diff, pipe.seed_matches(draft.text, draft.url))

    record, created = pipe.store.add_version(draft, summary)
    previous, diff = seen[-1]
    if created:
        pipe.reporters.version_written(VersionWritten(record, previous, diff))
    return record, created, diff


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


@dataclass
class Seen:
    """What the server said in a check (for the catalog's check row)."""

    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None


def archive_url(url: str, pipe: Pipeline) -> Outcome:
    """Archive one URL: a conditional fetch, extraction, and a new version if the text changed.

    The validators and the latest text hash come from the catalog when it knows the source
    (no store read for an unchanged page), else from the store. Every check is reported to
    the catalog after the store is written.
    Any PalimpsestError becomes a `failed` outcome with the short reason. A store that cannot
    be reached at all (StoreUnavailable) is raised, not reported per URL: no URL can succeed,
    and the caller says so once. The reporters hear of every outcome.
    """
    started, checked_at = time.monotonic(), datetime.now(UTC)
    seen = Seen()
    outcome = _archive(url, pipe, seen)
    if pipe.catalog is not None:
        pipe.catalog.checked(
            CheckRow(
                id=check_id(),
                url=outcome.url,
                checked_at=checked_at,
                outcome=outcome.status,
                status=seen.status,
                version=outcome.version,
                etag=seen.etag,
                last_modified=seen.last_modified,
                error=outcome.error,
                duration_ms=round((time.monotonic() - started) * 1000),
            )
        )
    pipe.reporters.checked(outcome)
    return outcome


def _known(url: str, pipe: Pipeline) -> tuple[int, str | None, Validators | None, str | None]:
    """(latest seq, its text sha256, validators, title) from the catalog, else the store."""
    state = pipe.catalog.state(url) if pipe.catalog is not None else None
    if state is not None and state.versions:
        validators = Validators(state.etag, state.last_modified)
        return state.versions, state.latest_sha256, validators, state.title
    latest = pipe.store.latest(url)
    if latest is None:
        return 0, None, None, None
    if pipe.catalog is not None:  # the catalog lags the store: catch up now
        pipe.catalog.version_written(latest, None)
    validators = Validators(latest.etag, latest.last_modified)
    return latest.version, latest.sha256, validators, latest.title


def other_name(pipe: Pipeline, url: str, declared: str | None) -> str | None:
    """For a discovered article's first capture: the canonical URL its page declares, when
    that is another URL of the same site. `url` then becomes an alias of it (never checked
    again) and the canonical URL is tracked instead, found where `url` was, so an article
    linked under two names has one history. Listed sources are archived as listed."""
    catalog = pipe.catalog.catalog if pipe.catalog is not None else None
    if catalog is None or not declared:
        return None
    info, found = catalog.source(url), catalog.origin(url)
    if info is None or found is None or found[0] not in ("feed", "section"):
        return None
    try:
        canonical = normalize_url(canonical_url(declared))
    except (PalimpsestError, ValueError):
        return None
    if canonical == url or urlsplit(canonical).hostname != urlsplit(url).hostname:
        return None
    row = DiscoveredRow(canonical, found[0], found[1] or url, tuple(info.tags))
    catalog.add_discovered([row])
    catalog.mark_alias(url, canonical)
    write_log(pipe.store, [row, DiscoveredRow(url, "alias", canonical)])
    return canonical


def _archive(url: str, pipe: Pipeline, seen: Seen) -> Outcome:
    try:
        url = normalize_url(url)
        known, sha, validators, title = _known(url, pipe)
        fetched = pipe.fetcher.fetch(url, validators)
        got = fetched.validators
        seen.status = fetched.status
        if validators is not None and not (got.etag or got.last_modified):
            got = validators  # a 304 need not repeat them
        seen.etag, seen.last_modified = got.etag, got.last_modified
        if fetched.not_modified and known:
            return Outcome(url=url, status="unchanged", version=known, title=title)
        article = pipe.extract(fetched.body, fetched.final_url, fetched.encoding)
        if known and sha == text_sha256(article.text):
            # same text, new bytes maybe: the check keeps the newest validators, no version
            return Outcome(url=url, status="unchanged", version=known, title=title)
        if looks_like_link_list(fetched.body, article.text):
            raise NotAnArticle(url)
        if not known and (canonical := other_name(pipe, url, article.canonical_url)):
            return _archive(canonical, pipe, seen)
        raw_key = pipe.store.put_capture(capture_of(fetched))
        draft = draft_of(
            article,
            url=fetched.url,
            final_url=fetched.final_url,
            captured_at=fetched.fetched_at,
            validators=fetched.validators,
            raw_key=raw_key,
        )
        record, created, diff = record_version(pipe, draft)
        if pipe.catalog is not None:
            pipe.catalog.version_written(record, diff if created else None)
        return outcome_of(record, created)
    except StoreUnavailable:
        raise
    except PalimpsestError as exc:
        return Outcome(url=url, status="failed", error=exc.describe(about=url))
