"""Two views of the status table for the people who act on it.

* :func:`by_reviewer` ("my open questions"): per reviewer, the questions
  they asked that are still open, and the threads where a grantee replied
  and they owe the answer.  This is where reviewers are reminded: never on
  the grantee's talk page.
* :func:`by_program`: per program, how many grants need whom, and the ones
  that need attention, most urgent first.

Both are one page each; a view that would pass the page budget stops with a
line saying how many entries are left out (the JSON copy has them all).
Pure: rows, spec and ``now`` in, wikitext out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from parsers.markers import volatile
from parsers.model import WaitingOn
from publishing import escape
from publishing.links import item_label, item_link
from publishing.rows import CUES, GrantRow, StatusPageSpec, by_urgency, date_of, day_of


def _fit(head: list[str], sections: list[list[str]], spec: StatusPageSpec) -> str:
    """``head`` and as many whole sections as fit in the page budget."""
    out, size = list(head), sum(len(x.encode("utf-8")) + 1 for x in head)
    for n, section in enumerate(sections):
        cost = sum(len(x.encode("utf-8")) + 1 for x in section)
        if size + cost > spec.page_budget - 300:
            out.append(f"\n''{spec.msg('view-left-out', count=len(sections) - n)}''")
            break
        out += section
        size += cost
    return "\n".join(out)


@dataclass(frozen=True)
class Owed:
    """A thread where the grantee side replied and a reviewer of the page owes the answer."""

    grant_title: str
    talk_title: str
    section: tuple[str, ...]
    since: datetime  # the grantee's last comment in it

    def link(self) -> str:
        return escape.link(self.talk_title, " › ".join(self.section) or self.grant_title,
                           escape.anchor(self.section[-1]) if self.section else None)


def owed_replies(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime) -> dict[str, list[Owed]]:
    """Per reviewer, the replies they owe, most urgent grant first.

    Only where a reviewer really owes one (``GrantRow.reviewer_owes``):
    never for accepted, closed or draft reports.
    """
    owed: dict[str, list[Owed]] = {}
    for row in by_urgency(rows, spec, now):
        if not row.reviewer_owes or row.talk is None:
            continue
        for thread in row.talk.threads:
            if thread.waiting_on is WaitingOn.REVIEWER and thread.last_grantee_at is not None:
                entry = Owed(row.grant_title, row.talk_title, thread.section, thread.last_grantee_at)
                for reviewer in row.talk.reviewers:
                    owed.setdefault(reviewer, []).append(entry)
    return owed


def by_reviewer(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime, silence_days: int) -> str:
    """One section per reviewer: their open questions and the replies waiting for them."""
    asked: dict[str, list[str]] = {}
    late = day_of(now) - timedelta(days=silence_days)
    for row in by_urgency(rows, spec, now):
        if row.report_state.settled:
            continue
        for item in row.open_items:
            if item.asked_by:
                asked.setdefault(item.asked_by, []).append(
                    f"* {escape.link(row.grant_title)}: "
                    f"{item_link(item, row.talk_title, item_label(item, row.talk_title), spec.goto_comment)}"
                    f" ({date_of(item.asked_at)}) {escape.text(item.text, 100)}")
    owed = {name: [f"* {o.link()} ({escape.link(o.grant_title)}): "
                   f"{spec.msg('view-grantee-replied', date=date_of(o.since))}{' ⚠' if o.since <= late else ''}"
                   for o in entries]
            for name, entries in owed_replies(rows, spec, now).items()}
    sections = []
    for name in sorted(set(asked) | set(owed)):
        owes, open_ = len(owed.get(name, [])), len(asked.get(name, []))
        section = ["", f"== {escape.text(name)} ==", spec.msg("view-reviewer-counts", owed=owes, open=open_)]
        if owed.get(name):
            section += [f"; {spec.msg('view-reviewer-owed')}", *owed[name]]
        if asked.get(name):
            section += [f"; {spec.msg('view-reviewer-asked')}", *asked[name]]
        sections.append(section)
    head = [f"{_head(spec, now)} {spec.msg('view-late', days=silence_days)}"]
    if not sections:
        head.append("\n" + spec.msg("view-reviewers-none"))
    return _fit(head, sections, spec)


def _head(spec: StatusPageSpec, now: datetime) -> str:
    """"Back to the status page. Last updated: ..." in the page's language."""
    return spec.msg("view-head", back=f"[[:{spec.title}]]", date=volatile(now.strftime("%Y-%m-%d %H:%M UTC")))


def by_program(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime) -> str:
    """One section per program: counts per state, then the grants that need someone."""
    programs: dict[str, list[GrantRow]] = {}
    for row in by_urgency(rows, spec, now):
        programs.setdefault(row.program, []).append(row)
    day = day_of(now)
    sections = []
    for program in sorted(programs):
        mine = programs[program]
        cues = [r.cue(day, spec.stale_days) for r in mine]
        counts = " · ".join(f"{CUES[c][1]} {cues.count(c)} {spec.msg('state-' + c)}"
                            for c in CUES if cues.count(c))
        section = ["", f"== {escape.text(program)} ==", counts]
        for row, cue in zip(mine, cues):
            if cue in ("clear", "settled"):
                continue
            since = date_of(row.oldest_open_at or row.reviewer_waiting_since)
            parts = [spec.msg("state-" + cue)]
            parts += [spec.msg("view-program-open", count=len(row.open_items))] if row.open_items else []
            parts += [spec.msg("view-since", date=since)] if since else []
            section.append(f"* {CUES[cue][1]} {escape.link(row.grant_title)}: {', '.join(parts)}")
        sections.append(section)
    return _fit([_head(spec, now)], sections, spec)
