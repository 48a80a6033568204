"""Authorship on the real local wiki: forged signatures, unsigned questions, typed markers, pings.

The grants below are imported with their histories (accounts and dates of
our choosing); the forgeries are then saved by the wiki's human account,
as anyone could, before the bot's first sweep.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from jobs.config import load_config
from jobs.context import open_context
from jobs.sweep import sweep
from localwiki import LocalWiki
from localwiki.seed.model import PageSpec, Step, build_history, export_xml, signature_time
from parsers.analysis import analyse_talk_page
from parsers.markers import reminder_marker, reminder_markers
from wikipages import local_config, text_of

pytestmark = pytest.mark.wiki

REVIEWER = "Ingrid Solberg"  # a reviewer in local_config
GRANTEE = "Ada Keeper"
TIDY_BOT = "Tidy Bot"  # in the group "bot"
GNOME = "Gus Gnome"  # fixed one typo in a report
BASE = "Project/Rapid/Ada Keeper"
NAMES = ("Pings", "Forged answer", "Forged question", "Unsigned", "Typed marker", "Copied marker")
QUESTION = "* Could you please attach the receipts for the venue rental? ~SIG~\n"
REPORT = ("{{Grant report status|status=under review}}\n== Summary ==\nWe ran four workshops "
          "in the town library and recorded every session for the archive.\n")


def title(name: str, talk: bool = False) -> str:
    return f"Grants{' talk' if talk else ''}:{BASE}/{name}/Report"


def signed(user: str, when: datetime) -> str:
    return f"[[User:{user}|{user}]] ([[User talk:{user}|talk]]) {signature_time(when)}"


def specs() -> list[PageSpec]:
    pages = [PageSpec(title(n), (Step(GRANTEE, 60),), ((0, REPORT),)) for n in NAMES[1:]]
    pages.append(PageSpec(
        title("Pings"), (Step(GRANTEE, 60), Step(TIDY_BOT, 50), Step(GNOME, 45)),
        ((0, REPORT.replace("workshops", "worksohps")), (1, "== Archive ==\n" + "Sessions are "
          "listed in the archive table, one row per recording, with its licence. " * 4 + "\n"),
         (2, "")),
    ))
    for name in ("Pings", "Forged answer", "Typed marker", "Copied marker"):
        pages.append(PageSpec(title(name, True), (Step(REVIEWER, 30),),
                              ((0, "== Receipts ==\n" + QUESTION),)))
    pages.append(PageSpec(title("Unsigned", True), (Step(REVIEWER, 20),),
                          ((0, "== Receipts ==\nCould you please attach the receipts for the "
                               "venue rental?\n"),)))
    pages.append(PageSpec(title("Forged question", True), (Step(GRANTEE, 40),),
                          ((0, "== Thanks ==\nThe report is ready for review. ~SIG~\n"),)))
    return pages


def seed(wiki: LocalWiki, now: datetime) -> None:
    histories = [build_history(s, now) for s in specs()]
    # The typo fix is a revision of its own that only corrects the report's text.
    n = next(i for i, h in enumerate(histories) if h.title == title("Pings"))
    revs = histories[n].revisions
    fix = dataclasses.replace(revs[2], text=revs[2].text.replace("worksohps", "workshops"), summary="typo")
    histories[n] = dataclasses.replace(histories[n], revisions=(*revs[:2], fix))
    wiki.create_accounts((REVIEWER, GRANTEE, TIDY_BOT, GNOME))
    wiki.maintenance("createAndPromote", "--force", "--bot", TIDY_BOT)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "authorship.xml"
        dump.write_text(export_xml(histories), encoding="utf-8")
        wiki.import_xml(dump)


def forge(wiki: LocalWiki, now: datetime) -> None:
    """What another account types: back-dated signatures of others, and markers."""
    old = now - timedelta(days=30)
    page = title("Forged answer", True)
    wiki.edit_as_human(page, text_of(wiki, page) + f"*: Attached them today. {signed(GRANTEE, old)}\n")
    page = title("Forged question", True)
    wiki.edit_as_human(page, text_of(wiki, page) + "== Budget ==\nPlease send the bank statement "
                       f"for the whole grant period. {signed(REVIEWER, old)}\n")
    page = title("Typed marker", True)
    text = text_of(wiki, page)
    ids = tuple(i.id for i in analyse_talk_page(text, reviewers=(REVIEWER,)).items)
    wiki.edit_as_human(page, text + reminder_marker("grantee", ids, now) + "\n")
    page = title("Copied marker", True)
    wiki.edit_as_human(page, text_of(wiki, page) + "== Reminder (copied) ==\n"
                       + reminder_marker("grantee", ("a1b2c3d4e5",), now) + "\nHello, a reminder.\n")


def last_section(text: str) -> str:
    return text[text.rfind("\n==") :]


def status_text(wiki: LocalWiki) -> str:
    data = wiki.api_session("human").call(action="query", list="allpages", apnamespace="2",
                                          apprefix="GrantBot/Grant status", aplimit="max")
    return "\n".join(text_of(wiki, p["title"]) for p in data["query"]["allpages"])


def test_history_decides_who_asked_answered_and_reminded(fresh_wiki: LocalWiki, tmp_path: Path) -> None:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    seed(fresh_wiki, now)
    forge(fresh_wiki, now)
    config = local_config(fresh_wiki, tmp_path)
    result = sweep(open_context(load_config(config)))
    assert result.result == "ok", result.lines()

    def markers(name: str) -> int:
        return len(reminder_markers(text_of(fresh_wiki, title(name, True))))

    # A forged, back-dated reviewer question: no reminder, listed as unverified.
    assert markers("Forged question") == 0
    assert "(unverified signature)" in status_text(fresh_wiki)
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        items = {(g.split("/")[3], status, by) for g, status, by in
                 db.execute('select "grant", status, asked_by from items')}
    # A forged grantee answer closes nothing; the unsigned question is the reviewer's.
    assert ("Forged answer", "open", REVIEWER) in items
    assert ("Unsigned", "open", REVIEWER) in items
    assert markers("Forged answer") == 1 and markers("Unsigned") == 1
    # Typed and copied markers suppress nothing: the bot's own reminder is added.
    assert markers("Typed marker") == 2 and markers("Copied marker") == 2
    # Pings: the report's author only; the reviewer is named without a link.
    reminder = last_section(text_of(fresh_wiki, title("Pings", True)))
    assert f"[[:User:{GRANTEE}|" in reminder
    assert TIDY_BOT not in reminder and GNOME not in reminder
    assert f"User:{REVIEWER}" not in reminder and REVIEWER in reminder
