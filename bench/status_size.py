"""Bytes and links of the status page for N synthetic grants.

Why: MediaWiki spends seconds parsing each save of a large status page, about
half of it on links, so every byte and ``[[`` a row carries is paid on every
save.  Renders N rows shaped like the local wiki's synthetic grants
(``localwiki/seed/synthetic.py``) in each detail mode and prints the size of
the status block and of the detail subpages.  No wiki needed.

    .venv/bin/python bench/status_size.py --grants 1000
"""

from __future__ import annotations

import argparse
import dataclasses
from datetime import datetime, timedelta, timezone

from parsers.model import (ItemKind, ItemStatus, ReportAnalysis, ReportSection, ReviewerItem, TalkAnalysis,
                           ThreadStatus, WaitingOn)
from publishing import reminders
from publishing.reminders import ReminderPolicy
from publishing.statuspage import GrantRow, StatusPageSpec, render_detail, render_table

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
PROGRAMS = ("Conference", "Project/Rapid", "APG")


def _item(n: int, k: int, days: int) -> ReviewerItem:
    return ReviewerItem(
        id=f"c{n:04d}-{k}", kind=ItemKind.QUESTION, text=f"Could you tell us more about the venue costs of {n}?",
        asked_by="Mara (WMF)", asked_at=NOW - timedelta(days=days), section=("Review questions",),
        anchor="Review questions", status=ItemStatus.OPEN, answered_by=None, answered_at=None,
        answer_excerpt=None, answer_location=None, commitment=False,
        reason="no reply from the grantee side after the question", start=k)


def synthetic_row(n: int) -> GrantRow:
    """Grant ``n``: overdue, open, waiting on a reviewer or clear by ``n % 4``."""
    grantee = f"Synthetic Grantee {n % 1000:04d}"
    grant = f"Grants:{PROGRAMS[n % 3]}/{grantee}/Synthetic activity {n:04d}"
    shape = n % 4
    items = {0: (_item(n, 1, 60), _item(n, 2, 30)), 1: (_item(n, 1, 5),)}.get(shape, ())
    thread = ThreadStatus(("Review questions",), 0, grantee, NOW - timedelta(days=60), NOW - timedelta(days=50),
                          NOW - timedelta(days=60), WaitingOn.REVIEWER if shape == 2 else WaitingOn.GRANTEE)
    talk = TalkAnalysis(title=f"Grants talk:{grant[7:]}/Report", language="en", reviewers=("Mara (WMF)",),
                        grantees=(grantee,), items=items, threads=(thread,))
    empty = (ReportSection(("Outcomes",), "Outcomes", "empty"),) if shape == 0 else ()
    report = ReportAnalysis(f"{grant}/Report", (("status", ("submitted", "under review", "accepted")[n % 3]),),
                            empty + (ReportSection(("Lessons learned",), "Lessons learned", "HTML comment only"),))
    row = GrantRow(grant, talk.title, report.title, talk, report, 0, NOW)
    state = reminders.state(talk, ReminderPolicy(), NOW, {}, None, row.report_state, enabled=n % 2 == 0)
    return dataclasses.replace(row, reminder=state)


def measure(label: str, text: str) -> None:
    print(f"{label:<28} {len(text.encode('utf-8')):>10,} bytes {text.count('[['):>7,} links")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grants", type=int, default=1000)
    args = parser.parse_args()
    rows = [synthetic_row(n) for n in range(args.grants)]
    for mode, spec in (("sections", StatusPageSpec(detail_subpages=False)), ("subpages", StatusPageSpec()),
                       ("none", StatusPageSpec(details=False))):
        measure(f"status page ({mode})", render_table(rows, spec, NOW))
    details = "\n".join(render_detail(r, StatusPageSpec(), NOW) for r in rows if r.open_items)
    measure("detail subpages (all)", details)


if __name__ == "__main__":
    main()
