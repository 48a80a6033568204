"""Engines for the state database, and schema upgrades on open.

SQLite is the default, and a scheduled sweep and a manual run may use the
same file at once.  pysqlite's own transaction handling starts transactions
lazily and never around DDL, which leaves migrations half-applied when they
fail and turns lock upgrades into instant "database is locked" errors.  So
SQLite connections run with the driver's handling switched off and every
transaction starts with ``BEGIN IMMEDIATE`` (writers queue on the busy
timeout instead of deadlocking), in WAL mode so readers are not blocked.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from bots.errors import GrantbotError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_SECONDS = 60
PG_MIGRATION_LOCK = 0x6772616E  # arbitrary advisory-lock key ("gran")


class StateError(GrantbotError):
    """The state database cannot be opened or upgraded."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get their directory created."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    db = parsed.database
    memory = not db or db == ":memory:"
    if memory:
        kwargs.setdefault("poolclass", StaticPool)
    else:
        Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
    connect_args = {"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migration_sql(dialect: str, revision: str = "head") -> str:
    """The DDL that brings an empty database of ``dialect`` ("postgresql",
    "mysql", "sqlite") to ``revision``, without connecting to anything."""
    buffer = io.StringIO()
    cfg = alembic_config()
    cfg.output_buffer = buffer
    cfg.attributes["dialect_name"] = dialect
    command.upgrade(cfg, revision, sql=True)
    return buffer.getvalue()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction.

    Two processes opening a fresh database at once must not both create the
    tables: on PostgreSQL an advisory lock serialises them, on SQLite the
    ``BEGIN IMMEDIATE`` write lock does.
    """
    cfg = alembic_config()
    try:
        if revision == "head" and current_revision(engine) == head_revision():
            return  # the usual case: no lock, no migration log lines every run
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except GrantbotError:
        raise
    except Exception as exc:
        safe = make_url(str(engine.url)).render_as_string(hide_password=True)
        raise StateError(f"cannot upgrade the state database at {safe}: {exc}") from exc
