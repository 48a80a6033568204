"""Reminder policy (page markers as source of truth) and rendering."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from publishing import reminders as rm
from parsers.exclusion import bots_directive
from parsers.markers import reminder_marker, reminder_markers
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
    _, body, _ = rm.render(posted, "Grants talk:A", "en", POLICY, NOW, "GrantBot")
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
    heading, body, summary = rm.render(decision, "Grants talk:A", "es", POLICY, NOW, "GrantBot")
    assert heading == "Preguntas abiertas de los revisores (2024-06-30)"
    assert summary == "Recordatorio: 1 pregunta abierta de los revisores"
    assert "[[:User:Grantee One|Grantee One]]" in body and "[[:User:Grantee Two|Grantee Two]]" in body
    assert "[[:Grants talk:A#Questions|Questions › Money]]" in body
    assert "hace 21 días" in body
    outside = re.sub(r"<nowiki>.*?</nowiki>", "", body)
    assert body.rstrip().endswith("~~~~") and outside.count("~~~") == 1
    assert "<nowiki>{{Delete}} [[Category:X]] ~~~~ end</nowiki>" in body
    markers = reminder_markers(body)
    assert [(m.kind, m.items, m.at) for m in markers] == [("grantee", ("q1",), NOW)]
    for lang, word in (("pt", "Perguntas em aberto"), ("fr", "Questions ouvertes"), ("en", "Open questions"),
                       ("de", "Open questions")):
        assert rm.render(decision, "T", lang, POLICY, NOW, "B")[0].startswith(word)


def test_message_override_and_plural_forms() -> None:
    from publishing.messages import Messages

    messages = Messages.from_pages([
        ("User:B/messages/reminder-heading/en", "Ping {date}"),
        ("User:B/messages/reminder-intro/en", "Hi {pings}: {count} {{PLURAL:{count}|thing|things}} ({days})"),
        ("User:B/messages/reminder-item/en", "- {excerpt}"),  # no {link}: ignored, default kept
    ], "User:B/messages/")
    assert messages.rejected == ("message page [[User:B/messages/reminder-item/en]] ignored: missing {link} "
                                 "(it takes {age}, {asked_by}, {asked_on}, {excerpt}, {id}, {kind}, {link})",)
    policy = rm.ReminderPolicy(messages=messages)
    one = rm.decide(analysis(item("q", 20)), (), policy, NOW)
    two = rm.decide(analysis(item("q", 20), item("r", 30)), (), policy, NOW)
    assert one is not None and two is not None
    heading, body, _ = rm.render(one, "T", "en", policy, NOW, "Bot")
    assert heading == "Ping 2024-06-30" and ": 1 thing (14)" in body
    assert "* [[:T#Questions|Questions › Money]]: asked by" in body  # the built-in item line
    assert ": 2 things (14)" in rm.render(two, "T", "en", policy, NOW, "Bot")[1]
    # French counts 0 and 1 as singular, English only 1; edit summaries are plural-correct too.
    assert rm.render(one, "T", "fr", POLICY, NOW, "B")[2] == "Rappel : 1 question ouverte des relecteurs"
    assert rm.render(two, "T", "en", POLICY, NOW, "B")[2] == "Reminder: 2 open questions from reviewers"
    assert "il y a 20 jours" in rm.render(one, "T", "fr", POLICY, NOW, "B")[1]


def test_lists_every_open_item_linked_to_its_comment_and_says_what_comes_next() -> None:
    from dataclasses import replace

    old = replace(item("old", 20), comment_id="c-Officer_(WMF)-20240610120000-Questions")
    young = item("young", 3)
    policy = rm.ReminderPolicy(goto_comment=True)
    decision = rm.decide(analysis(old, young), (), policy, NOW)
    assert decision is not None and decision.marker_ids == ("old",)
    assert [i.id for i in decision.items] == ["old", "young"]  # the young one is listed, not counted
    _, body, _ = rm.render(decision, "Grants talk:A", "en", policy, NOW, "GrantBot")
    assert "[[:Special:GoToComment/c&#45;Officer (WMF)&#45;20240610120000&#45;Questions|Questions › Money]]" in body
    assert "[[:Grants talk:A#Questions|Questions › Money]]" in body  # no comment id: the section
    assert "next reminder comes on 2024-07-14" in body
    assert "<code><nowiki>{{grantbot|answered|old}}</nowiki></code>" in body
    assert "{{grantbot|not-a-question|old}}" in body and "{{bots|deny=GrantBot}}" in body
    # The last reminder an item may get says so instead of a date.
    last = rm.decide(analysis(old), (), policy, NOW, recorded={"old": [NOW - timedelta(days=15)]})
    assert last is not None and last.next_at is None
    assert "this is the last reminder" in rm.render(last, "T", "en", policy, NOW, "B")[1]


def test_never_for_settled_reports_nor_twice_a_day_nor_to_reviewers() -> None:
    from parsers.reportstatus import ReportState

    a = analysis(item("q", 20))
    for settled in (ReportState.ACCEPTED, ReportState.CLOSED):
        assert rm.decide(a, (), POLICY, NOW, report_state=settled) is None
    assert rm.decide(a, (), POLICY, NOW, report_state=ReportState.UNDER_REVIEW) is not None
    # Any reminder on the page earlier the same day (of any kind) blocks a second one.
    daily = rm.ReminderPolicy(interval_days=1)
    morning = NOW.replace(hour=0, minute=5)
    marker = reminder_markers(f"== R ==\n{reminder_marker('reviewer', ('x',), morning)}\n")
    assert rm.decide(a, marker, daily, NOW) is None
    assert rm.decide(a, marker, daily, NOW + timedelta(days=1)) is not None  # the next day
    # A grantee who replied last makes the reviewer owe a reply: no reminder on this page.
    thread = ThreadStatus(("Questions",), 0, "Grantee One", NOW - timedelta(days=20),
                          NOW - timedelta(days=20), NOW - timedelta(days=30), WaitingOn.REVIEWER)
    assert rm.decide(analysis(threads=(thread,)), (), POLICY, NOW) is None


def test_reminder_state_for_the_status_page() -> None:
    from parsers.reportstatus import ReportState

    a = analysis(item("q", 10))
    fresh = rm.state(a, POLICY, NOW, {}, None, ReportState.SUBMITTED)
    assert (fresh.sent, fresh.max, fresh.next_at, fresh.blocked) == (0, 2, NOW + timedelta(days=4), None)
    sent = rm.state(analysis(item("q", 40)), POLICY, NOW, {"q": [NOW - timedelta(days=2)]}, None, None)
    assert sent.sent == 1 and sent.next_at == NOW + timedelta(days=12)
    done = rm.state(analysis(item("q", 40)), POLICY, NOW, {"q": [NOW - timedelta(days=30), NOW - timedelta(days=2)]},
                    None, None)
    assert done.sent == 2 and done.next_at is None and done.blocked is None
    assert rm.state(a, POLICY, NOW, {}, "the page excludes this bot", None).blocked == "the page excludes this bot"
    assert rm.state(a, POLICY, NOW, {}, None, ReportState.ACCEPTED).blocked == "the report is accepted"
    # Switched off for the run: a flag, not a reason; the page's own reason still shows.
    off = rm.state(a, POLICY, NOW, {"q": [NOW - timedelta(days=2)]}, None, None, enabled=False)
    assert (off.off, off.blocked, off.next_at, off.sent) == (True, None, None, 1)
    both = rm.state(a, POLICY, NOW, {}, "the page excludes this bot", None, enabled=False)
    assert both.off and both.blocked == "the page excludes this bot"
    assert not fresh.off


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
