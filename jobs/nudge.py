"""The sweep's reviewer nudges: opt-in, on the reviewer's own talk page.

Runs where the status output is rendered (the rows are at hand, and a new
day always renders), so it costs nothing when no reviewer opted in and one
batched read of the opted-in reviewers' talk pages when someone owes a
reply.  The decision and wording are :mod:`publishing.nudges`'; the last
nudge is known from the page's markers and from the ``nudged.<name>``
setting (either is enough to hold back a second one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bots.changes import fetch_pages
from jobs.context import RunContext
from jobs.state.bulk import save_settings
from parsers.markers import reminder_markers
from parsers.roles import normalise_user
from publishing.nudges import decide_nudge, nudge_title, render_nudge
from publishing.outcomes import EditOutcome, OutcomeKind
from publishing.rows import GrantRow, StatusPageSpec
from publishing.views import owed_replies

NUDGED = "nudged."  # + reviewer: when the last nudge was saved (ISO 8601)


def _recorded(settings: Mapping[str, Any], name: str) -> datetime | None:
    value = settings.get(NUDGED + name)
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def nudge_reviewers(ctx: RunContext, rows: Sequence[GrantRow], spec: StatusPageSpec,
                    settings: Mapping[str, Any]) -> list[EditOutcome]:
    """Post the nudges due to opted-in reviewers; the outcomes, one per nudge tried."""
    config = ctx.config.reminders
    if not config.enabled or not config.reviewer_nudges:
        return []
    now = ctx.now()
    owed = {normalise_user(name): entries for name, entries in owed_replies(rows, spec, now).items()}
    names = [n for n in dict.fromkeys(normalise_user(n) for n in config.reviewer_nudges) if owed.get(n)]
    if not names:
        return []
    pages = fetch_pages(ctx.site, [nudge_title(n) for n in names])
    outcomes, saved = [], {}
    for name in names:
        page = pages.get(nudge_title(name))
        markers = reminder_markers(page.text) if page is not None else ()
        decision = decide_nudge(name, owed[name], markers, _recorded(settings, name), now,
                                config.min_age_days, config.interval_days)
        if decision is None:
            continue
        heading, body, summary = render_nudge(decision, spec.messages, spec.lang, now, config.interval_days,
                                              ctx.site.user)
        outcome = ctx.writer.append_section(nudge_title(name), heading, body, summary, page)
        outcomes.append(outcome)
        if outcome.kind is OutcomeKind.EDITED:
            saved[NUDGED + name] = now.isoformat()
    if saved and not ctx.simulate:
        save_settings(ctx.state.engine, saved, now)
    return outcomes
