"""Report pages: status fields and sections left as the form's scaffolding."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.report import analyse_report_page

REPORT = Path(__file__).parent / "fixtures" / "report"


def test_status_fields_and_unfilled_sections() -> None:
    text = (REPORT / "conference_report.wikitext").read_text(encoding="utf-8")
    r = analyse_report_page(text, title="Grants:Conference/Example/Report")
    assert r.status_fields == (("status", "draft"), ("status", "under review"))
    assert r.status == "draft"
    assert [(s.path, s.reason) for s in r.empty_sections] == [
        (("Outcomes", "Goals"), "placeholder only"),
        (("Outcomes", "Participants"), "HTML comment only"),
        (("Outcomes", "Learning"), "placeholder only"),
        (("Budget",), "placeholder only"),
        (("Other notes",), "empty"),
    ]
    assert r.title == "Grants:Conference/Example/Report"


def test_filled_sections_are_not_reported() -> None:
    text = "== A ==\nN/A for this grant.\n== B ==\nCompleted in May.\n== C ==\n* One bullet with text\n"
    assert analyse_report_page(text).empty_sections == ()


def test_spanish_placeholder() -> None:
    r = analyse_report_page("== Resultados ==\n''Respuesta aquí''\n")
    assert [s.reason for s in r.empty_sections] == ["placeholder only"]


def test_no_template_no_status() -> None:
    r = analyse_report_page("Just text.")
    assert r.status is None and r.status_fields == () and r.empty_sections == ()


_PIECES = st.sampled_from(["== A ==\n", "=== B ===\n", "{{Probox|status=", "}}", "{{", "|", "<!--", "-->",
                           "*\n", "''Answer here''\n", "<nowiki>", "</nowiki>", "[[", "]]", "\n", "text "])


@settings(max_examples=5000, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=25))
def test_never_raises(parts: list[str]) -> None:
    r = analyse_report_page("".join(parts))
    for section in r.empty_sections:
        assert section.path and section.reason in ("empty", "placeholder only", "HTML comment only")
