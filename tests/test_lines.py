from __future__ import annotations

from parsers.lines import heading_parts, mask_text, parse_lines, pseudo_heading
from parsers.model import LineKind


def test_kinds_and_prefixes() -> None:
    text = "== Title ==\n\nplain words\n*: reply\n{| class=x\n|}\n{{Some template}}\n"
    lines = parse_lines(text)
    assert [ln.kind for ln in lines] == [LineKind.HEADING, LineKind.BLANK, LineKind.TEXT, LineKind.LIST,
                                         LineKind.OTHER, LineKind.OTHER, LineKind.OTHER]
    assert lines[3].prefix == "*:" and lines[3].depth == 2 and lines[3].content == " reply"
    for ln in lines:
        assert text[ln.start:ln.end] == ln.prefix + ln.content


def test_empty_text() -> None:
    assert parse_lines("") == ()


def test_no_trailing_newline() -> None:
    lines = parse_lines("a\nb")
    assert [(ln.start, ln.end) for ln in lines] == [(0, 1), (2, 3)]


def test_mask_keeps_offsets() -> None:
    text = "x <!-- hidden\n== no ==\n--> y <ref>[[User:A]]</ref> <nowiki>~~~~</nowiki> z"
    masked = mask_text(text)
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")
    assert "hidden" not in masked and "User:A" not in masked and "~~~~" not in masked
    assert masked.startswith("x ") and masked.endswith(" z")
    assert parse_lines(text)[1].kind is LineKind.BLANK


def test_unclosed_comment_hides_rest() -> None:
    masked = mask_text("a <!-- never closed\n== H ==")
    assert masked.strip() == "a"


def test_notalk_block_masked() -> None:
    text = '<div class="mw-notalk">\n* vote [[User:A]]\n<div>inner</div>\n</div>\nafter'
    masked = mask_text(text)
    assert "User:A" not in masked and "inner" not in masked and masked.endswith("after")


def test_heading_parts() -> None:
    assert heading_parts("== A ==") == (2, "A")
    assert heading_parts("=== B ==") == (2, "= B")
    assert heading_parts("==  ==") is None
    assert heading_parts("not = heading") is None


def test_pseudo_headings() -> None:
    lines = parse_lines("'''Goals'''\n;Budget\n'''Impact:''' explain please\nplain text\n:'''x'''")
    assert [pseudo_heading(ln) for ln in lines] == ["Goals", "Budget", "Impact", None, None]
