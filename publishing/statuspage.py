"""Rendering the status page, the per-grant detail pages and the JSON copy.

Entry points (all pure: no wiki access, ``now`` injected):

* :class:`GrantRow`: everything known about one grant after a run; the
  runner builds one per grant from the analyses and its state.
* :func:`render_table` → the status page block (a sortable wikitable, one
  row per grant); the writer puts it between the bot's markers.
* :func:`render_detail` → the block of ``<status page>/<grant title>``
  listing each open item with a link to its talk-page section (the table
  links it only when the grant has open items: write it for those).
* :func:`render_json` → a dict for the JSON page (``<status page>.json``);
  :data:`JSON_VOLATILE_KEYS` are ignored when deciding whether it changed.
* :func:`edit_summary` → "Status: 14 grants, 23 open items (3 new, 2
  answered)", comparing with the open ids of the previous JSON page
  (:func:`open_ids_from_json`), so the counts need no database.

Every piece of text that comes from a wiki page goes through
:mod:`publishing.escape`.  "Last updated"/"last checked" are wrapped as volatile
so a run that only refreshes them does not edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from publishing import escape
from parsers.markers import volatile
from parsers.model import Authorship, ReportAnalysis, ReviewerItem, TalkAnalysis, WaitingOn

JSON_VOLATILE_KEYS = frozenset({"generated", "last_checked"})

# Row colours (inline styles: the wiki may have no TemplateStyles) and icons,
# so a reader scanning the table sees at once which grants need attention.
_CUES = {
    "overdue": ("#fde0dc", "⚠"),  # open item at least `stale_days` old
    "open": ("#fef6e7", "●"),  # open items, none overdue yet
    "reviewer": ("#eaf3ff", "↻"),  # grantee answered, reviewer's turn
    "clear": ("#e6f7ec", "✓"),  # nothing open
    "unknown": ("#eeeeee", "?"),  # talk page missing or unreadable
}


@dataclass(frozen=True)
class StatusPageSpec:
    """Where and how to render; the runner maps configuration onto this."""

    title: str = "User:GrantBot/Grant status"
    json_title: str | None = None  # default: title + ".json"
    detail_subpages: bool = True  # one subpage per grant with its open items
    excerpt_chars: int = 160
    stale_days: int = 14
    page_budget: int = 1024 * 1024  # bytes a page may take (half of MediaWiki's 2 MiB)

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

    @property
    def open_items(self) -> tuple[ReviewerItem, ...]:
        return self.talk.open_items if self.talk else ()

    @property
    def oldest_open_at(self) -> datetime | None:
        """When the oldest open item was asked: published as a date, so the page
        does not change every day only because ages grew."""
        asked = [i.asked_at for i in self.open_items if i.asked_at]
        return min(asked) if asked else None

    def oldest_open_days(self, now: datetime) -> int | None:
        oldest = self.oldest_open_at
        return age_days(oldest, now) if oldest else None

    @property
    def waiting_on(self) -> WaitingOn:
        if self.open_items:
            return WaitingOn.GRANTEE
        waits = {t.waiting_on for t in self.talk.threads} if self.talk else set()
        for side in (WaitingOn.REVIEWER, WaitingOn.GRANTEE):
            if side in waits:
                return side
        return WaitingOn.NOBODY

    @property
    def last_grantee_at(self) -> datetime | None:
        return _latest(t.last_grantee_at for t in self.talk.threads) if self.talk else None

    @property
    def last_reviewer_at(self) -> datetime | None:
        return _latest(t.last_reviewer_at for t in self.talk.threads) if self.talk else None

    def cue(self, now: datetime, stale_days: int) -> str:
        if self.talk is None:
            return "unknown"
        oldest = self.oldest_open_days(now)
        if self.open_items:
            return "overdue" if oldest is not None and oldest >= stale_days else "open"
        return "reviewer" if self.waiting_on is WaitingOn.REVIEWER else "clear"


def _latest(values: Any) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def age_days(then: datetime, now: datetime) -> int:
    return max((now - then).days, 0)


def _date(moment: datetime | None) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d") if moment else ""


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def day_of(now: datetime) -> datetime:
    """The start of ``now``'s UTC day: the only clock the published content
    depends on (the overdue colour), so it changes at most once a day."""
    return now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


TABLE_HEADER = (
    '{| class="wikitable sortable" style="width:100%"',
    "! Grant !! Report !! Talk page !! Report status !! Open items !! Oldest open since"
    " !! Waiting on !! Last grantee comment !! Last reviewer comment !! Reminders sent"
    " !! Empty report sections !! Last checked",
)


def legend() -> str:
    return "Legend: " + " · ".join(
        f'<span style="background:{bg};padding:0 .4em">{icon} {name}</span>'
        for name, (bg, icon) in _CUES.items()
    )


def updated_line(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime) -> str:
    total_open = sum(len(r.open_items) for r in rows)
    return (f"{len(rows)} grants, {total_open} open items. "
            f"Last updated: {volatile(_stamp(now))}. JSON copy: [[:{spec.json_page}]].")


def render_table(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime,
                 page: str | None = None) -> str:
    """A status block: updated line, legend, one sortable row per grant and, in
    sections mode, each grant's open items.  ``page``: the page it goes on
    (the status page itself unless the table is split)."""
    ordered = sorted(rows, key=lambda r: r.grant_title)
    pieces = [("\n".join(table_row(r, spec, now, page)), "\n".join(details_sections([r], spec, now)))
              for r in ordered]
    return assemble(ordered, pieces, spec, now)


def assemble(rows: Sequence[GrantRow], pieces: Sequence[tuple[str, str]], spec: StatusPageSpec,
             now: datetime) -> str:
    """A status block from each row's rendered (table row, details) text."""
    lines = [updated_line(rows, spec, now), "", legend(), *TABLE_HEADER]
    lines += [row for row, _ in pieces] + ["|}"]
    lines += [details for _, details in pieces if details]
    return "\n".join(lines)


def details_sections(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime) -> list[str]:
    """Details as sections of the table's page (``detail = "sections"``): one
    edit for everything, which matters on a first sweep over many grants."""
    lines: list[str] = []
    if not spec.detail_subpages:
        for row in rows:
            if row.open_items:
                lines += ["", f"=== {escape.text(_section_title(row))} ===", ""]
                lines += _detail_body(row, spec, now)
    return lines


def _section_title(row: GrantRow) -> str:
    return f"Open items: {row.grant_title}"


def table_row(row: GrantRow, spec: StatusPageSpec, now: datetime,
              page: str | None = None) -> list[str]:
    """One grant's table row; its colour is decided on the day, not the minute."""
    background, icon = _CUES[row.cue(day_of(now), spec.stale_days)]
    count = len(row.open_items)
    if spec.detail_subpages and count:
        opened = escape.link(spec.detail_title(row.grant_title), str(count))
    elif count:
        opened = escape.link(page or spec.title, str(count), _section_title(row))
    else:
        opened = str(count)
    unverified = sum(1 for i in row.open_items if i.authorship is Authorship.UNVERIFIED)
    if unverified:
        opened += f" ({unverified} unverified)"
    oldest = _date(row.oldest_open_at)
    report = escape.link(row.report_title, "report") if row.report_title else ""
    status = escape.text(row.report.status if row.report else None, 60)
    empty = len(row.report.empty_sections) if row.report else ""
    note = f" {escape.text(row.note, 80)}" if row.note else ""
    checked = volatile(_date(row.last_checked or now))
    return [
        f'|- style="background:{background}"',
        f"| {icon} {escape.link(row.grant_title)}{note}",
        f"| {report}",
        f"| {escape.link(row.talk_title, 'talk')}",
        f"| {status}",
        f'| data-sort-value="{count}" | {opened}',
        f'| data-sort-value="{oldest or "9999"}" | {oldest}',
        f"| {row.waiting_on.value}",
        f"| {_date(row.last_grantee_at)}",
        f"| {_date(row.last_reviewer_at)}",
        f"| {row.reminders_sent}",
        f"| {empty}",
        f"| {checked}",
    ]


def render_detail(row: GrantRow, spec: StatusPageSpec, now: datetime) -> str:
    """The detail block for one grant: each open item, where it is, why it is open."""
    lines = [
        f"Open reviewer items on {escape.link(row.talk_title)} "
        f"(grant {escape.link(row.grant_title)}). Back to [[:{spec.title}]]. "
        f"Last updated: {volatile(_stamp(now))}.",
        "",
    ]
    return "\n".join(lines + _detail_body(row, spec, now))


def _detail_body(row: GrantRow, spec: StatusPageSpec, now: datetime) -> list[str]:
    lines: list[str] = []
    items = sorted(row.open_items, key=lambda i: (i.asked_at or now, i.start))
    if not items:
        lines.append("No open items.")
    else:
        lines += [
            '{| class="wikitable sortable"',
            "! # !! Kind !! Asked by !! Asked on !! Where !! Excerpt !! Why the bot thinks it is open",
        ]
        for number, item in enumerate(items, 1):
            lines += _detail_row(number, item, row.talk_title, spec, now)
        lines.append("|}")
    if row.report and row.report.empty_sections and row.report_title:
        lines += ["", f"Empty sections of {escape.link(row.report_title)}:"]
        for section in row.report.empty_sections:
            where = " › ".join(section.path) or section.anchor
            lines.append(
                f"* {escape.link(row.report_title, where, escape.anchor(section.anchor))}"
                f" ({escape.text(section.reason, 40)})"
            )
    return lines


def _detail_row(
    number: int, item: ReviewerItem, talk_title: str, spec: StatusPageSpec, now: datetime
) -> list[str]:
    where = " › ".join(item.section) or item.anchor or talk_title
    return [
        "|-",
        f"| {number}",
        f"| {item.kind.value}",
        f"| {escape.user_link(item.asked_by) if item.asked_by else ''}{_unverified(item)}",
        f"| {_date(item.asked_at)}",
        f"| {escape.link(talk_title, where, escape.anchor(item.anchor) or None)}",
        f"| {escape.text(item.text, spec.excerpt_chars)}",
        f"| {escape.text(item.reason, 200)}",
    ]


def _unverified(item: ReviewerItem) -> str:
    """The mark of an item whose signature names someone who did not add it."""
    return " ''(unverified signature)''" if item.authorship is Authorship.UNVERIFIED else ""


def render_json(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime) -> dict[str, Any]:
    """The same data for tools; plain strings (JSON needs no wikitext escaping)."""
    grants = [grant_json(row, now) for row in sorted(rows, key=lambda r: r.grant_title)]
    return {"generated": iso(now), "status_page": spec.title, "grants": grants}


def grant_json(row: GrantRow, now: datetime) -> dict[str, Any]:
    """One grant as tools read it: dates, never ages (they would change the page daily)."""
    return {
        "grant": row.grant_title,
        "report": row.report_title,
        "talk": row.talk_title,
        "report_status": row.report.status if row.report else None,
        "open_items": [item_json(i) for i in row.open_items],
        "oldest_open_at": iso(row.oldest_open_at),
        "waiting_on": row.waiting_on.value,
        "last_grantee_at": iso(row.last_grantee_at),
        "last_reviewer_at": iso(row.last_reviewer_at),
        "reminders_sent": row.reminders_sent,
        "empty_sections": [
            {"path": list(s.path), "anchor": s.anchor, "reason": s.reason}
            for s in (row.report.empty_sections if row.report else ())
        ],
        "note": row.note,
        "last_checked": iso(row.last_checked or now),
    }


def item_json(item: ReviewerItem) -> dict[str, Any]:
    """The one JSON view of an open item the bot publishes."""
    return {
        "id": item.id,
        "kind": item.kind.value,
        "asked_by": item.asked_by,
        "asked_at": iso(item.asked_at),
        "section": list(item.section),
        "anchor": item.anchor,
        "excerpt": escape.collapse(item.text, 300),
        "reason": item.reason,
        "authorship": item.authorship.value,
    }


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def mask_json(data: Any) -> Any:
    """``data`` without its volatile keys, at any depth."""
    if isinstance(data, dict):
        return {k: mask_json(v) for k, v in data.items() if k not in JSON_VOLATILE_KEYS}
    if isinstance(data, list):
        return [mask_json(v) for v in data]
    return data


def open_ids_from_json(data: Any) -> dict[str, frozenset[str]]:
    """Open item ids per grant from a previous JSON page (empty if unreadable)."""
    result: dict[str, frozenset[str]] = {}
    grants = data.get("grants") if isinstance(data, dict) else None
    for grant in grants if isinstance(grants, list) else []:
        if isinstance(grant, dict) and isinstance(grant.get("grant"), str):
            items = grant.get("open_items") or []
            ids = {i.get("id") for i in items if isinstance(i, dict)}
            result[grant["grant"]] = frozenset(i for i in ids if isinstance(i, str))
    return result


def edit_summary(
    rows: Sequence[GrantRow], previous: Mapping[str, frozenset[str]] | None = None
) -> str:
    """Counts for the edit summary; "new"/"answered" only when a previous run is known."""
    total = sum(len(r.open_items) for r in rows)
    head = f"Status: {len(rows)} grants, {total} open items"
    if previous is None:
        return head
    new = answered = 0
    for row in rows:
        now_open = {i.id for i in row.open_items}
        before = previous.get(row.grant_title, frozenset())
        new += len(now_open - before)
        answered += len(before - now_open)
    return f"{head} ({new} new, {answered} answered)"
