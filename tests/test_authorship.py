"""Authorship from the page history: the blame, the verdicts, markers and pings (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from parsers.analysis import analyse_talk_page
from parsers.authorship import (
    ReportEdit, attribute_page, grant_people, trusted_markers, verified_analysis,
)
from parsers.blame import Revision, extend, first_added, from_json, to_json, written_by
from parsers.markers import reminder_marker, reminder_markers
from parsers.model import Authorship, ItemStatus
from parsers.threads import parse_talk_page

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
REVIEWER = "Olga Panel"
GRANTEE = "Tomas Writer"
BOT = "Grantbot"


def sig(user: str, when: datetime) -> str:
    return f"[[User:{user}|{user}]] ([[User talk:{user}|talk]]) {when:%H:%M}, {when.day} {when:%B %Y} (UTC)"


def history(*steps: tuple[str | None, datetime, str]) -> list[Revision]:
    """Revisions from (editor, time, full text) steps, oldest first."""
    return [Revision(100 + n, user, when, text) for n, (user, when, text) in enumerate(steps)]


def analyse(text: str, blame=None):  # type: ignore[no-untyped-def]
    """The trusting analysis and, with a blame, the verified one."""
    kwargs = dict(reviewers=(REVIEWER,), grantees=(GRANTEE,), ignored=(BOT,))
    trusting = analyse_talk_page(text, **kwargs)  # type: ignore[arg-type]
    if blame is None:
        return trusting
    found: dict = {}

    def adjust(page):  # type: ignore[no-untyped-def]
        found["page"], found["attr"] = attribute_page(page, blame)
        return found["page"]

    verified = analyse_talk_page(text, adjust=adjust, **kwargs)  # type: ignore[arg-type]
    return verified_analysis(trusting, verified, found["page"], found["attr"])


T1 = NOW - timedelta(days=40)
T2 = NOW - timedelta(days=30)
T3 = NOW - timedelta(days=2)
HEAD = "== Budget ==\n"
QUESTION = f"* Could you please upload the final budget spreadsheet? {sig(REVIEWER, T1)}\n"


def test_blame_keeps_origins_across_moves_typo_fixes_and_reverts() -> None:
    a = "Intro paragraph written by the first editor.\n"
    b = "A second paragraph from somebody else entirely.\n"
    revs = history(("Ann", T1, a), ("Bob", T2, a + b), ("Cy", T3, b + a.replace("first", "frist")),
                   ("Dee", NOW, b + a))
    blame = extend(None, revs[:2])
    blame = extend(from_json(to_json(blame)), revs)  # stored, reloaded, extended: same result
    assert [e.user for e in blame.editors] == ["Ann", "Bob", "Cy", "Dee"]
    assert written_by(blame, b).user == "Bob"  # moved to the top: still Bob's
    assert written_by(blame, a).user == "Ann"  # reverted to: the original copy
    typo = extend(None, revs[:3])
    assert written_by(typo, a.replace("first", "frist")).user == "Ann"  # a typo fix keeps the author
    assert first_added(typo, "frist")[0].user == "Cy"  # but the exact text is Cy's


def test_forged_backdated_reviewer_signature_is_unverified_and_listed() -> None:
    forged = HEAD + QUESTION
    blame = extend(None, history(("Mallory", T3, forged)))
    result = analyse(forged, blame)
    assert analyse(forged).items[0].asked_by == REVIEWER  # the signature alone believes it
    [item] = result.items
    assert item.authorship is Authorship.UNVERIFIED
    assert "Mallory" in item.reason and "never triggers a reminder" in item.reason


def test_genuine_question_is_verified_and_backdating_is_dated_by_the_edit() -> None:
    real = extend(None, history((REVIEWER, T1 + timedelta(seconds=20), HEAD + QUESTION)))
    [item] = analyse(HEAD + QUESTION, real).items
    assert item.authorship is Authorship.VERIFIED and item.asked_at == T1
    late = extend(None, history((REVIEWER, T3, HEAD + QUESTION)))  # the reviewer back-dated it
    [item] = analyse(HEAD + QUESTION, late).items
    assert item.authorship is Authorship.VERIFIED and item.asked_at == T3
    assert "ages count from the edit" in item.reason


def test_forged_grantee_reply_does_not_close_the_item() -> None:
    reply = f"*: Done, the spreadsheet is uploaded now. {sig(GRANTEE, T2)}\n"
    text = HEAD + QUESTION + reply
    blame = extend(None, history((REVIEWER, T1, HEAD + QUESTION), ("Mallory", T2, text)))
    assert analyse(text).items[0].status is ItemStatus.ANSWERED
    [item] = analyse(text, blame).items
    assert item.status is ItemStatus.OPEN
    assert "does not close" in item.reason
    honest = extend(None, history((REVIEWER, T1, HEAD + QUESTION), (GRANTEE, T2, text)))
    assert analyse(text, honest).items[0].status is ItemStatus.ANSWERED


def test_unsigned_reviewer_question_is_attributed_to_its_writer() -> None:
    text = HEAD + "* Could you please upload the final budget spreadsheet?\n"
    assert analyse(text).items == ()  # nobody signed: nobody asked
    blame = extend(None, history((REVIEWER, T1, text)))
    [item] = analyse(text, blame).items
    assert item.asked_by == REVIEWER and item.asked_at == T1
    assert item.authorship is Authorship.UNSIGNED and "unsigned: attributed to Olga Panel" in item.reason


def test_unsigned_question_answered_below_is_split_from_the_answer() -> None:
    question = HEAD + "Could you please upload the final budget spreadsheet?\n"
    text = question + f":We cannot share it yet, sorry. {sig(GRANTEE, T2)}\n"
    blame = extend(None, history((REVIEWER, T1, question), (GRANTEE, T2, text)))
    [item] = analyse(text, blame).items
    assert item.asked_by == REVIEWER and item.authorship is Authorship.UNSIGNED


def test_only_markers_the_bot_added_count() -> None:
    ours = reminder_marker("grantee", ("q1",), T2)
    theirs = reminder_marker("grantee", ("q2",), T2)
    base = HEAD + QUESTION
    text = base + ours + "\n" + theirs + "\n"
    blame = extend(None, history((REVIEWER, T1, base), (BOT, T2, base + ours + "\n"), ("Mallory", T3, text)))
    kept, notes = trusted_markers(text, reminder_markers(text), BOT, blame)
    assert [m.items for m in kept] == [("q1",)]
    assert "Mallory" in notes[0]
    copied = extend(None, history(("Mallory", T3, base + ours + "\n")))  # copied from another page
    assert trusted_markers(base + ours, reminder_markers(base + ours), BOT, copied)[0] == ()
    recorded = trusted_markers(text, reminder_markers(text), BOT, None, [(("q2",), T2)])
    assert [m.items for m in recorded[0]] == [("q2",)]


def test_pings_go_to_the_grants_people_only() -> None:
    edits = [ReportEdit(GRANTEE, 4000, False, True), ReportEdit("Typo Fixer", 3, True, False),
             ReportEdit("Helper Bot", 900, True, False), ReportEdit("Co Author", 350, False, False)]
    kept, dropped = grant_people([GRANTEE, "Typo Fixer", "Helper Bot", "Co Author", "Named One"],
                                 edits, named=["Named One"], bots=["Helper Bot"])
    assert kept == (GRANTEE, "Co Author", "Named One")
    assert any("Typo Fixer" in d for d in dropped) and any("bot account" in d for d in dropped)


def test_attribution_keeps_offsets_and_reply_tree() -> None:
    text = HEAD + QUESTION + f"*: Working on it. {sig(GRANTEE, T2)}\n"
    blame = extend(None, history((REVIEWER, T1, HEAD + QUESTION), (GRANTEE, T2, text)))
    page = parse_talk_page(text)
    adjusted, attributions = attribute_page(page, blame)
    assert [c.start for c in adjusted.comments] == [c.start for c in page.comments]
    assert [c.parent for c in adjusted.comments] == [c.parent for c in page.comments]
    assert {a.verdict for a in attributions.values()} == {Authorship.VERIFIED}


def test_verify_authorship_switch_is_read_and_checked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from jobs.config import load_config
    from bots.errors import ConfigError

    path = tmp_path / "grantbot.toml"
    path.write_text('[wiki]\nlocal_dir = "w"\n', encoding="utf-8")
    assert load_config(path).safety.verify_authorship is True  # on unless turned off
    path.write_text('[wiki]\nlocal_dir = "w"\n[safety]\nverify_authorship = false\n', encoding="utf-8")
    assert load_config(path).safety.verify_authorship is False
    path.write_text('[wiki]\nlocal_dir = "w"\n[safety]\nverify_authorship = "no"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="verify_authorship"):
        load_config(path)


def test_unverified_items_are_marked_on_the_status_page_and_never_reminded() -> None:
    import dataclasses as dc

    from publishing import statuspage as sp
    from publishing.reminders import ReminderPolicy, decide

    forged = HEAD + QUESTION
    talk = analyse(forged, extend(None, history(("Mallory", T3, forged))))
    talk = dc.replace(talk, grantees=(GRANTEE,))
    assert decide(talk, (), ReminderPolicy(), NOW) is None
    # The same item, verified, is due: only the authorship stops it.
    genuine = dc.replace(talk, items=tuple(dc.replace(i, authorship=Authorship.VERIFIED,
                                                      asked_at=T1) for i in talk.items))
    assert decide(genuine, (), ReminderPolicy(), NOW) is not None
    row = sp.GrantRow("Grants:X", "Grants talk:X/Report", "Grants:X/Report", talk, None, 0, NOW)
    spec = sp.StatusPageSpec()
    assert "(1 unverified)" in "\n".join(sp.table_row(row, spec, NOW))
    assert "(unverified signature)" in sp.render_detail(row, spec, NOW)
    assert sp.item_json(talk.items[0])["authorship"] == "unverified"
