"""Discovery: where each source came from, and the feeds and sections followed.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(
            sa.Column("origin", sa.String(10), nullable=False, server_default="listed")
        )
        batch.add_column(sa.Column("found_on", sa.Text))
    op.create_table(
        "pages",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("checked_at", sa.DateTime),
        sa.Column("status", sa.Integer),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("links", sa.Integer),
        sa.Column("error", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("pages")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("found_on")
        batch.drop_column("origin")
