"""Rendering the status page, the per-grant detail pages and the JSON copy.

Entry points (all pure: no wiki access, ``now`` injected):

* :class:`~publishing.rows.GrantRow` (in :mod:`publishing.rows`): one
  grant and its state; the runner builds one per grant.
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
:mod:`publishing.escape`.  "Last updated" (and the JSON's "generated" and
"last_checked") are volatile so a run that only refreshes them does not edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from parsers.markers import volatile
from parsers.model import Authorship, ReportSection, ReviewerItem
from publishing import escape
from publishing.links import item_label, item_link
from publishing.rows import (  # noqa: F401  (GrantRow, StatusPageSpec, day_of: imported from here too)
    CUES,
    URGENCY,
    GrantRow,
    StatusPageSpec,
    date_of,
    by_urgency,
    day_of,
    name_in_namespace,
)

JSON_VOLATILE_KEYS = frozenset({"generated", "last_checked"})

def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def table_header(spec: StatusPageSpec) -> tuple[str, str]:
    return ('{| class="wikitable sortable" style="width:100%"', "! " + spec.msg("status-columns"))


def legend(spec: StatusPageSpec | None = None) -> str:
    spec = spec or StatusPageSpec()
    return spec.msg("status-legend") + ": " + " · ".join(
        f'<span style="background:{bg};padding:0 .4em">{icon} {spec.msg("state-" + name)}</span>'
        for name, (bg, icon) in CUES.items()
    )


def summary_line(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime) -> str:
    """What a program officer reads first: how many grants need whom."""
    day = day_of(now)
    return spec.msg(
        "status-summary", overdue=sum(1 for r in rows if r.cue(day, spec.stale_days) == "overdue"),
        reviewer=sum(1 for r in rows if r.reviewer_owes), empty=sum(1 for r in rows if r.empty_sections),
        grants=len(rows), open=sum(len(r.open_items) for r in rows))


def updated_line(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime) -> str:
    views = (f"[[:{spec.reviewers_title}|{spec.msg('view-reviewers')}]] · "
             f"[[:{spec.programs_title}|{spec.msg('view-programs')}]]. ") if spec.views else ""
    return (summary_line(rows, spec, now) + "\n\n" + views
            + spec.msg("status-updated", date=volatile(_stamp(now)), json=f"[[:{spec.json_page}]]"))


def render_table(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime) -> str:
    """A status block: summary, legend, one sortable row per grant (most
    urgent first) and, in sections mode, each grant's open items."""
    ordered = by_urgency(rows, spec, now)
    pieces = [("\n".join(table_row(r, spec, now)), "\n".join(details_sections([r], spec, now)))
              for r in ordered]
    return assemble(ordered, pieces, spec, now)


def assemble(rows: Sequence[GrantRow], pieces: Sequence[tuple[str, str]], spec: StatusPageSpec,
             now: datetime) -> str:
    """A status block from each row's rendered (table row, details) text."""
    lines = [updated_line(rows, spec, now), "", legend(spec), *table_header(spec)]
    lines += [row for row, _ in pieces] + ["|}"]
    lines += [details for _, details in pieces if details]
    return "\n".join(lines)


def details_sections(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime) -> list[str]:
    """Details as sections of the table's page (``detail = "sections"``): one
    edit for everything, which matters on a first sweep over many grants."""
    lines: list[str] = []
    if spec.details and not spec.detail_subpages:
        for row in rows:
            if row.open_items:
                lines += ["", f"=== {escape.text(_section_title(row, spec))} ===", ""]
                lines += _detail_body(row, spec, now)
    return lines


def _section_title(row: GrantRow, spec: StatusPageSpec) -> str:
    return spec.msg("detail-title", grant=row.name)


def table_row(row: GrantRow, spec: StatusPageSpec, now: datetime) -> list[str]:
    """One grant's table row; its state is decided on the day, not the minute."""
    cue = row.cue(day_of(now), spec.stale_days)
    background, icon = CUES[cue]
    count = len(row.open_items)
    if spec.details and spec.detail_subpages and count:
        opened = escape.link(spec.detail_title(row.grant_title), str(count))
    elif spec.details and count:  # the section is on this very page
        opened = f"[[#{escape.fragment(_section_title(row, spec))}|{count}]]"
    else:
        opened = str(count)
    unverified = sum(1 for i in row.open_items if i.authorship is Authorship.UNVERIFIED)
    if unverified:
        opened += f" ({spec.msg('unverified', count=unverified)})"
    oldest = date_of(row.oldest_open_at or row.reviewer_waiting_since)
    # Names, not links: a row per grant makes links the bulk of the page's parse
    # time on every save, and a grantee is reached from the grant's own pages.
    grantees = escape.text(", ".join((row.talk.grantees if row.talk else ())[:3]))
    return [
        f'|- style="background:{background}"',
        f'| data-sort-value="{URGENCY[cue]}" | {icon} {spec.msg("state-" + cue)}',
        f"| {_grant_cell(row, spec)}",
        f"| {escape.text(row.program, 60)}",
        f"| {grantees}",
        f"| {_status_cell(row, spec)}",
        f"| {_sort_key(str(count), bool(unverified))}{opened}",
        f"| {_sort_key('9999', not oldest)}{oldest}",
        f"| {date_of(row.last_grantee_at) or '–'} / {date_of(row.last_reviewer_at) or '–'}",
        f"| {_reminder_cell(row, spec)}",
        f'| data-sort-value="{len(row.empty_sections)}" | {_empty_cell(row)}',
    ]


def _sort_key(key: str, needed: bool) -> str:
    """``data-sort-value`` only where the cell's text is not already ``key``: the
    table sorter reads the text, so the attribute would repeat it on every row."""
    return f'data-sort-value="{key}" | ' if needed else ""


def _grant_cell(row: GrantRow, spec: StatusPageSpec) -> str:
    """The grant's name without the namespace every row shares, linked to its report
    (a subpage of the grant that links back to it) when it has one, and its talk page."""
    note = f" {escape.text(row.note, 80)}" if row.note else ""
    talk = escape.link(row.talk_title, spec.msg("link-talk"))
    return f"{escape.link(row.report_title or row.grant_title, row.name)}<br /><small>{talk}</small>{note}"


def _status_cell(row: GrantRow, spec: StatusPageSpec) -> str:
    """The normalised state, in the page's language; the report's own words beside it when they differ."""
    raw = row.report.status if row.report else None
    state = spec.msg("report-" + row.report_state.value)
    if raw and raw.strip().lower() != state.lower():
        return f"{state} <small>({escape.text(raw, 40)})</small>"
    return state


def _reminder_cell(row: GrantRow, spec: StatusPageSpec) -> str:
    r = row.reminder
    if r is None:
        return str(row.reminders_sent)
    if r.blocked:
        return spec.msg("reminder-state-blocked", why=escape.text(r.blocked, 80), sent=r.sent, max=r.max)
    if r.off:
        return spec.msg("reminder-state-off", sent=r.sent, max=r.max)
    if r.next_at is not None and row.open_items:
        return spec.msg("reminder-state-next", date=date_of(r.next_at), sent=r.sent, max=r.max)
    if row.open_items:
        return spec.msg("reminder-state-done", sent=r.sent, max=r.max)
    return spec.msg("reminder-state-none", sent=r.sent, max=r.max)


def _empty_cell(row: GrantRow, shown: int = 4) -> str:
    """The empty sections, the first few by name, then a count.  Only the first is
    linked to its anchor on the report: a reader starts there, and every link costs
    the wiki parse time on each save of a page with a row per grant."""
    if not row.report_title or not row.empty_sections:
        return ""
    first, *others = row.empty_sections[:shown]
    cell = _section_link(row.report_title, first)
    if others:
        cell += ", " + escape.text(", ".join(_section_name(s) for s in others))
    more = len(row.empty_sections) - shown
    return cell + (f" (+{more})" if more > 0 else "")


def _section_name(section: ReportSection) -> str:
    return " › ".join(section.path) or section.anchor


def _section_link(report_title: str, section: ReportSection) -> str:
    """An empty section by name, linked to its anchor on the report."""
    return escape.link(report_title, _section_name(section), escape.anchor(section.anchor))


def render_detail(row: GrantRow, spec: StatusPageSpec, now: datetime) -> str:
    """The detail block for one grant: each open item, where it is, why it is open."""
    grant = escape.link(row.grant_title, row.name)
    lines = [spec.msg("detail-intro", talk=escape.link(row.talk_title), grant=grant,
                      state=spec.msg("report-" + row.report_state.value), back=f"[[:{spec.title}]]",
                      date=volatile(_stamp(now))), ""]
    return "\n".join(lines + _detail_body(row, spec, now))


def _detail_body(row: GrantRow, spec: StatusPageSpec, now: datetime) -> list[str]:
    lines: list[str] = []
    items = sorted(row.open_items, key=lambda i: (i.asked_at or now, i.start))
    if not items:
        lines.append(spec.msg("detail-none"))
    else:
        lines += [
            '{| class="wikitable sortable"',
            "! " + spec.msg("detail-columns"),
        ]
        for number, item in enumerate(items, 1):
            lines += _detail_row(number, item, row.talk_title, spec, now)
        lines.append("|}")
    lines += _corrections(row, spec)
    if row.report and row.report.empty_sections and row.report_title:
        report = escape.link(row.report_title, name_in_namespace(row.report_title))
        lines += ["", spec.msg("detail-empty", report=report)]
        for section in row.report.empty_sections:
            lines.append(
                f"* {_section_link(row.report_title, section)}"
                f" ({escape.text(section.reason, 40)})"
            )
    return lines


def _corrections(row: GrantRow, spec: StatusPageSpec) -> list[str]:
    """What people told the bot on the talk page, honoured or refused, and who."""
    found = row.talk.corrections if row.talk else ()
    if not found:
        return []
    lines = ["", spec.msg("detail-corrections")]
    for c in found:
        mark = "✓" if c.honoured else "✗"
        lines.append(f"* {mark} {escape.text(c.kind.value)} {escape.text(c.item_id, 40)}: "
                     f"{escape.text(c.reason, 160)}")
    return lines


def _detail_row(
    number: int, item: ReviewerItem, talk_title: str, spec: StatusPageSpec, now: datetime
) -> list[str]:
    return [
        "|-",
        f"| {number}",
        f"| {escape.text(item.id, 40)}",
        f"| {spec.msg('kind-' + item.kind.value)}",
        f"| {escape.user_link(item.asked_by) if item.asked_by else ''}{_unverified(item, spec)}",
        f"| {date_of(item.asked_at)}",
        f"| {item_link(item, talk_title, item_label(item, talk_title), spec.goto_comment)}",
        f"| {escape.text(item.text, spec.excerpt_chars)}",
        f"| {escape.text(item.reason, 200)}",
    ]


def _unverified(item: ReviewerItem, spec: StatusPageSpec) -> str:
    """The mark of an item whose signature names someone who did not add it."""
    return f" ''{spec.msg('detail-unverified')}''" if item.authorship is Authorship.UNVERIFIED else ""


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
        "report_state": row.report_state.value,
        "program": row.program,
        "reviewer_owes": row.reviewer_owes,
        "corrections": [{"kind": c.kind.value, "item": c.item_id, "by": c.by, "honoured": c.honoured,
                         "reason": c.reason} for c in (row.talk.corrections if row.talk else ())],
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
    rows: Sequence[GrantRow], previous: Mapping[str, frozenset[str]] | None = None,
    spec: StatusPageSpec | None = None,
) -> str:
    """Counts for the edit summary, in the status page's language; "new"/"answered"
    only when a previous run is known."""
    total = sum(len(r.open_items) for r in rows)
    head = (spec or StatusPageSpec()).msg("status-summary-edit", grants=len(rows), open=total)
    if previous is None:
        return head
    new = answered = 0
    for row in rows:
        now_open = {i.id for i in row.open_items}
        before = previous.get(row.grant_title, frozenset())
        new += len(now_open - before)
        answered += len(before - now_open)
    return f"{head} ({new} new, {answered} answered)"
