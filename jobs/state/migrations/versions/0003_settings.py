"""Run settings: the sweep's watermark and what each bot page was last given.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jobs.state.migrations import MYSQL_TABLE
from jobs.state.models import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        **MYSQL_TABLE,
    )


def downgrade() -> None:
    op.drop_table("settings")
