"""Deciding whether a grant talk page gets a reminder, and rendering it.

Entry points (pure; ``now`` injected):

* :func:`reminder_history` merges what the page's own hidden markers say
  (:mod:`parsers.markers`) with what the state database remembers.  The
  page wins: if a run crashed after posting and before recording, the
  marker is still there, so the item is not reminded twice.  Per item the
  merge takes the larger count and the later date, so a reminder both
  recorded and still visible counts once, and one archived off the page
  still counts.
* :func:`decide` applies a :class:`ReminderPolicy` and returns a
  :class:`ReminderDecision` (or None).  Reminders go to the grantee side
  only: a reviewer who owes a reply is listed on the status page's
  per-reviewer view, never nudged on the grantee's talk page.  Never for an
  accepted or closed report; never a second reminder on a page the same
  (UTC) day.
* :func:`render` turns a decision into ``(section title, body, summary)``
  for the writer's append-only new-section edit, in the page's language:
  every open item of the grant linked to its comment, what happens next,
  how to say "handled elsewhere" or "not a question", how to opt out.
* :func:`state` says, for the status page, how many reminders a grant got
  and when the next one may come (or why none can).

Wording comes from :mod:`publishing.messages` (built-in en/es/pt/fr,
configured and on-wiki overrides).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from parsers.corrections import TEMPLATE_NAME
from parsers.markers import ReminderMarker, reminder_marker
from parsers.model import Authorship, ItemStatus, ReviewerItem, TalkAnalysis
from parsers.reportstatus import ReportState
from publishing import escape
from publishing.links import item_label, item_link
from publishing.messages import Messages

KIND = "grantee"  # the one kind of reminder the bot posts on a talk page


@dataclass(frozen=True)
class ReminderPolicy:
    """When to remind; defaults follow the issue.  The runner maps config onto it."""

    min_age_days: int = 14  # an item must have been open this long
    interval_days: int = 14  # at most one reminder per grant in this window
    max_per_item: int = 2
    reviewer_silence_days: int = 30  # a reviewer who owes a reply longer is flagged on the status page
    max_items_listed: int = 20
    excerpt_chars: int = 140
    messages: Messages = field(default_factory=Messages)
    goto_comment: bool = False  # link items as Special:GoToComment/<id> (wiki has DiscussionTools)


@dataclass(frozen=True)
class ItemHistory:
    count: int
    last: datetime | None


@dataclass(frozen=True)
class ReminderDecision:
    recipients: tuple[str, ...]
    items: tuple[ReviewerItem, ...]  # every open item of the grant, oldest first
    marker_ids: tuple[str, ...]  # the items this reminder counts for (old enough, under the cap)
    next_at: datetime | None  # the earliest next reminder, None when this is the last


@dataclass(frozen=True)
class ReminderState:
    """What the status page says about a grant's reminders."""

    sent: int
    max: int
    next_at: datetime | None  # None: no more will come (cap reached) or none can (``blocked``, ``off``)
    blocked: str | None  # why the bot cannot remind on this page: opted out, nobots, report accepted...
    # Reminders are switched off for the whole run (configuration): a fact about the
    # run, not the page, so the status page says it in a word instead of a reason per row.
    off: bool = False


def reminder_history(
    markers: Sequence[ReminderMarker],
    recorded: Mapping[str, Sequence[datetime]] | None = None,
    kind: str = "grantee",
) -> dict[str, ItemHistory]:
    """Per item id: how many reminders and the latest, page markers merged with state."""
    page: dict[str, list[datetime | None]] = {}
    for marker in markers:
        if marker.kind == kind:
            for item in marker.items:
                page.setdefault(item, []).append(marker.at)
    result: dict[str, ItemHistory] = {}
    for item in set(page) | set(recorded or {}):
        on_page = page.get(item, [])
        in_state = list((recorded or {}).get(item, ()))
        dates = [d for d in on_page + in_state if d is not None]
        result[item] = ItemHistory(max(len(on_page), len(in_state)), max(dates) if dates else None)
    return result


def last_reminder(markers: Sequence[ReminderMarker], kind: str) -> datetime | None:
    dates = [m.at for m in markers if m.kind == kind and m.at is not None]
    return max(dates) if dates else None


def too_soon(last: datetime | None, now: datetime, interval_days: int) -> bool:
    """Never two posts the same day, nor two within the interval (reminders and nudges alike)."""
    return last is not None and (last.date() == now.date() or now - last < timedelta(days=interval_days))


def blocked_by_report(report_state: ReportState | None) -> str | None:
    if report_state is not None and report_state.settled:
        return f"the report is {report_state.value}"
    return None


def decide(
    analysis: TalkAnalysis,
    markers: Sequence[ReminderMarker],
    policy: ReminderPolicy,
    now: datetime,
    recorded: Mapping[str, Sequence[datetime]] | None = None,
    recorded_last: datetime | None = None,
    report_state: ReportState | None = None,
) -> ReminderDecision | None:
    """The reminder due now on this page, or None.

    ``recorded``: reminder dates per item id from the state database;
    ``recorded_last``: the last reminder the state knows for this grant.
    Any reminder on the page (whatever its kind) counts for "one a day".
    """
    if blocked_by_report(report_state) or not analysis.grantees:
        return None
    lasts = [d for d in [m.at for m in markers] + [recorded_last] if d is not None]
    if too_soon(max(lasts, default=None), now, policy.interval_days):
        return None
    history = reminder_history(markers, recorded, KIND)
    due = [i for i in analysis.open_items if _due(i, history, policy, now)]
    if not due:
        return None
    listed = sorted((i for i in analysis.open_items if i.asked_at is not None),
                    key=lambda i: (i.asked_at, i.start))
    counts = [history.get(i.id, ItemHistory(0, None)).count + 1 for i in due]
    again = min(counts) < policy.max_per_item or any(i not in due for i in listed)
    return ReminderDecision(
        recipients=tuple(analysis.grantees), items=tuple(listed),
        marker_ids=tuple(i.id for i in sorted(due, key=lambda i: (i.asked_at, i.start))),
        next_at=now + timedelta(days=policy.interval_days) if again else None,
    )


def _due(item: ReviewerItem, history: Mapping[str, ItemHistory], policy: ReminderPolicy,
         now: datetime) -> bool:
    if item.status is not ItemStatus.OPEN or item.asked_at is None:
        return False
    if item.authorship is Authorship.UNVERIFIED:  # someone else typed the asker's name
        return False
    if now - item.asked_at < timedelta(days=policy.min_age_days):
        return False
    past = history.get(item.id, ItemHistory(0, None))
    if past.count >= policy.max_per_item:
        return False
    return past.last is None or now - past.last >= timedelta(days=policy.interval_days)


def state(
    analysis: TalkAnalysis | None,
    policy: ReminderPolicy,
    now: datetime,
    recorded: Mapping[str, Sequence[datetime]],
    refusal: str | None,
    report_state: ReportState | None,
    enabled: bool = True,
) -> ReminderState:
    """Sent so far, and the next possible date or why there is none (status page).

    ``enabled``: reminders are switched on for the run; when they are not, the
    page's own reason (if any) is still given, it outlasts the switch."""
    dates = sorted({d for ds in recorded.values() for d in ds})
    sent = len(dates)
    blocked = refusal or blocked_by_report(report_state)
    if blocked or not enabled or analysis is None:
        return ReminderState(sent, policy.max_per_item, None, blocked, off=not enabled)
    history = reminder_history((), recorded, KIND)
    candidates = []
    for item in analysis.open_items:
        past = history.get(item.id, ItemHistory(0, None))
        if item.asked_at is None or past.count >= policy.max_per_item:
            continue
        when = item.asked_at + timedelta(days=policy.min_age_days)
        if past.last is not None:
            when = max(when, past.last + timedelta(days=policy.interval_days))
        candidates.append(when)
    if dates:
        candidates = [max(c, dates[-1] + timedelta(days=policy.interval_days)) for c in candidates]
    return ReminderState(sent, policy.max_per_item, max(min(candidates), now) if candidates else None, None)


def render(
    decision: ReminderDecision,
    talk_title: str,
    language: str,
    policy: ReminderPolicy,
    now: datetime,
    bot_name: str,
) -> tuple[str, str, str]:
    """``(section title, body, edit summary)``; the body starts with the marker and ends signed."""
    msg, lang = policy.messages, language or "en"
    pings = ", ".join(escape.user_link(u) for u in decision.recipients)
    heading = escape.collapse(msg.text("reminder-heading", lang, date=now.strftime("%Y-%m-%d")))
    # The marker goes first: a line of its own that thread parsers skip, and
    # it is on the page from the very edit that posts the reminder.
    lines = [reminder_marker(KIND, decision.marker_ids, now),
             msg.text("reminder-intro", lang, pings=pings, count=len(decision.items), days=policy.min_age_days)]
    for item in decision.items[: policy.max_items_listed]:
        age = (now - item.asked_at).days if item.asked_at else 0
        lines.append(msg.text(
            "reminder-item", lang, id=escape.text(item.id),
            link=item_link(item, talk_title, item_label(item, talk_title), policy.goto_comment),
            # plain text: a user link in a signed post would ping the reviewer
            asked_by=escape.text(item.asked_by) if item.asked_by else "?",
            asked_on=item.asked_at.strftime("%Y-%m-%d") if item.asked_at else "?", age=age,
            excerpt=escape.text(item.text, policy.excerpt_chars), kind=item.kind.value))
    example = decision.items[0].id if decision.items else "ID"
    lines += ["", msg.text("reminder-next", lang, date=f"{decision.next_at:%Y-%m-%d}") if decision.next_at
              else msg.text("reminder-last", lang),
              msg.text("reminder-howto", lang, example=example,
                       answered=_code(f"{{{{{TEMPLATE_NAME}|answered|{example}}}}}"),
                       notq=_code(f"{{{{{TEMPLATE_NAME}|not-a-question|{example}}}}}"),
                       optout=_code(f"{{{{bots|deny={bot_name}}}}}")),
              "", f"{msg.text('reminder-outro', lang, bot=escape.entities(bot_name))} ~~~~"]
    summary = escape.collapse(msg.text("reminder-summary", lang, count=len(decision.items)))
    return heading, "\n".join(lines), summary


def _code(wikitext: str) -> str:
    """A template shown, not used: the page must not be corrected by the bot's own example."""
    return "<code><nowiki>" + wikitext.replace("<", "&lt;") + "</nowiki></code>"
