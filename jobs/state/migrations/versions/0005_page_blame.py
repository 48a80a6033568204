"""Page blames: who added each line of a talk page, so its history is read once.

Revision ID: 0005
Revises: 0003 (there is no 0004: the MariaDB work needed no schema change)
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jobs.state.migrations import MYSQL_TABLE
from jobs.state.models import UTCDateTime

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_blame",
        sa.Column("title", sa.String(255), primary_key=True),
        sa.Column("revid", sa.Integer(), nullable=False),
        sa.Column("blame", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        **MYSQL_TABLE,
    )


def downgrade() -> None:
    op.drop_table("page_blame")
