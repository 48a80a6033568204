"""Opt-in reviewer nudges: the decision and the wording (pure)."""

from __future__ import annotations

from datetime import timedelta

from parsers.markers import reminder_marker, reminder_markers
from parsers.model import ReportAnalysis, WaitingOn
from publishing import statuspage as sp
from publishing.messages import Messages
from publishing.nudges import KIND, decide_nudge, render_nudge
from publishing.views import owed_replies
from test_statuspage import NOW, talk


def waiting(title: str, status: str = "submitted") -> sp.GrantRow:
    return sp.GrantRow(title, title.replace("Grants:", "Grants talk:") + "/Report",
                       talk=talk(waiting=WaitingOn.REVIEWER),
                       report=ReportAnalysis(title + "/Report", (("status", status),), ()))


def test_only_reports_a_reviewer_really_owes() -> None:
    owed = owed_replies([waiting("Grants:Open"), waiting("Grants:Done", "accepted"),
                         waiting("Grants:Draft", "draft")], sp.StatusPageSpec(), NOW)
    assert [o.grant_title for o in owed["Officer (WMF)"]] == ["Grants:Open"]


def test_due_after_the_wait_then_once_per_interval_and_never_twice_a_day() -> None:
    owed = owed_replies([waiting("Grants:Open")], sp.StatusPageSpec(), NOW)["Officer (WMF)"]
    since = owed[0].since  # the grantee replied 10 days before NOW
    assert decide_nudge("Officer (WMF)", owed, (), None, NOW, 14, 7) is None  # not waiting long enough
    later = since + timedelta(days=15)
    assert decide_nudge("Officer (WMF)", owed, (), None, later, 14, 7) is not None
    posted = reminder_markers(reminder_marker(KIND, (), later - timedelta(hours=1)))
    assert decide_nudge("Officer (WMF)", owed, posted, None, later, 14, 7) is None  # same day
    assert decide_nudge("Officer (WMF)", owed, posted, None, later + timedelta(days=3), 14, 7) is None
    assert decide_nudge("Officer (WMF)", owed, posted, None, later + timedelta(days=8), 14, 7) is not None
    # the state's record counts too (the marker archived away)
    assert decide_nudge("Officer (WMF)", owed, (), later, later + timedelta(days=3), 14, 7) is None
    # a grantee reminder marker on the page is another kind: it does not hold a nudge back
    other = reminder_markers(reminder_marker("grantee", ("x",), later))
    assert decide_nudge("Officer (WMF)", owed, other, None, later + timedelta(hours=1), 14, 7) is not None
    assert decide_nudge("Officer (WMF)", [], (), None, later, 14, 7) is None


def test_wording_in_spanish_with_marker_links_and_plural() -> None:
    owed = owed_replies([waiting("Grants:Open")], sp.StatusPageSpec(), NOW)["Officer (WMF)"]
    decision = decide_nudge("Officer (WMF)", owed, (), None, NOW + timedelta(days=20), 14, 7)
    assert decision is not None
    heading, body, summary = render_nudge(decision, Messages(), "es", NOW, 7, "GrantBot")
    assert heading.startswith("Respuestas de subvenciones que le esperan (")
    assert reminder_markers(body)[0].kind == KIND
    assert "Hola, 1 hilo de discusión de subvención espera su respuesta" in body
    assert "[[:Grants talk:Open/Report#Review|Review]]" in body and "el beneficiario respondió el 2024-06-20" in body
    assert body.rstrip().endswith("~~~~") and "como mucho una cada 7 días" in body and "{{nobots}}" in body
    assert summary == "1 respuesta de subvenciones le espera"


def test_the_allowlist_opens_only_the_opted_in_reviewers_own_talk_page() -> None:
    import pytest

    from bots.errors import NotAllowedError
    from publishing.safety import Allowlist

    allow = Allowlist("GrantBot", frozenset({201}), frozenset({"User talk:Officer (WMF)"}))
    allow.check_talk_page("User talk:Officer (WMF)", 3)
    for title in ("User talk:Someone Else", "User talk:Officer (WMF)/Archive"):
        with pytest.raises(NotAllowedError):
            allow.check_talk_page(title, 3)
    with pytest.raises(NotAllowedError):
        Allowlist("GrantBot", frozenset({201})).check_talk_page("User talk:Officer (WMF)", 3)
