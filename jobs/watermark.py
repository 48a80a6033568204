"""Which recent changes an incremental sweep must look at, and where the next one starts.

An incremental sweep reads the wiki's recent changes since a watermark.
Changes can be missed for good in four ways, each closed here:

* the bot's account is also a person's (an operator fixing a page by hand):
  only the revisions the bot saved itself are skipped, by revision id
  (:func:`own_revisions` remembers them), never the whole account;
* the gap since the last sweep is longer than the wiki keeps recent changes
  (``[wiki] recent_changes_days``, 30 on Wikimedia wikis): the sweep lists
  every page instead (:func:`listing_reason`);
* a change row appears late (replication lag): each window overlaps the last
  by :data:`OVERLAP`, far more than maxlag, rows seen before are recognised by
  their ids (:func:`unseen`), and the watermark moves to the newest change
  seen, or to the server clock less the overlap when nothing changed
  (:func:`next_mark`);
* anything else (a bug, a lost row): every ``[schedule] full_sweep_hours`` a
  sweep lists every page again and compares revisions (reconciliation).

Pure: the settings and the probe come in, settings go out; ``now`` injected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from bots.changes import Change
from jobs.config import Config
from jobs.state.records import PageRecord
from publishing.outcomes import EditOutcome, OutcomeKind

WATERMARK = "sweep.watermark"
SEEN = "sweep.seen-changes"  # ids of the change rows in the last overlap window
OWN = "sweep.own-revisions"  # revision id -> when the bot saved it
FULL_AT = "sweep.full-listing-at"  # when the last full listing ran
GRANTS_CONFIG = "sweep.grants-config"  # digest of the [grants] table the grant list was made with
# Replication lag on Wikimedia is held under maxlag (5 s) for bots; two minutes
# covers it many times over, and clock differences between servers.
OVERLAP = timedelta(minutes=2)
# Log entries that change which pages exist (a patrol or a protection changes no grant).
STRUCTURAL = frozenset({"move", "delete", "import", "merge"})


def grants_digest(config: Config) -> str:
    return hashlib.sha256(repr(config.grants).encode("utf-8")).hexdigest()[:16]


def listing_reason(config: Config, settings: Mapping[str, Any], now: datetime, full: bool) -> str | None:
    """Why this sweep must list every page (None: recent changes are enough)."""
    mark, full_at = settings.get(WATERMARK), settings.get(FULL_AT)
    if full:
        return "asked for"
    if not mark:
        return "first sweep"
    if settings.get(GRANTS_CONFIG) not in (None, grants_digest(config)):
        return "the [grants] configuration changed"
    if now - datetime.fromisoformat(mark) + OVERLAP > timedelta(days=config.wiki.recent_changes_days):
        return (f"the last sweep is older than the wiki's {config.wiki.recent_changes_days} days "
                "of recent changes")
    if not full_at or now - datetime.fromisoformat(full_at) >= timedelta(hours=config.schedule.full_sweep_hours):
        return f"reconciliation (every {config.schedule.full_sweep_hours} hours)"
    return None


def structural(changes: Iterable[Change]) -> bool:
    """Pages were moved, deleted or imported: the page list itself may have changed."""
    return any(c.kind == "log" and c.log_type in STRUCTURAL for c in changes)


def since(settings: Mapping[str, Any]) -> datetime:
    """Where the recent-changes window starts: the watermark less the overlap."""
    return datetime.fromisoformat(settings[WATERMARK]) - OVERLAP


def unseen(changes: Iterable[Change], settings: Mapping[str, Any],
           pages: Mapping[str, PageRecord]) -> list[Change]:
    """The changes this sweep has to act on: not seen by the last window, not a
    revision the bot saved itself, not the revision the state already has."""
    seen = set(settings.get(SEEN) or ())
    own = {int(k) for k in settings.get(OWN) or {}}
    out = []
    for change in changes:
        if change.rcid is not None and change.rcid in seen:
            continue
        if change.revid is not None and change.revid in own:
            continue
        record = pages.get(change.title)
        if change.revid is not None and record is not None and record.last_revid == change.revid:
            continue
        out.append(change)
    return out


def next_mark(changes: Iterable[Change], server_time: datetime) -> tuple[datetime, list[int]]:
    """The new watermark, and the ids of the rows the next window will see again."""
    changes = list(changes)
    mark = max([server_time - OVERLAP, *(c.timestamp for c in changes)])
    start = mark - OVERLAP
    return mark, sorted(c.rcid for c in changes if c.rcid is not None and c.timestamp >= start)


def own_revisions(settings: Mapping[str, Any], edits: Iterable[EditOutcome], now: datetime,
                  mark: datetime | None) -> dict[str, str]:
    """The bot's saved revisions a later window may still show, by id (JSON keys are strings)."""
    out = dict(settings.get(OWN) or {})
    out.update({str(e.revid): now.isoformat() for e in edits
                if e.kind is OutcomeKind.EDITED and e.revid is not None})
    if mark is not None:
        keep = mark - 2 * OVERLAP
        out = {k: v for k, v in out.items() if datetime.fromisoformat(v) >= keep}
    return out
