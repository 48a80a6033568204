"""Reviewer items: what counts, where it sits (pseudo-headings), and ids that survive edits."""

from __future__ import annotations

from goldencases import case_input as load
from parsers.analysis import analyse_talk_page
from parsers.model import ItemKind


def test_inline_fixture_items_skip_courtesies_and_praise() -> None:
    a = analyse_talk_page(load("en_inline.wikitext"))
    assert [(i.kind, i.text) for i in a.items] == [
        (ItemKind.QUESTION, "How many new editors joined during the photo walks?"),
        (ItemKind.REQUEST, "Please upload the attendance sheets to Commons."),
        (ItemKind.QUESTION, "Why did the budget for printed materials double?"),
    ]
    # the bullets are the reviewer's although the grantee signed replies in between
    assert {i.asked_by for i in a.items} == {"Marta (WMF)"}
    assert a.items[0].asked_at.isoformat() == "2021-03-02T16:40:00+00:00"


def test_pseudo_headings_and_labels_form_sections() -> None:
    a = analyse_talk_page(load("es_mirror.wikitext"), reviewers=["Rosa Comité"])
    assert [i.section for i in a.items] == [
        ("Comentarios del comité", "Participación"),
        ("Comentarios del comité", "Participación"),
        ("Comentarios del comité", "Presupuesto"),
        ("Comentarios del comité", "Presupuesto"),
    ]
    # two questions in one bullet are one item; the dashed label is not part of the text
    assert a.items[2].text == ("¿Por qué el gasto en alojamiento superó lo previsto? "
                               "¿Se pidió autorización para ese cambio?")
    assert a.items[1].kind is ItemKind.REQUEST  # "Quisiéramos saber …"
    assert all(i.anchor == "Comentarios del comité" for i in a.items)
    assert a.language == "es"


def test_an_unconfigured_committee_member_is_read_as_the_reviewer() -> None:
    # She asks the team questions in "Comentarios del comité" and the team answers her by name.
    configured = analyse_talk_page(load("es_mirror.wikitext"), reviewers=["Rosa Comité"])
    inferred = analyse_talk_page(load("es_mirror.wikitext"))
    assert [i.text for i in inferred.items] == [i.text for i in configured.items]
    assert "Rosa Comité" in inferred.reviewers and "Tomás Grantee" in inferred.grantees


def test_bold_label_paragraph_and_definition_term_are_pseudo_headings() -> None:
    text = ("== Review ==\n"
            "'''Media''' - Nice photos. Could you add captions to them?\n"
            ";Budget\n"
            "* Why was the catering line overspent?\n"
            "[[User:Pat (WMF)|Pat (WMF)]] 10:00, 1 June 2022 (UTC)\n")
    a = analyse_talk_page(text)
    assert [(i.section, i.text) for i in a.items] == [
        (("Review", "Media"), "Could you add captions to them?"),
        (("Review", "Budget"), "Why was the catering line overspent?"),
    ]


def _ids(text: str) -> dict[str, str]:
    return {i.text: i.id for i in analyse_talk_page(text).items}


def test_ids_survive_unrelated_edits() -> None:
    base = load("en_numbered.wikitext")
    before = _ids(base)
    assert len(set(before.values())) == len(before) == 8
    edited = base.replace("Thank you for submitting the final report.",
                          "Thank you for submitting the final report on time.")
    edited = edited.replace("Roughly 140 hours", "About 140 hours")
    appended = edited + ("\n== Another thread ==\nDid the library sign the loan agreement? "
                         "[[User:Omar (WMF)|Omar (WMF)]] 12:00, 20 January 2022 (UTC)\n")
    after = _ids(appended)
    assert {t: after[t] for t in before} == before
    assert len(after) == 9


def test_duplicate_items_get_distinct_ids() -> None:
    text = ("== A ==\n* Could you upload the slides?\n* Could you upload the slides?\n"
            "[[User:Pat (WMF)|Pat (WMF)]] 10:00, 1 June 2022 (UTC)\n")
    items = analyse_talk_page(text).items
    assert len(items) == 2 and items[0].id != items[1].id


def test_ids_change_when_the_item_changes() -> None:
    text = ("== A ==\n* Could you upload the slides?\n"
            "[[User:Pat (WMF)|Pat (WMF)]] 10:00, 1 June 2022 (UTC)\n")
    one = analyse_talk_page(text).items[0].id
    two = analyse_talk_page(text.replace("slides", "photos")).items[0].id
    assert one != two


def test_a_dash_inside_a_question_is_not_a_label() -> None:
    text = ("== Costs ==\n* Why did the costs rise - and who approved it?\n"
            "[[User:Pat (WMF)|Pat (WMF)]] 10:00, 1 June 2022 (UTC)\n")
    (item,) = analyse_talk_page(text).items
    assert item.text == "Why did the costs rise - and who approved it?"
    assert item.section == ("Costs",)


def test_ids_survive_a_heading_typo_fix_and_reordering() -> None:
    a = ("== Qustions on the report ==\n* Could you upload the slides?\n"
         "[[User:Pat (WMF)|Pat (WMF)]] 10:00, 1 June 2022 (UTC)\n"
         "== Budget ==\n* Why did the catering line grow?\n"
         "[[User:Pat (WMF)|Pat (WMF)]] 10:05, 1 June 2022 (UTC)\n")
    fixed = a.replace("Qustions", "Questions")
    parts = fixed.split("== Budget ==")
    reordered = "== Budget ==" + parts[1] + parts[0]
    assert _ids(a) == _ids(fixed) == _ids(reordered)
