"""Opt-in nudges for reviewers, on their own talk page.

Why opt-in and why there: a reviewer is never nudged on a grantee's talk
page (the grantee would read it as a reprimand of the wrong person); the
status page's per-reviewer view lists what each reviewer owes.  Some
reviewers prefer a note where they already look, so a reviewer listed in
``[reminders] reviewer_nudges`` gets, on ``User talk:<name>``, at most one
short note per ``interval_days`` listing the replies grantees are waiting
for (only on reports a reviewer really owes: never accepted, closed or
draft ones), and never two notes the same (UTC) day.  The page's own
markers are the record, as for grantee reminders; ``{{nobots}}`` on the
page is honoured by the writer.

Pure: the replies owed (``publishing.views.owed_replies``), the page's
markers and ``now`` in; a decision and wikitext out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from parsers.markers import ReminderMarker, reminder_marker
from publishing import escape
from publishing.messages import Messages
from publishing.reminders import too_soon
from publishing.rows import date_of
from publishing.views import Owed

KIND = "nudge"  # the marker kind on a reviewer's talk page


@dataclass(frozen=True)
class NudgeDecision:
    reviewer: str
    owed: tuple[Owed, ...]  # every reply the reviewer owes, most urgent grant first


def nudge_title(reviewer: str) -> str:
    return f"User talk:{reviewer}"


def decide_nudge(reviewer: str, owed: Sequence[Owed], markers: Sequence[ReminderMarker],
                 last_recorded: datetime | None, now: datetime, min_age_days: int,
                 interval_days: int) -> NudgeDecision | None:
    """The nudge due now for ``reviewer``, or None.

    Due when a grantee has waited ``min_age_days`` for one of the replies
    and no nudge went out within ``interval_days`` (page markers and the
    state's record both count) nor on the same day.
    """
    if not owed or not any(now - o.since >= timedelta(days=min_age_days) for o in owed):
        return None
    dates = [m.at for m in markers if m.kind == KIND and m.at is not None]
    dates += [last_recorded] if last_recorded is not None else []
    if too_soon(max(dates, default=None), now, interval_days):
        return None
    return NudgeDecision(reviewer, tuple(owed))


def render_nudge(decision: NudgeDecision, messages: Messages, lang: str, now: datetime,
                 interval_days: int, bot_name: str, listed: int = 20) -> tuple[str, str, str]:
    """``(section title, body, edit summary)``: the marker first, one line per thread, signed."""
    count = len(decision.owed)
    lines = [reminder_marker(KIND, (), now), messages.text("nudge-intro", lang, count=count)]
    for owed in decision.owed[:listed]:
        lines.append(messages.text("nudge-item", lang, link=owed.link(), grant=escape.link(owed.grant_title),
                                   date=date_of(owed.since), days=(now - owed.since).days))
    stop = "<code><nowiki>{{nobots}}</nowiki></code>"
    outro = messages.text("nudge-outro", lang, days=interval_days, stop=stop, bot=escape.entities(bot_name))
    lines += ["", f"{outro} ~~~~"]
    heading = escape.collapse(messages.text("nudge-heading", lang, date=now.strftime("%Y-%m-%d")))
    summary = escape.collapse(messages.text("nudge-summary", lang, count=count))
    return heading, "\n".join(lines), summary
