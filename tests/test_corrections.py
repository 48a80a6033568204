"""People correcting the bot on the talk page, and report states across languages."""

from __future__ import annotations

from parsers.analysis import analyse_talk_page
from parsers.model import CorrectionKind, ItemStatus
from parsers.reportstatus import ReportState, normalise

SIG = "[[User:{0}|{0}]] ([[User talk:{0}|talk]]) {1}:00, 3 October 2026 (UTC)"
PAGE = (
    "== Questions about the report ==\n"
    "How many volunteers came to the second session? " + SIG.format("Mara (WMF)", "09") + "\n"
    "== Photos ==\n"
    "Please share the link to the photo category. " + SIG.format("Mara (WMF)", "10") + "\n"
)


def ids() -> list[str]:
    return [i.id for i in analyse_talk_page(PAGE, grantees=["Tomas"]).items]


def test_corrections_from_the_grant_people_are_honoured() -> None:
    first, second = ids()
    text = PAGE + (f":{{{{grantbot|answered|{first}}}}} We sent the numbers by email. "
                   + SIG.format("Tomas", "11") + "\n"
                   + f":{{{{grantbot|not-a-question|{second}}}}} " + SIG.format("Mara (WMF)", "12") + "\n")
    analysis = analyse_talk_page(text, grantees=["Tomas"])
    by_id = {i.id: i for i in analysis.items}
    assert by_id[first].status is ItemStatus.ANSWERED and by_id[first].answered_by == "Tomas"
    assert by_id[first].reason == "answered elsewhere, said Tomas on 2026-10-03"
    assert by_id[second].status is ItemStatus.NOT_A_QUESTION
    assert analysis.open_items == ()
    assert [(c.kind, c.honoured) for c in analysis.corrections] == [
        (CorrectionKind.ANSWERED, True), (CorrectionKind.NOT_A_QUESTION, True)]


def test_corrections_from_others_unsigned_or_unknown_are_refused() -> None:
    first, _ = ids()
    text = PAGE + (f":{{{{grantbot|answered|{first}}}}} done " + SIG.format("Passer By", "11") + "\n"
                   + f":{{{{grantbot|answered|{first}}}}} no signature here\n"
                   + ":{{grantbot|answered|0000000000}} " + SIG.format("Tomas", "12") + "\n"
                   + f":{{{{grantbot|maybe|{first}}}}} " + SIG.format("Tomas", "13") + "\n"
                   + f"<nowiki>{{{{grantbot|answered|{first}}}}}</nowiki> an example " + SIG.format("Tomas", "14") + "\n")
    analysis = analyse_talk_page(text, grantees=["Tomas"])
    assert first in {i.id for i in analysis.open_items}  # asked in another section: not answered
    reasons = [c.reason for c in analysis.corrections]
    assert reasons == [
        "refused: Passer By is neither a reviewer nor one of the grant's people",
        "refused: the line with the template is not signed",
        "refused: no item '0000000000' on this page",
        "refused: 'maybe' is not one of answered, not-a-question, reopen",
    ]
    assert not any(c.honoured for c in analysis.corrections)


def test_reopen_wins_when_it_comes_later() -> None:
    first, _ = ids()
    text = PAGE + (f":{{{{grantbot|answered|{first}}}}} " + SIG.format("Tomas", "11") + "\n"
                   + f":{{{{grantbot|reopen|{first}}}}} still missing " + SIG.format("Mara (WMF)", "12") + "\n")
    item = {i.id: i for i in analyse_talk_page(text, grantees=["Tomas"]).items}[first]
    assert item.status is ItemStatus.OPEN and item.reason == "open: reopened by Mara (WMF) on 2026-10-03"


def test_items_carry_the_comment_id_they_were_asked_in() -> None:
    items = analyse_talk_page(PAGE, grantees=["Tomas"]).items
    assert [i.comment_id for i in items] == [
        "c-Mara_(WMF)-20261003090000-Questions_about_the_report",
        "c-Mara_(WMF)-20261003100000-Photos"]


def test_report_states_in_four_languages() -> None:
    cases = {
        "draft": ReportState.DRAFT, "Borrador": ReportState.DRAFT, "brouillon": ReportState.DRAFT,
        "submitted": ReportState.SUBMITTED, "enviado": ReportState.SUBMITTED, "soumis": ReportState.SUBMITTED,
        "under review": ReportState.UNDER_REVIEW, "en revisión": ReportState.UNDER_REVIEW,
        "em análise": ReportState.UNDER_REVIEW, "en cours d'examen": ReportState.UNDER_REVIEW,
        "Accepted": ReportState.ACCEPTED, "aceptado": ReportState.ACCEPTED, "aprovado": ReportState.ACCEPTED,
        "not accepted": ReportState.INCOMPLETE, "incompleto": ReportState.INCOMPLETE,
        "revisions requested": ReportState.INCOMPLETE,
        "withdrawn": ReportState.CLOSED, "cerrado": ReportState.CLOSED, "clos": ReportState.CLOSED,
        None: ReportState.UNKNOWN, "": ReportState.UNKNOWN, "{{{status}}}": ReportState.UNKNOWN,
    }
    for raw, state in cases.items():
        assert normalise(raw).state is state, raw
    assert normalise("en revisión").reason == "'en revision' in the status means under review"
    assert ReportState.ACCEPTED.settled and not ReportState.DRAFT.reviewer_can_owe


def test_a_correction_line_is_a_note_to_the_bot_not_a_reply() -> None:
    """The grantee's signed correction is not "the grantee replied"; a line of its own besides is."""
    from parsers.model import WaitingOn

    first, _ = ids()
    note = f":{{{{grantbot|answered|{first}}}}} We sent it by email. " + SIG.format("Tomas", "11") + "\n"
    page = PAGE.replace("== Photos ==\n", note + "== Photos ==\n")
    thread = analyse_talk_page(page, grantees=["Tomas"]).threads[0]
    assert (thread.last_comment_by, thread.last_grantee_at) == ("Mara (WMF)", None)
    assert thread.waiting_on is WaitingOn.NOBODY
    talk = page.replace(note, ":About the second session: 40 people came.\n" + note)
    thread = analyse_talk_page(talk, grantees=["Tomas"]).threads[0]
    assert thread.last_comment_by == "Tomas" and thread.waiting_on is WaitingOn.REVIEWER
