"""One grant as the status output sees it, and what its state is.

Why apart from the rendering: the state of a grant (who owes what, how
urgent it is, which report state it is in) is a decision; the status page,
its views and the JSON copy all render the same decision.  Pure, ``now``
injected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timezone
from typing import Any

from parsers.model import ReportAnalysis, ReportSection, ReviewerItem, TalkAnalysis, WaitingOn
from parsers.reportstatus import ReportState, normalise
from publishing.messages import Messages
from publishing.reminders import ReminderState


# Row states in urgency order, with colours (inline styles: the wiki may have
# no TemplateStyles) and icons, so a reader scanning the table sees at once
# which grants need attention; each label is the message ``state-<name>``.
CUES = {
    "overdue": ("#fde0dc", "⚠"),  # open item at least `stale_days` old: the grantee side is late
    "open": ("#fef6e7", "●"),  # open items, none overdue yet
    "reviewer": ("#eaf3ff", "↻"),  # a reviewer owes a reply on a report handed in
    "empty": ("#f3eefc", "▢"),  # nothing asked, but report sections still empty
    "unknown": ("#eeeeee", "?"),  # talk page missing or unreadable
    "clear": ("#e6f7ec", "✓"),  # nothing open
    "settled": ("#f4f4f4", "■"),  # report accepted or closed: nobody owes anything
}
URGENCY = {name: rank for rank, name in enumerate(CUES)}


@dataclass(frozen=True)
class StatusPageSpec:
    """Where and how to render; the runner maps configuration onto this."""

    title: str = "User:GrantBot/Grant status"
    json_title: str | None = None  # default: title + ".json"
    detail_subpages: bool = True  # one subpage per grant with its open items
    details: bool = True  # False: the table only, no per-grant details (subpages or sections)
    views: bool = True  # the by-reviewer and by-program pages
    excerpt_chars: int = 160
    stale_days: int = 14
    page_budget: int = 1024 * 1024  # bytes a page may take (half of MediaWiki's 2 MiB)
    lang: str = "en"  # the language of headers, legend and summary
    messages: Messages = field(default_factory=Messages)
    goto_comment: bool = False  # link items to Special:GoToComment/<id>

    def msg(self, key: str, **values: object) -> str:
        return self.messages.text(key, self.lang, **values)

    @property
    def reviewers_title(self) -> str:
        return f"{self.title}/By reviewer"

    @property
    def programs_title(self) -> str:
        return f"{self.title}/By program"

    @property
    def json_page(self) -> str:
        return self.json_title or f"{self.title}.json"

    def part_title(self, n: int) -> str:
        return f"{self.title}/{n}"

    def json_part_title(self, n: int) -> str:
        return f"{self.title}/{n}.json"

    def detail_title(self, grant_title: str) -> str:
        return f"{self.title}/{grant_title}"


@dataclass(frozen=True)
class GrantRow:
    """One grant as the status page shows it."""

    grant_title: str
    talk_title: str
    report_title: str | None = None
    talk: TalkAnalysis | None = None
    report: ReportAnalysis | None = None
    reminders_sent: int = 0
    last_checked: datetime | None = None
    note: str | None = None  # e.g. "talk page does not exist"
    reminder: ReminderState | None = None  # what the reminder policy says about this grant

    @cached_property  # rows are frozen: derived once, read by every renderer
    def program(self) -> str:
        return program_of(self.grant_title)

    @cached_property
    def name(self) -> str:
        return name_in_namespace(self.grant_title)

    @cached_property
    def report_state(self) -> ReportState:
        return normalise(self.report.status if self.report else None).state

    @cached_property
    def empty_sections(self) -> tuple[ReportSection, ...]:
        return self.report.empty_sections if self.report and not self.report_state.settled else ()

    @cached_property
    def reviewer_owes(self) -> bool:
        """A reviewer really owes a reply: a grantee spoke last in a thread of a report
        handed in (never an accepted, closed or draft one)."""
        if self.talk is None or not self.report_state.reviewer_can_owe:
            return False
        return any(t.waiting_on is WaitingOn.REVIEWER for t in self.talk.threads)

    @cached_property
    def reviewer_waiting_since(self) -> datetime | None:
        if not self.reviewer_owes or self.talk is None:
            return None
        return min((t.last_grantee_at for t in self.talk.threads
                    if t.waiting_on is WaitingOn.REVIEWER and t.last_grantee_at), default=None)

    @cached_property
    def open_items(self) -> tuple[ReviewerItem, ...]:
        return self.talk.open_items if self.talk else ()

    @cached_property
    def oldest_open_at(self) -> datetime | None:
        """When the oldest open item was asked: published as a date, so the page
        does not change every day only because ages grew."""
        asked = [i.asked_at for i in self.open_items if i.asked_at]
        return min(asked) if asked else None

    def oldest_open_days(self, now: datetime) -> int | None:
        oldest = self.oldest_open_at
        return age_days(oldest, now) if oldest else None

    @cached_property
    def waiting_on(self) -> WaitingOn:
        if self.report_state.settled:
            return WaitingOn.NOBODY
        if self.open_items:
            return WaitingOn.GRANTEE
        if self.reviewer_owes:
            return WaitingOn.REVIEWER
        if self.talk and any(t.waiting_on is WaitingOn.GRANTEE for t in self.talk.threads):
            return WaitingOn.GRANTEE
        return WaitingOn.NOBODY

    @cached_property
    def last_grantee_at(self) -> datetime | None:
        return _latest(t.last_grantee_at for t in self.talk.threads) if self.talk else None

    @cached_property
    def last_reviewer_at(self) -> datetime | None:
        return _latest(t.last_reviewer_at for t in self.talk.threads) if self.talk else None

    def cue(self, now: datetime, stale_days: int) -> str:
        if self.report_state.settled:
            return "settled"
        if self.talk is None:
            return "unknown"
        oldest = self.oldest_open_days(now)
        if self.open_items:
            return "overdue" if oldest is not None and oldest >= stale_days else "open"
        if self.reviewer_owes:
            return "reviewer"
        return "empty" if self.empty_sections else "clear"

    def urgency(self, now: datetime, stale_days: int) -> tuple[int, datetime, str]:
        """Sort key: the state's rank, then the oldest wait first, then the title."""
        since = self.oldest_open_at or self.reviewer_waiting_since or datetime.max.replace(tzinfo=timezone.utc)
        return URGENCY[self.cue(day_of(now), stale_days)], since, self.grant_title


def name_in_namespace(title: str) -> str:
    """A grant's (or its report's) title without its namespace ("Grants:APG/X" ->
    "APG/X"), read from the title itself: every grant title is ``<grant
    namespace>:<path>`` (``jobs.grants``), so the prefix, the same on every row,
    tells a reader nothing, and stripping it keeps titles (and the anchors made
    from them) distinct."""
    return title.partition(":")[2] or title


def program_of(grant_title: str) -> str:
    """The program a grant belongs to, from its title: the first part of the path
    ("Conference", "APG"), with the second when the path is long enough to hold a
    sub-program, a grantee and a grant ("Project/Rapid/<grantee>/<grant>")."""
    parts = name_in_namespace(grant_title).split("/")
    return "/".join(parts[:2]) if len(parts) >= 4 else parts[0]


def by_urgency(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime) -> list[GrantRow]:
    return sorted(rows, key=lambda r: r.urgency(now, spec.stale_days))


def _latest(values: Any) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def age_days(then: datetime, now: datetime) -> int:
    return max((now - then).days, 0)


def date_of(moment: datetime | None) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d") if moment else ""


def day_of(now: datetime) -> datetime:
    """The start of ``now``'s UTC day: the only clock the published content
    depends on (the overdue colour), so it changes at most once a day."""
    return now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
