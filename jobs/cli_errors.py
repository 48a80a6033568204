"""Database failures as one line for the command line and the service.

A state database that is read-only, corrupted or gone away raises
SQLAlchemy's errors from deep inside a run; an operator needs one line
saying which database and what to do, not a traceback.
"""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from bots.errors import ConfigError, GrantbotError
from jobs.state import StateError

# What the driver says, and what the operator should do about it.
_FIXES = (
    ("readonly database", "the state database is read-only: give this account write access "
                          "to the file and its directory, or point [state] url elsewhere"),
    ("file is not a database", "the state file is not an SQLite database (corrupted or another "
                               "file): move it away and run `grantbot db upgrade`"),
    ("database disk image is malformed", "the state database is corrupted: restore a copy or "
                                         "move it away and run `grantbot db upgrade`"),
    ("unable to open database file", "the state database cannot be opened: check [state] url "
                                     "and the directory's permissions"),
)


def state_failure(exc: SQLAlchemyError) -> GrantbotError:
    """A configuration error (exit 2) when the database itself is unusable as
    configured, else a state error (exit 1: the server failed, retry later)."""
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = message[0][:200] if message else type(exc).__name__
    for needle, fix in _FIXES:
        if needle in first.lower():
            return ConfigError(f"{fix} ({first})")
    return StateError(f"the state database failed: {first}")
