"""The catalog's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

sources   one row per source URL: its tags and cadence from sources.yaml, and the state the
          scheduler reads (latest version, last check and outcome, newest validators, failure
          streak, next due time), all derived from `versions` and `checks`
tags      (source, tag) pairs, so `--tag` is an index lookup
versions  one row per stored version record, keyed by (source, seq)
checks    one row per check of a source (new / changed / unchanged / failed), keyed by its id
pages     the feeds and section pages discovery follows: their validators and last check
notifications  the outbox: one row per (URL, seq, destination) to tell, with its delivery
          status (pending / sending / sent / failed), attempts and time sent (catalog/outbox.py)
texts     the latest text of each source for full-text search (catalog/fulltext.py: an FTS5
          table on SQLite, a tsvector column with a GIN index on Postgres; not in `metadata`)

Migrations (catalog/migrations) create and change these tables; tests hold the two equal.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator


def as_stored(value: datetime) -> datetime:
    """`value` as a `UTCDateTime` column gives it back: aware UTC (naive means UTC)."""
    return value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as naive UTC (both dialects), returned as aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return as_stored(value).replace(tzinfo=None) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


metadata = MetaData()

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("host", Text, nullable=False),
    Column("cadence_seconds", Integer),  # None: adaptive
    Column("first_seen", UTCDateTime),  # first check or version; None: listed, never checked
    Column("versions", Integer, nullable=False, default=0),
    Column("latest_sha256", String(64)),
    Column("title", Text),  # of the latest version
    Column("last_change", UTCDateTime, index=True),  # capture time of the latest version
    Column("last_check", UTCDateTime),
    Column("last_outcome", String(10)),
    Column("etag", Text),  # the newest validators, refreshed by unchanged checks too
    Column("last_modified", Text),
    Column("failures", Integer, nullable=False, default=0, index=True),  # failed in a row
    Column("failing_since", UTCDateTime),
    Column("next_due", UTCDateTime),  # None: due now (never checked)
    # listed (sources.yaml), feed or section (discovered there: found_on names the page)
    Column("origin", String(10), nullable=False, default="listed", server_default="listed"),
    Column("found_on", Text),
    Index("ix_sources_due", "next_due", "url"),  # covers the due selection
)

tags = Table(
    "tags",
    metadata,
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", Text, primary_key=True),
    Index("ix_tags_tag", "tag"),
)

versions = Table(
    "versions",
    metadata,
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("captured_at", UTCDateTime, nullable=False, index=True),
    Column("sha256", String(64), nullable=False),
    Column("title", Text),
    Column("words", Integer, nullable=False),
    Column("substantive", Boolean),  # None for a first version (nothing to compare with)
    Column("summary", Text, nullable=False),  # "1 edited [number], 1 added"
    Column("changes", Text),  # JSON: the counts of the diff against the previous version
    Column("seed", Text),  # nearest seed and its similarity
    Column("similarity", Float),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("raw_key", Text),
    Column("extractor_version", Text),
    Column("key", Text, nullable=False),
)

checks = Table(
    "checks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("checked_at", UTCDateTime, nullable=False),
    Column("outcome", String(10), nullable=False),  # new / changed / unchanged / failed
    Column("status", Integer),  # HTTP status (304 for a not-modified answer)
    Column("version", Integer),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("error", Text),
    Column("duration_ms", Integer),
    Index("ix_checks_source_time", "source_id", "checked_at"),
)

pages = Table(
    "pages",
    metadata,
    Column("url", Text, primary_key=True),
    Column("kind", String(10), nullable=False),  # feed | section
    Column("checked_at", UTCDateTime),
    Column("status", Integer),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("links", Integer),  # article links found at the last full read
    Column("error", Text),
)

notifications = Table(
    "notifications",
    metadata,
    Column("url", Text, primary_key=True),  # not a foreign key: a rebuild keeps what was sent
    Column("seq", Integer, primary_key=True),
    Column("destination", Text, primary_key=True),  # its name, never its URL
    Column("digest_day", String(10)),  # YYYY-MM-DD for a daily-digest rule; None: at once
    Column("payload", Text, nullable=False),  # JSON: the Notification's fields
    Column("status", String(10), nullable=False),  # pending / sending / sent / failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    Column("claimed_by", String(32)),  # the sender holding it while status is sending
    Column("claimed_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    Column("error", Text),  # the last failure's short reason
    Index("ix_notifications_status", "status", "digest_day"),
)
