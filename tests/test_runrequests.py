from __future__ import annotations

import pytest

from parsers.runrequests import added_lines, normalise_title, parse_request_line, parse_requests, remove_lines


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("* [[Grants:Conference/Lakeside/Summit 2024/Report]]", "Grants:Conference/Lakeside/Summit 2024/Report"),
        ("* [[Grants:Conference/Lakeside/Summit 2024/Report|the summit]] --[[User:Ann|Ann]]", "Grants:Conference/Lakeside/Summit 2024/Report"),
        ("Grants:Project/Rapid/River_Photos", "Grants:Project/Rapid/River Photos"),
        ("# grants:project/Rapid/x", "Grants:Project/Rapid/x"),
        ("* Grants talk:APG/Org/2024 -- [[User:Bo|Bo]] 10:00, 1 May 2026 (UTC)", "Grants talk:APG/Org/2024"),
    ],
)
def test_request_lines_name_grant_pages(line: str, title: str) -> None:
    request = parse_request_line(line)
    assert request is not None
    assert request.title == title
    assert request.line == line


@pytest.mark.parametrize(
    "line",
    ["", "== Requests ==", "Add a grant title below.", "* [[User:Ann]]", "{{notice}}", "* [[Main Page]]", "<!-- Grants:X -->"],
)
def test_other_lines_are_not_requests(line: str) -> None:
    assert parse_request_line(line) is None


def test_parse_requests_keeps_page_order() -> None:
    text = "Intro text\n* [[Grants:A/Report]]\n* Grants:B\n"
    assert [r.title for r in parse_requests(text)] == ["Grants:A/Report", "Grants:B"]


def test_added_lines_attributes_only_insertions() -> None:
    old = "Intro\n* Grants:A\n"
    new = "Intro\n* Grants:A\n* Grants:B\n"
    assert added_lines(old, new) == ("* Grants:B",)
    assert added_lines(new, old) == ()


def test_remove_lines_keeps_everything_else_byte_for_byte() -> None:
    text = "Intro  \n* Grants:A\n\n* Grants:B\nTail"
    assert remove_lines(text, {"* Grants:A"}) == "Intro  \n\n* Grants:B\nTail"


def test_normalise_title() -> None:
    assert normalise_title("  grants:conference/x_y  ") == "Grants:Conference/x y"
