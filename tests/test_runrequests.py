from __future__ import annotations

import pytest

from datetime import datetime, timezone

from parsers.runrequests import (
    Line, Origin, answered_keys, carry, normalise_title, page_requests, parse_request_line,
    remove_at, visible_lines,
)

T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)


def history(*texts_and_users: tuple[str, str]) -> tuple[Line, ...]:
    lines: tuple[Line, ...] = ()
    for revid, (text, user) in enumerate(texts_and_users, start=1):
        lines = carry(lines, text, Origin(revid, user, T0))
    return lines


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


def test_requests_are_the_lines_on_the_page_now_with_who_added_each() -> None:
    lines = history(
        ("Intro\n* [[Grants:A/Report]]\n", "Admin"),
        ("Intro\n* [[Grants:A/Report]]\n* Grants:B/Report\n", "Alice"),
        ("Intro changed\n* [[Grants:A/Report]]\n* Grants:B/Report\n", "Bob"),
    )
    found = page_requests(lines)
    assert [(r.title, r.origin.user, r.origin.revid) for r in found] == [
        ("Grants:A/Report", "Admin", 1), ("Grants:B/Report", "Alice", 2)]


def test_a_line_removed_and_added_again_is_a_new_request() -> None:
    lines = history(("* Grants:A/Report", "Alice"), ("", "GrantBot"), ("* Grants:A/Report", "Bob"))
    [request] = page_requests(lines)
    assert request.origin.user == "Bob" and request.origin.revid == 3


def test_instructions_in_comments_nowiki_pre_and_the_bots_block_are_not_requests() -> None:
    text = ("<!-- example:\n* Grants:Example/Report\n-->\n<pre>\n* Grants:P/Report\n</pre>\n"
            "<nowiki>* Grants:N/Report</nowiki>\n"
            "<!-- grantbot:start -->\n* <nowiki>Grants:Old/Report</nowiki> [[Grants:Old/Report]]\n"
            "<!-- grantbot:end -->\n* Grants:Real/Report")
    lines = history((text, "Admin"))
    assert [r.title for r in page_requests(lines)] == ["Grants:Real/Report"]
    assert len(visible_lines(text)) == len(text.split("\n"))


def test_remove_at_removes_exactly_the_handled_line_even_after_later_edits() -> None:
    base = "Put requests below, like this one:\n* Grants:A/Report\n\n* Grants:A/Report\nTail"
    later = "New intro line\n" + base + "\n* Grants:C/Report"
    assert remove_at(base, base, [3]) == "Put requests below, like this one:\n* Grants:A/Report\n\nTail"
    assert remove_at(later, base, [3]) == (
        "New intro line\nPut requests below, like this one:\n* Grants:A/Report\n\nTail\n* Grants:C/Report")


def test_answered_keys_are_read_from_the_bots_block_only() -> None:
    key = "0123456789ab"
    inside = f"<!-- grantbot:start -->\n* x <!-- grantbot:answered {key} -->\n<!-- grantbot:end -->"
    assert answered_keys(inside) == {key}
    assert answered_keys(f"* x <!-- grantbot:answered {key} -->") == frozenset()


def test_normalise_title() -> None:
    assert normalise_title("  grants:conference/x_y  ") == "Grants:Conference/x y"


def test_report_in_maps_talk_subpage_and_known_grant_pages_to_the_report() -> None:
    from jobs.config_schema import GrantsConfig
    from jobs.grants import GrantNames, grant_for_report
    from jobs.targets import Target, report_in

    cfg, names = GrantsConfig(talk_mapping="grant"), GrantNames("Grants", "Grants talk")
    report = "Grants:Conference/X/Meetup 2026/Report"
    known = {report: grant_for_report(report, cfg, names)}
    for title in (report, "Grants talk:Conference/X/Meetup 2026", "Grants:Conference/X/Meetup 2026",
                  report + "/Budget"):
        assert report_in(title, cfg, names, known) == Target(report), title
    assert report_in("Grants:Conference/Y/Other", cfg, names, {}) == "Grants:Conference/Y/Other"
    refused = report_in("User:Alice/Report", cfg, names, known)
    assert isinstance(refused, Target) and refused.report is None and "Grants namespace" in refused.why
