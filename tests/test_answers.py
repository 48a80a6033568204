"""Which reply answers which item, why, and which thread waits on whom."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goldencases import case_input as load
from parsers.analysis import analyse_talk_page
from parsers.model import ItemStatus, WaitingOn


def summary(analysis) -> list[tuple[str, str, str | None, str | None, bool]]:
    return [(i.text[:30], i.status.value, i.answered_by, i.answer_location, i.commitment)
            for i in analysis.items]


def test_inline_replies_under_bullets() -> None:
    a = analyse_talk_page(load("en_inline.wikitext"))
    assert summary(a) == [
        ("How many new editors joined du", "answered", "Lina Grantee", "inline_reply", False),
        ("Please upload the attendance s", "answered", "Lina Grantee", "inline_reply", True),
        ("Why did the budget for printed", "open", None, None, False),
    ]
    assert "under the bullet" in a.items[0].reason
    assert a.items[2].reason.startswith("open:")
    assert a.items[0].answered_at.isoformat() == "2021-03-05T09:12:00+00:00"


def test_numbered_replies_unsigned_reply_and_later_reply() -> None:
    a = analyse_talk_page(load("en_numbered.wikitext"), grantees=["Ana Grantee", "Ben Grantee"])
    assert [(s[1], s[3]) for s in summary(a)] == [
        ("answered", "indented_reply"),  # numbered reply :# 1
        ("answered", "indented_reply"),  # :# 2
        ("answered", "indented_reply"),  # :# 3
        ("answered", "indented_reply"),  # unsigned, but indented right under the reviewer's question
        ("answered", "later_reply_same_thread"),
        ("answered", "indented_reply"),  # "1." of a reply that skips 2
        ("open", None),  # point 2 was never answered
        ("answered", "indented_reply"),  # "3."
    ]
    assert "item 2 of the numbered reply" in a.items[1].reason
    assert a.items[4].answered_by == "Ben Grantee"
    assert "unsigned text (attributed to the grantee side" in a.items[3].reason


def test_unsigned_reply_counts_when_grantees_are_not_named() -> None:
    a = analyse_talk_page(load("en_numbered.wikitext"))
    photos = a.items[3]
    assert photos.status is ItemStatus.ANSWERED
    assert photos.answered_by is None and "unsigned" in photos.reason


def test_co_signed_reply_is_attributed_to_the_named_grantee() -> None:
    a = analyse_talk_page(load("en_numbered.wikitext"), grantees=["Ana Grantee"])
    assert [i.answered_by for i in a.items[:3]] == ["Ana Grantee"] * 3
    # Ben co-signed the team's answer, so his later reply in "Timeline" is the grantee side's too
    assert a.items[4].status is ItemStatus.ANSWERED and a.items[4].answered_by == "Ben Grantee"


def test_separate_responses_section_mirrors_sub_headings() -> None:
    a = analyse_talk_page(load("es_mirror.wikitext"), reviewers=["Rosa Comité"])
    assert summary(a) == [
        ("¿Cuántas mujeres participaron ", "answered", "Tomás Grantee", "separate_responses_section", False),
        ("Quisiéramos saber cómo selecci", "answered", "Tomás Grantee", "separate_responses_section", False),
        ("¿Por qué el gasto en alojamien", "open", None, None, False),
        ("Por favor, envíen las facturas", "answered", "Tomás Grantee", "separate_responses_section", True),
    ]
    assert a.items[0].reason == ("answered by Tomás Grantee in 'Respuestas del equipo' › Participación, "
                                 "item 1 (label 'Mujeres en los talleres')")
    assert [(t.section, t.waiting_on) for t in a.threads] == [
        (("Comentarios del comité",), WaitingOn.GRANTEE),
        (("Respuestas del equipo",), WaitingOn.REVIEWER),
    ]


def test_one_reply_does_not_answer_every_item_of_a_comment() -> None:
    a = analyse_talk_page(load("fr_reply.wikitext"), lang="fr", tz="Europe/Paris")
    assert summary(a) == [
        ("Combien de bénévoles ont parti", "answered", "Paul Grantee", "indented_reply", False),
        ("Pourriez-vous préciser le coût", "open", None, None, False),
        ("Merci de nous envoyer le lien ", "answered", "Paul Grantee", "indented_reply", True),
    ]
    assert a.items[0].asked_at.isoformat() == "2021-06-10T12:02:00+00:00"  # CEST -> UTC
    assert a.language == "fr"


def test_portuguese_thread_waits_on_the_grantee() -> None:
    a = analyse_talk_page(load("pt_thread.wikitext"))
    assert summary(a) == [
        ("Poderiam enviar a lista de art", "answered", "Caio Grantee", "indented_reply", False),
        ("Também gostaríamos de saber qu", "answered", "Caio Grantee", "indented_reply", False),
        ("Estamos aguardando ainda os co", "open", None, None, False),
    ]
    (thread,) = a.threads
    assert thread.last_comment_by == "Joana (WMF)"
    assert thread.waiting_on is WaitingOn.GRANTEE
    assert thread.last_grantee_at.isoformat() == "2023-04-04T15:45:00+00:00"


def test_reviewer_reminder_is_answered_with_the_original() -> None:
    text = ("== Budget ==\n* Please return the unspent 300 EUR to the foundation.\n"
            "[[User:Pat (WMF)|Pat (WMF)]] 10:00, 1 June 2022 (UTC)\n\n"
            "== Follow-up ==\nReminder: please return the unspent 300 EUR to the foundation soon. "
            "[[User:Pat (WMF)|Pat (WMF)]] 10:00, 1 July 2022 (UTC)\n"
            ":The unspent 300 EUR were returned by bank transfer today. "
            "[[User:Lee Org|Lee Org]] 10:00, 2 July 2022 (UTC)\n")
    a = analyse_talk_page(text)
    assert [i.status for i in a.items] == [ItemStatus.ANSWERED, ItemStatus.ANSWERED]
    assert "follow-up" in a.items[0].reason


def test_thread_with_only_praise_waits_on_nobody_once_answered() -> None:
    text = ("== Thanks ==\nCould you share the slides? [[User:Pat (WMF)|Pat (WMF)]] 10:00, 1 June 2022 (UTC)\n"
            ":Here they are: [[File:Slides.pdf]]. [[User:Lee Org|Lee Org]] 10:00, 2 June 2022 (UTC)\n"
            "::Perfect, thank you! [[User:Pat (WMF)|Pat (WMF)]] 10:00, 3 June 2022 (UTC)\n")
    a = analyse_talk_page(text)
    assert a.items[0].status is ItemStatus.ANSWERED
    assert a.threads[0].waiting_on is WaitingOn.NOBODY


def test_empty_page() -> None:
    a = analyse_talk_page("")
    assert a.items == () and a.threads == ()


_PIECES = st.sampled_from([
    "== Goals ==\n", "=== Sub ===\n", "'''Goals'''\n", ";Budget\n", "* ", "*: ", "** ", "# ", ":# ", ": ", "::",
    "Could you send the receipts?", "Please upload the photos.", "We will send them next week.",
    "¿Cuántos asistieron?", "Merci de nous envoyer le lien.", "'''Label:''' Done.", "Topic - Why?",
    "[[User:Pat (WMF)|Pat (WMF)]] 10:00, 1 June 2022 (UTC)", "[[User:Lee Org|Lee]] 11:00, 2 June 2022 (UTC)",
    "{{unsigned|Someone}}", "<!-- note", "-->", "<p>", "[[", "]]", "{{", "}}", "'''", "1. ", "\n", "\n\n", " ",
])


@settings(max_examples=6000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=30))
def test_never_raises_on_any_text(parts: list[str]) -> None:
    text = "".join(parts)
    a = analyse_talk_page(text, reviewers=["Lee Org"] if len(text) % 3 == 0 else ())
    for item in a.items:
        assert item.text and item.id
        assert 0 <= item.start <= len(text)
        assert item.status in (ItemStatus.OPEN, ItemStatus.ANSWERED)
