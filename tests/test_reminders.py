"""Reminder policy (page markers as source of truth) and rendering."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from publishing import reminders as rm
from parsers.markers import bots_directive, reminder_marker, reminder_markers
from parsers.model import ItemKind, ItemStatus, ReviewerItem, TalkAnalysis, ThreadStatus, WaitingOn

NOW = datetime(2024, 6, 30, 12, 0, tzinfo=timezone.utc)
POLICY = rm.ReminderPolicy()


def item(ident: str, days: int, status: ItemStatus = ItemStatus.OPEN, text: str = "Please upload the receipts.") -> ReviewerItem:
    return ReviewerItem(
        id=ident, kind=ItemKind.REQUEST, text=text, asked_by="Officer (WMF)",
        asked_at=NOW - timedelta(days=days), section=("Questions", "Money"), anchor="Questions",
        status=status, answered_by=None, answered_at=None, answer_excerpt=None,
        answer_location=None, commitment=False, reason="no answer", start=days,
    )


def analysis(*items: ReviewerItem, language: str = "en", threads: tuple[ThreadStatus, ...] = ()) -> TalkAnalysis:
    return TalkAnalysis(title="Grants talk:A", language=language, reviewers=("Officer (WMF)",),
                        grantees=("Grantee One", "Grantee Two"), items=items, threads=threads)


def page_with(*markers: tuple[tuple[str, ...], datetime]) -> str:
    return "\n".join(f"== R ==\n{reminder_marker('grantee', ids, at)}\ntext" for ids, at in markers)


def test_reminds_only_items_open_long_enough() -> None:
    decision = rm.decide(analysis(item("old", 20), item("young", 5), item("done", 30, ItemStatus.ANSWERED)), (), POLICY, NOW)
    assert decision is not None and decision.marker_ids == ("old",)
    assert decision.recipients == ("Grantee One", "Grantee Two")
    assert rm.decide(analysis(item("young", 13)), (), POLICY, NOW) is None


def test_interval_per_grant_from_page_markers() -> None:
    markers = reminder_markers(page_with((("other",), NOW - timedelta(days=3))))
    assert rm.decide(analysis(item("old", 20)), markers, POLICY, NOW) is None
    markers = reminder_markers(page_with((("other",), NOW - timedelta(days=15))))
    assert rm.decide(analysis(item("old", 20)), markers, POLICY, NOW) is not None


def test_crash_after_posting_never_duplicates() -> None:
    # The state database knows nothing, but the page carries the marker.
    posted = rm.decide(analysis(item("q", 20)), (), POLICY, NOW)
    assert posted is not None
    _, body = rm.render(posted, "Grants talk:A", "en", POLICY, NOW, "GrantBot")
    again = rm.decide(analysis(item("q", 20)), reminder_markers(body), POLICY, NOW + timedelta(minutes=1))
    assert again is None


def test_at_most_two_reminders_per_item_merging_state_and_page() -> None:
    a = analysis(item("q", 60), item("r", 60))
    old = NOW - timedelta(days=40)
    older = NOW - timedelta(days=20)
    markers = reminder_markers(page_with((("q", "r"), old), (("q",), older)))
    decision = rm.decide(a, markers, POLICY, NOW)
    assert decision is not None and decision.marker_ids == ("r",)
    # State remembers two reminders for r (one archived off the page): r is done too.
    recorded = {"r": [old, NOW - timedelta(days=50)]}
    assert rm.decide(a, markers, POLICY, NOW, recorded=recorded) is None
    # Both sources seeing the same reminder count it once.
    history = rm.reminder_history(markers, {"q": [old, older]})
    assert history["q"].count == 2 and history["q"].last == older
    assert history["r"].count == 1


def test_state_interval_applies_even_without_marker() -> None:
    assert rm.decide(analysis(item("q", 60)), (), POLICY, NOW, recorded_last=NOW - timedelta(days=1)) is None


def test_render_per_language_with_links_ages_marker_and_signature() -> None:
    nasty = item("q1", 21, text="{{Delete}} [[Category:X]] ~~~~ end")
    decision = rm.decide(analysis(nasty, language="es"), (), POLICY, NOW)
    assert decision is not None
    heading, body = rm.render(decision, "Grants talk:A", "es", POLICY, NOW, "GrantBot")
    assert heading.startswith("Recordatorio") and "2024-06-30" in heading
    assert "[[:User:Grantee One|Grantee One]]" in body and "[[:User:Grantee Two|Grantee Two]]" in body
    assert "[[:Grants talk:A#Questions|Questions › Money]]" in body
    assert "hace 21 días" in body
    outside = re.sub(r"<nowiki>.*?</nowiki>", "", body)
    assert body.rstrip().endswith("~~~~") and outside.count("~~~") == 1
    assert "<nowiki>{{Delete}} [[Category:X]] ~~~~ end</nowiki>" in body
    markers = reminder_markers(body)
    assert [(m.kind, m.items, m.at) for m in markers] == [("grantee", ("q1",), NOW)]
    for lang, word in (("pt", "Lembrete"), ("fr", "Rappel"), ("en", "Reminder"), ("de", "Reminder")):
        assert rm.render(decision, "T", lang, POLICY, NOW, "B")[0].startswith(word)


def test_wording_override() -> None:
    custom = rm.ReminderWording("Ping {date}", "Hi {pings} ({count}/{days})", "- {link} {age}", "bye {bot}", "r")
    policy = rm.ReminderPolicy(wording={"en": custom})
    decision = rm.decide(analysis(item("q", 20)), (), policy, NOW)
    assert decision is not None
    heading, body = rm.render(decision, "T", "en", policy, NOW, "Bot")
    assert heading == "Ping 2024-06-30" and "(1/14)" in body and "- [[:T#Questions|Questions › Money]] 20" in body


def test_reviewer_reminder_off_by_default_and_on_when_enabled() -> None:
    thread = ThreadStatus(("Questions",), 0, "Grantee One", NOW - timedelta(days=20),
                          NOW - timedelta(days=20), NOW - timedelta(days=30), WaitingOn.REVIEWER)
    a = analysis(threads=(thread,))
    assert rm.decide(a, (), POLICY, NOW) is None
    on = rm.ReminderPolicy(reviewer_reminders=True)
    decision = rm.decide(a, (), on, NOW)
    assert decision is not None and decision.kind == "reviewer" and decision.recipients == ("Officer (WMF)",)
    _, body = rm.render(decision, "Grants talk:A", "en", on, NOW, "GrantBot")
    assert reminder_markers(body)[0].kind == "reviewer"
    assert rm.decide(a, reminder_markers(body), on, NOW + timedelta(days=1)) is None


def test_bots_directives() -> None:
    assert bots_directive("{{nobots}}", "GrantBot").denied
    assert bots_directive("{{bots|deny=Other,GrantBot}}", "GrantBot").denied
    assert not bots_directive("{{bots|deny=Other}}", "GrantBot").denied
    assert bots_directive("{{bots|deny=all}}", "GrantBot").denied
    assert bots_directive("{{bots|allow=Other}}", "GrantBot").denied
    assert not bots_directive("{{bots|allow=GrantBot}}", "GrantBot").denied
    assert not bots_directive("<!-- {{nobots}} --> <nowiki>{{nobots}}</nowiki>", "GrantBot").denied
    opt = bots_directive("{{bots|optout=grantbot-reminders, other}}", "GrantBot")
    assert not opt.denied and opt.opted_out("grantbot-reminders") and not opt.opted_out("x")
    assert bots_directive("{{bots|optout=all}}", "GrantBot").opted_out("grantbot-reminders")
