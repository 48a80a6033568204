from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parsers.threads import parse_talk_page

PAGE = """Intro line before any heading. [[User:Starter]] 08:00, 1 May 2020 (UTC)

== Budget questions ==
Could you explain the travel line? [[User:Officer (WMF)|Officer]] 09:00, 1 May 2020 (UTC)
:We used it for two trips.
:Receipts are attached. [[User:Lead grantee]] 10:00, 1 May 2020 (UTC)
::Thanks, that helps. [[User:Officer (WMF)|Officer]] 11:00, 1 May 2020 (UTC)
*:# Mixed markers reply. [[User:Third]] 12:00, 1 May 2020 (UTC)
:Another answer to the question. [[User:Co grantee]] 13:00, 1 May 2020 (UTC)

=== Sub topic ===
Second thread. [[User:Officer (WMF)]] 14:00, 2 May 2020 (UTC)

== Empty section ==
"""


def test_structure() -> None:
    page = parse_talk_page(PAGE)
    assert [(h.level, h.title, h.parent) for h in page.headings] == [
        (2, "Budget questions", None), (3, "Sub topic", 0), (2, "Empty section", None)]
    got = [(c.author, c.level, c.parent, c.heading) for c in page.comments]
    assert got == [
        ("Starter", 1, None, None),
        ("Officer (WMF)", 1, None, 0),
        ("Lead grantee", 2, 1, 0),  # multi-line comment signed only at the end
        ("Officer (WMF)", 3, 2, 0),
        ("Third", 4, 3, 0),
        ("Co grantee", 2, 1, 0),
        ("Officer (WMF)", 1, None, 1),
    ]
    assert page.section_path(1) == ("Budget questions", "Sub topic")
    assert page.comments[2].first_line == 4 and page.comments[2].last_line == 5


def test_level_is_min_of_first_and_last_line() -> None:
    page = parse_talk_page("== T ==\nQ [[User:A]] 09:00, 1 May 2020 (UTC)\n:start indented\n"
                           "ends outdented [[User:B]] 10:00, 1 May 2020 (UTC)\n")
    assert [(c.author, c.level, c.parent) for c in page.comments] == [("A", 1, None), ("B", 1, None)]


def test_signatures_on_one_line_make_one_comment() -> None:
    page = parse_talk_page("Idea [[User:A]] 09:00, 1 May 2020 (UTC) edited [[User:A]] 09:30, 1 May 2020 (UTC)\n")
    (c,) = page.comments
    assert c.timestamp == datetime(2020, 5, 1, 9, 0, tzinfo=timezone.utc)
    assert len(c.signatures) == 2


def test_separators_and_fake_headings_do_not_start_a_comment() -> None:
    """A rule, a {{clear}} or a lone ";term" line shows no text: the reply below it keeps its indentation."""
    for between in ("----", "{{clear}}", "<br>", ";Remarks on the sources"):
        page = parse_talk_page(f"== T ==\nQ [[User:A]] 09:00, 1 May 2020 (UTC)\n{between}\n\n"
                               ":Answer [[User:B]] 10:00, 1 May 2020 (UTC)\n")
        assert [(c.author, c.level, c.parent) for c in page.comments] == [("A", 1, None), ("B", 2, 0)], between


def test_one_persons_signatures_in_one_paragraph_make_one_comment() -> None:
    """A paragraph signed, then amended on the next line by the same person, is one comment dated
    by its first signature; someone else's signature there, or a new block, is a new comment."""
    text = ("== T ==\nFirst point. [[User:A]] 09:00, 1 May 2020 (UTC)\n"
            "PS: one more thing. [[User:A]] 09:05, 1 May 2020 (UTC)\n"
            "I agree. [[User:B]] 10:00, 1 May 2020 (UTC)\n"
            "{{outdent}}Later note. [[User:B]] 11:00, 1 May 2020 (UTC)\n")
    page = parse_talk_page(text)
    assert [(c.author, c.timestamp.hour, len(c.signatures)) for c in page.comments] == [
        ("A", 9, 2), ("B", 10, 1), ("B", 11, 1)]
    assert page.comments[0].last_line == 2 and page.comments[1].first_line == 3


def test_cest_and_localised_page() -> None:
    text = ("== Pytanie ==\nCzy to działa? [[Wikipedysta:Ktoś|Ktoś]] 12:00, 5 lip 2021 (CEST)\n"
            ":Tak. [[Użytkownik:Inny]] 12:05, 5 lip 2021 (CEST)\n")
    page = parse_talk_page(text, "pl", "Europe/Warsaw", extra_user_namespaces=("Wikipedysta",))
    assert [(c.author, c.timestamp.hour, c.parent) for c in page.comments] == [("Ktoś", 10, None), ("Inny", 10, 0)]


def test_arabic_indic_digits() -> None:
    text = "== س ==\nنص [[مستخدم:مثال]] \u200f١٠:٠٥، ٣ی ئابی ٢٠٢٠ (UTC)\n"
    page = parse_talk_page(text, "ckb")
    assert page.comments == ()  # an Arabic user link, but the Kurdish wiki: no Kurdish namespace
    text = "== س ==\nنص [[بەکارھێنەر:نموونە]] \u200f١٠:٠٥، ٣ی ئابی ٢٠٢٠ (UTC)\n"
    (c,) = parse_talk_page(text, "ckb").comments
    assert c.author == "نموونە" and c.timestamp == datetime(2020, 8, 3, 10, 5, tzinfo=timezone.utc)


def test_malformed_headings() -> None:
    page = parse_talk_page("== Unbalanced ===\n==\n= =\n=== ok ===\ntext == not == heading\n")
    assert [(h.level, h.title) for h in page.headings] == [(2, "Unbalanced ="), (3, "ok")]


def test_undated_comment() -> None:
    page = parse_talk_page("== R ==\nWe will report by June. [[User:Grantee]]\n")
    (c,) = page.comments
    assert c.author == "Grantee" and c.timestamp is None


def test_empty_and_unsigned_pages() -> None:
    assert parse_talk_page("").comments == () and parse_talk_page("").headings == ()
    assert parse_talk_page("just text\n\nmore").comments == ()


def test_unknown_language_or_zone() -> None:
    with pytest.raises(ValueError):
        parse_talk_page("x", lang="zz-none")
    with pytest.raises(ValueError):
        parse_talk_page("x", tz="Nowhere/City")


@pytest.mark.parametrize("text", [PAGE, PAGE.replace("\n", "\r\n"), "== A ==\n* x [[User:Q]] 09:00, 1 May 2020 (UTC) tail"])
def test_invariants(text: str) -> None:
    page = parse_talk_page(text)
    prev_end = 0
    for c in page.comments:
        assert 0 <= c.start <= c.end <= len(text)
        assert c.start >= prev_end
        prev_end = c.end
        body = page.comment_text(c)
        for s in c.signatures:
            assert c.start <= s.start < s.end <= c.end
            if s.timestamp_text:
                assert s.timestamp_text in body
