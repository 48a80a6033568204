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
from datetime import datetime, timedelta

from parsers.markers import volatile
from publishing import escape
from publishing.links import item_label, item_link
from publishing.rows import CUES, GrantRow, StatusPageSpec, by_urgency, date_of, day_of


def _fit(head: list[str], sections: list[list[str]], budget: int) -> str:
    """``head`` and as many whole sections as fit in ``budget`` bytes."""
    out, size = list(head), sum(len(x.encode("utf-8")) + 1 for x in head)
    for n, section in enumerate(sections):
        cost = sum(len(x.encode("utf-8")) + 1 for x in section)
        if size + cost > budget - 200:
            out.append(f"\n''{len(sections) - n} more left out to keep this page small; "
                       "the JSON copy lists everything.''")
            break
        out += section
        size += cost
    return "\n".join(out)


def by_reviewer(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime, silence_days: int) -> str:
    """One section per reviewer: their open questions and the replies waiting for them."""
    asked: dict[str, list[str]] = {}
    owed: dict[str, list[str]] = {}
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
        if row.reviewer_owes and row.talk is not None:
            for thread in row.talk.threads:
                since = thread.last_grantee_at
                if thread.waiting_on.value != "reviewer" or since is None:
                    continue
                flag = " ⚠" if since <= late else ""
                where = escape.link(row.talk_title, " › ".join(thread.section) or row.grant_title,
                                    escape.anchor(thread.section[-1]) if thread.section else None)
                line = f"* {where} ({escape.link(row.grant_title)}): the grantee replied on {date_of(since)}{flag}"
                for reviewer in row.talk.reviewers:
                    owed.setdefault(reviewer, []).append(line)
    sections = []
    for name in sorted(set(asked) | set(owed)):
        owes, open_ = len(owed.get(name, [])), len(asked.get(name, []))
        section = ["", f"== {escape.text(name)} ==",
                   f"{owes} {'reply' if owes == 1 else 'replies'} owed, "
                   f"{open_} open {'question' if open_ == 1 else 'questions'} asked."]
        if owed.get(name):
            section += ["; Grantees replied, your answer is awaited", *owed[name]]
        if asked.get(name):
            section += ["; Your questions still open", *asked[name]]
        sections.append(section)
    head = [f"Back to [[:{spec.title}]]. ⚠: waiting longer than {silence_days} days. "
            f"Last updated: {volatile(now.strftime('%Y-%m-%d %H:%M UTC'))}."]
    if not sections:
        head.append("\nNo reviewer owes a reply and no question is open.")
    return _fit(head, sections, spec.page_budget)


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
            section.append(f"* {CUES[cue][1]} {escape.link(row.grant_title)}: {spec.msg('state-' + cue)}"
                           f"{', ' + str(len(row.open_items)) + ' open' if row.open_items else ''}"
                           f"{', since ' + since if since else ''}")
        sections.append(section)
    head = [f"Back to [[:{spec.title}]]. Last updated: {volatile(now.strftime('%Y-%m-%d %H:%M UTC'))}."]
    return _fit(head, sections, spec.page_budget)
