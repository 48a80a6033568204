"""Alembic environment for grantbot's state database.

Migrations only ever run programmatically (``jobs.state.engine.upgrade``),
which hands over an open connection, so the version table lands in the same
database, in the same transaction as the schema change.
"""

from __future__ import annotations

from alembic import context

from jobs.state.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from the alembic CLI
    raise RuntimeError("run migrations through jobs.state.engine.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite can only ALTER through table copies
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
