"""The loop a competent pywikibot operator would write: the anchor of the benchmarks.

Same analysis functions as grantbot (``analyse_report_page``,
``analyse_talk_page``); only the I/O strategy is the operator's own:

* first run: ``site.allpages(namespace=200)``, the report pattern, then
  ``site.preloadpages`` of the reports and their talk pages, 500 pages a
  request; one status table saved, and a JSON state file written (the
  rows and the time the run started);
* later runs: one ``site.recentchanges`` query since that time (the bot's
  own edits excluded), only the changed grants preloaded and analysed;
* the status page is saved only when the table changed.

It keeps no history, posts no reminders, writes no JSON copy or detail
sections, and takes everyone who is not a reviewer as the grantee side
(the analysis default) instead of asking for the report's contributors.

    from competent_loop import run_loop   # used by compare_naive.py
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

STATUS = "User:GrantBot/Loop status"
REVIEWER_PATTERNS = (r"\(WMF\)$",)


def run_loop(site: Any, state_file: Path, report_pattern: str) -> dict[str, Any]:
    """One run; returns figures (grants, fetched, edits)."""
    import pywikibot

    report_re = re.compile(report_pattern)
    state = json.loads(state_file.read_text()) if state_file.exists() else None
    started = pywikibot.Timestamp.utcnow() - timedelta(seconds=5)  # overlap: 1 s resolution
    rows: dict[str, list[Any]] = dict(state["rows"]) if state else {}
    if state is None:
        reports = [p for p in site.allpages(namespace=200, content=False)
                   if report_re.search(p.title(with_ns=False))]
    else:
        reports = _changed_reports(site, state["since"], report_re)
    talks = [p.toggleTalkPage() for p in reports]
    texts = {p.title(): p.text for p in site.preloadpages(reports + talks, groupsize=500)}
    for report in reports:
        rows[report.title()] = _row(site, report.title(), report.toggleTalkPage().title(), texts)
    table = _table(rows)
    edits = 0
    if state is None or table != state.get("table"):
        page = pywikibot.Page(site, STATUS)
        page.text = table
        page.save(summary=f"Status of {len(rows)} grants", minor=False, quiet=True)
        edits = 1
    state_file.write_text(json.dumps({"since": started.isoformat(), "rows": rows, "table": table}))
    return {"grants": len(rows), "fetched": len(reports), "edits": edits}


def _changed_reports(site: Any, since: str, report_re: re.Pattern[str]) -> list[Any]:
    import pywikibot

    titles = set()
    for change in site.recentchanges(start=pywikibot.Timestamp.fromISOformat(since), reverse=True,
                                     namespaces=[200, 201], excludeuser=site.username()):
        page = pywikibot.Page(site, change["title"])
        report = page.toggleTalkPage() if page.namespace() == 201 else page
        if report_re.search(report.title(with_ns=False)):
            titles.add(report.title())
    return [pywikibot.Page(site, t) for t in sorted(titles)]


def _row(site: Any, report_title: str, talk_title: str, texts: dict[str, str]) -> list[Any]:
    from parsers.analysis import analyse_talk_page
    from parsers.report import analyse_report_page

    report = analyse_report_page(texts.get(report_title, ""), title=report_title)
    talk = analyse_talk_page(texts.get(talk_title, ""), title=talk_title, lang=site.lang, tz="UTC",
                             reviewer_patterns=REVIEWER_PATTERNS, ignored=(site.username(),))
    oldest = min((i.asked_at for i in talk.open_items if i.asked_at), default=None)
    return [len(talk.open_items), len(talk.items), len(report.empty_sections),
            oldest.date().isoformat() if oldest else ""]


def _table(rows: dict[str, list[Any]]) -> str:
    lines = ['{| class="wikitable sortable"',
             "! Report !! Open items !! Items !! Empty sections !! Oldest open since"]
    for title, (open_items, items, empty, oldest) in sorted(rows.items()):
        lines += ["|-", f"| [[{title}]] || {open_items} || {items} || {empty} || {oldest}"]
    return "\n".join(lines + ["|}"]) + "\n"
