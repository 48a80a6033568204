"""grantbot's state database: what was seen, asked, reminded and run.

``open_state(url)`` is the one entry point: it creates or upgrades the
schema (Alembic migrations shipped in ``migrations/``) and returns a
:class:`StateStore`.  Any SQLAlchemy URL works; SQLite is the default.
"""

from __future__ import annotations

from jobs.state.engine import (
    StateError,
    current_revision,
    database_now,
    head_revision,
    make_engine,
    safe_url,
    state_warnings,
    upgrade,
)
from jobs.state.records import (
    GONE,
    ItemRecord,
    PageRecord,
    ReminderRecord,
    RequestRecord,
    RunKind,
    RunRecord,
    StatusChange,
    StoredAnalysis,
)
from jobs.state.settings import Settings  # registers its table in Base.metadata
from jobs.state.store import StateStore

__all__ = [
    "GONE",
    "ItemRecord",
    "PageRecord",
    "ReminderRecord",
    "RequestRecord",
    "RunKind",
    "RunRecord",
    "StateError",
    "Settings",
    "StateStore",
    "StatusChange",
    "StoredAnalysis",
    "current_revision",
    "database_now",
    "head_revision",
    "make_engine",
    "open_state",
    "safe_url",
    "state_warnings",
    "upgrade",
]


def open_state(url: str, *, migrate: bool = True) -> StateStore:
    """Open the state database at ``url``, upgrading its schema to the
    latest revision first (idempotent; safe when several processes race)."""
    engine = make_engine(url)
    if migrate:
        try:
            upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
    return StateStore(engine)
