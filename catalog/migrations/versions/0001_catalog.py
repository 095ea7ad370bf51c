"""The catalog: sources, tags, versions, checks and the full-text table.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("host", sa.Text, nullable=False),
        sa.Column("cadence_seconds", sa.Integer),
        sa.Column("first_seen", sa.DateTime),
        sa.Column("versions", sa.Integer, nullable=False),
        sa.Column("latest_sha256", sa.String(64)),
        sa.Column("title", sa.Text),
        sa.Column("last_change", sa.DateTime),
        sa.Column("last_check", sa.DateTime),
        sa.Column("last_outcome", sa.String(10)),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("failing_since", sa.DateTime),
        sa.Column("next_due", sa.DateTime),
    )
    op.create_index("ix_sources_due", "sources", ["next_due", "url"])
    op.create_index("ix_sources_last_change", "sources", ["last_change"])
    op.create_index("ix_sources_failures", "sources", ["failures"])
    op.create_table(
        "tags",
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("sources.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tag", sa.Text, primary_key=True),
    )
    op.create_index("ix_tags_tag", "tags", ["tag"])
    op.create_table(
        "versions",
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("sources.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("captured_at", sa.DateTime, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("substantive", sa.Boolean),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("changes", sa.Text),
        sa.Column("seed", sa.Text),
        sa.Column("similarity", sa.Float),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("raw_key", sa.Text),
        sa.Column("extractor_version", sa.Text),
        sa.Column("key", sa.Text, nullable=False),
    )
    op.create_index("ix_versions_captured_at", "versions", ["captured_at"])
    op.create_table(
        "checks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("sources.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("checked_at", sa.DateTime, nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("version", sa.Integer),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("duration_ms", sa.Integer),
    )
    op.create_index("ix_checks_source_time", "checks", ["source_id", "checked_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE texts (source_id integer PRIMARY KEY REFERENCES sources(id) "
            "ON DELETE CASCADE, title text, body text NOT NULL, tsv tsvector GENERATED ALWAYS "
            "AS (to_tsvector('english', coalesce(title, '') || ' ' || body)) STORED)"
        )
        op.execute("CREATE INDEX ix_texts_tsv ON texts USING gin (tsv)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE texts USING fts5(title, body, tokenize='porter unicode61')"
        )


def downgrade() -> None:
    op.execute("DROP TABLE texts")
    for table in ("checks", "versions", "tags", "sources"):
        op.drop_table(table)
