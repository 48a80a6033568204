"""Alembic environment for grantbot's state database.

Migrations run programmatically: ``jobs.state.engine.upgrade`` hands over
an open connection, so the version table lands in the same database, in the
same transaction as the schema change; ``migration_sql`` renders the SQL
for a dialect instead, for DBAs who apply schema changes themselves.
"""

from __future__ import annotations

from alembic import context

from jobs.state.models import Base

connection = context.config.attributes.get("connection")
if connection is not None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
    )
else:  # offline: render the SQL for a DBA (jobs.state.engine.migration_sql)
    context.configure(
        dialect_name=context.config.attributes["dialect_name"],
        target_metadata=Base.metadata,
        literal_binds=True,
    )
with context.begin_transaction():
    context.run_migrations()
