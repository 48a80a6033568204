"""Run-request log, leases, and the parser version of stored analyses.

Revision ID: 0002
Revises: 0001
Create Date: 2024-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jobs.state.migrations import MYSQL_TABLE
from jobs.state.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("analysis_version", sa.String(64), nullable=True))
    op.create_table(
        "run_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("requested_by", sa.String(255), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("source_revid", sa.Integer(), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("served_at", UTCDateTime(), nullable=True),
        sa.Column(
            "run_id",
            sa.Integer(),
            sa.ForeignKey("runs.id", ondelete="SET NULL", name="fk_run_requests_run_id"),
            nullable=True,
        ),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.UniqueConstraint("requested_by", "target", "requested_at", name="uq_run_requests"),
        **MYSQL_TABLE,
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(255), primary_key=True),
        sa.Column("holder", sa.String(255), nullable=False),
        sa.Column("acquired_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        **MYSQL_TABLE,
    )


def downgrade() -> None:
    op.drop_table("leases")
    op.drop_table("run_requests")
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("analysis_version")
