"""What :class:`jobs.state.StateStore` hands back: frozen, detached values.

ORM objects never leave the store, so callers cannot trip over lazy loads
after a session closed or mutate rows behind the store's back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any


class RunKind(str, Enum):
    SWEEP = "sweep"  # scheduled
    MANUAL = "manual"  # `grantbot run` from a shell
    REQUEST = "request"  # asked for on the wiki's request page


GONE = "gone"  # item status when it vanished from the page (archived, removed)


@dataclass(frozen=True)
class PageRecord:
    title: str
    page_id: int | None
    kind: str  # "report" or "talk"
    grant: str | None
    last_revid: int | None
    last_timestamp: datetime | None
    analysis_revid: int | None
    analysis_version: str | None
    updated_at: datetime


@dataclass(frozen=True)
class StoredAnalysis:
    revid: int
    version: str | None
    data: Any  # whatever JSON the runner stored


@dataclass(frozen=True)
class ItemRecord:
    grant: str
    item_id: str
    kind: str
    text: str
    section: tuple[str, ...]
    anchor: str
    asked_by: str | None
    asked_at: datetime | None
    first_seen: datetime
    last_seen: datetime
    status: str  # "open", "answered" or "gone"
    status_since: datetime
    history: tuple[StatusChange, ...]


@dataclass(frozen=True)
class StatusChange:
    """One row of an item's status history."""

    status: str
    changed_at: datetime
    previous: str | None = None  # None for the first sighting
    item_id: str = ""


@dataclass(frozen=True)
class ReminderRecord:
    id: int
    grant: str
    talk_page: str
    item_ids: tuple[str, ...]
    revid: int | None
    posted_at: datetime


@dataclass(frozen=True)
class RunRecord:
    id: int
    kind: str
    started_at: datetime
    finished_at: datetime | None
    grants: int
    api_requests: int
    edits: int
    errors: str
    outcome: str | None  # None while the run is going (or crashed without finishing)


@dataclass(frozen=True)
class RequestRecord:
    id: int
    requested_by: str
    target: str
    requested_at: datetime
    source_revid: int | None
    received_at: datetime
    served_at: datetime | None
    run_id: int | None
    outcome: str | None
