"""Initial schema: pages, items with status history, reminders, runs.

Revision ID: 0001
Revises:
Create Date: 2024-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jobs.state.migrations import MYSQL_TABLE
from jobs.state.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("grant", sa.String(255), nullable=True),
        sa.Column("last_revid", sa.Integer(), nullable=True),
        sa.Column("last_timestamp", UTCDateTime(), nullable=True),
        sa.Column("analysis", sa.JSON(), nullable=True),
        sa.Column("analysis_revid", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("title", name="uq_pages_title"),
        **MYSQL_TABLE,
    )
    op.create_index("ix_pages_grant", "pages", ["grant"])
    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("grant", sa.String(255), nullable=False),
        sa.Column("item_id", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("section", sa.JSON(), nullable=False),
        sa.Column("anchor", sa.Text(), nullable=False),
        sa.Column("asked_by", sa.String(255), nullable=True),
        sa.Column("asked_at", UTCDateTime(), nullable=True),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_since", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("grant", "item_id", name="uq_items_grant_item"),
        **MYSQL_TABLE,
    )
    op.create_table(
        "item_status_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "item_pk",
            sa.Integer(),
            sa.ForeignKey("items.id", ondelete="CASCADE", name="fk_item_status_history_item_pk"),
            nullable=False,
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        **MYSQL_TABLE,
    )
    op.create_index("ix_item_status_history_item_pk", "item_status_history", ["item_pk"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("grant", sa.String(255), nullable=False),
        sa.Column("talk_page", sa.String(255), nullable=False),
        sa.Column("item_ids", sa.JSON(), nullable=False),
        sa.Column("revid", sa.Integer(), nullable=True),
        sa.Column("posted_at", UTCDateTime(), nullable=False),
        **MYSQL_TABLE,
    )
    op.create_index("ix_reminders_grant", "reminders", ["grant"])
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("grants", sa.Integer(), nullable=False),
        sa.Column("api_requests", sa.Integer(), nullable=False),
        sa.Column("edits", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=True),
        **MYSQL_TABLE,
    )
    op.create_index("ix_runs_started_at", "runs", ["started_at"])


def downgrade() -> None:
    for table in ("runs", "reminders", "item_status_history", "items", "pages"):
        op.drop_table(table)
