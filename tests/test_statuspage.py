"""Status table, detail page, JSON copy and edit summary."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta, timezone

from publishing import statuspage as sp
from parsers.model import (
    ItemKind,
    ItemStatus,
    ReportAnalysis,
    ReportSection,
    ReviewerItem,
    TalkAnalysis,
    ThreadStatus,
    WaitingOn,
)

NOW = datetime(2024, 6, 30, 12, 0, tzinfo=timezone.utc)


def item(ident: str, days: int, status: ItemStatus = ItemStatus.OPEN, text: str = "Can you share the budget?") -> ReviewerItem:
    return ReviewerItem(
        id=ident, kind=ItemKind.QUESTION, text=text, asked_by="Officer (WMF)",
        asked_at=NOW - timedelta(days=days), section=("Review", "Budget"), anchor="Budget",
        status=status, answered_by=None, answered_at=None, answer_excerpt=None,
        answer_location=None, commitment=False, reason="no reply after the question", start=days,
    )


def talk(*items: ReviewerItem, waiting: WaitingOn = WaitingOn.GRANTEE) -> TalkAnalysis:
    thread = ThreadStatus(
        section=("Review",), heading=0, last_comment_by="Officer (WMF)",
        last_comment_at=NOW - timedelta(days=3), last_grantee_at=NOW - timedelta(days=10),
        last_reviewer_at=NOW - timedelta(days=3), waiting_on=waiting,
    )
    return TalkAnalysis(title="Grants talk:A", language="en", reviewers=("Officer (WMF)",),
                        grantees=("Grantee",), items=items, threads=(thread,))


REPORT = ReportAnalysis(title="Grants:A/Report", status_fields=(("status", "submitted"),),
                        empty_sections=(ReportSection(("Outcomes",), "Outcomes", "empty"),))


def rows() -> list[sp.GrantRow]:
    return [
        sp.GrantRow("Grants:B", "Grants talk:B/Report", "Grants:B/Report", talk(), None, 0, NOW),
        sp.GrantRow("Grants:A", "Grants talk:A/Report", "Grants:A/Report",
                    talk(item("q1", 20), item("q2", 3), item("q3", 40, ItemStatus.ANSWERED)),
                    REPORT, 1, NOW),
        sp.GrantRow("Grants:C", "Grants talk:C/Report", note="talk page does not exist"),
    ]


def test_summary_first_then_rows_by_urgency_with_a_sortable_state() -> None:
    out = sp.render_table(rows(), sp.StatusPageSpec(), NOW)
    assert out.startswith("'''1''' grant is overdue on the grantee side · '''0''' waiting on reviewers"
                          " · '''1''' with empty report sections (3 grants, 2 open items).")
    assert out.count("\n|-") == 3
    body = out.split("\n|-")
    for row in body[1:]:
        cells = [l for l in row.split("\n")[1:] if l.startswith("| ") or l.startswith("|}")]
        assert len([c for c in cells if c.startswith("| ")]) == 10
    assert out.rstrip().endswith("|}")
    assert "! State !! Grant !! Program" in out
    # A overdue (20 days >= 14) first, then C (no talk page), then B (nothing open).
    a = out.index("|A]]"), out.index("|C]]"), out.index("|B]]")
    assert a[0] < a[1] < a[2]
    assert '| data-sort-value="0" | ⚠ overdue (grantee)' in body[1] and "#fde0dc" in body[1]
    assert "#eeeeee" in body[2] and "#e6f7ec" in body[3]
    # The grant without its namespace, linked to its report (else the grant page), and its talk page.
    assert "\n| [[:Grants:A/Report|A]]<br /><small>[[:Grants talk:A/Report|talk]]</small>\n" in body[1]
    assert ("\n| [[:Grants:C|C]]<br /><small>[[:Grants talk:C/Report|talk]]</small>"
            " <nowiki>talk page does not exist</nowiki>\n") in body[2]
    assert "|report]]" not in out and "[[:Grants:A|" not in out
    # Counts and dates sort by their text; a sort key only where the text is not one.
    assert "\n| [[:User:GrantBot/Grant status/Grants:A|2]]\n" in body[1]
    # The oldest open item as a date (sortable), not an age that changes daily.
    assert "\n| 2024-06-10\n" in body[1] and '\n| data-sort-value="9999" | \n' in body[2]
    assert "| submitted\n" in body[1] and "| <nowiki>Grantee</nowiki>\n" in body[1]
    assert '| data-sort-value="1" | [[:Grants:A/Report#Outcomes|Outcomes]]' in body[1]


def test_translated_headers_legend_and_summary() -> None:
    spec = sp.StatusPageSpec(lang="es")
    out = sp.render_table(rows(), spec, NOW)
    assert out.startswith("'''1''' subvención retrasada del lado beneficiario")
    assert "! Estado !! Subvención !! Programa" in out and "Leyenda: " in out
    assert "retrasado (beneficiario)" in out
    assert sp.edit_summary(rows(), None, spec) == "Estado: 3 subvenciones, 2 puntos abiertos"
    # The table's own words too: links and Meta's report state, the report's words beside it
    assert "|discusión]]" in out and "|talk]]" not in out
    assert "| enviado <small>(<nowiki>submitted</nowiki>)</small>\n" in out


def test_reviewer_owes_only_on_reports_handed_in() -> None:
    from dataclasses import replace

    from parsers.model import ReportAnalysis as RA

    waiting = sp.GrantRow("Grants:R", "Grants talk:R", talk=talk(waiting=WaitingOn.REVIEWER))
    assert waiting.reviewer_owes and waiting.cue(NOW, 14) == "reviewer"
    for status, owes, cue in (("accepted", False, "settled"), ("Cerrado", False, "settled"),
                              ("borrador", False, "clear"), ("en revisión", True, "reviewer")):
        row = replace(waiting, report=RA("Grants:R/Report", (("status", status),), ()))
        assert row.reviewer_owes is owes and row.cue(NOW, 14) == cue, status
        assert (row.waiting_on is WaitingOn.REVIEWER) is owes
    # An accepted report with open items owes nothing either; it sorts last.
    settled = sp.GrantRow("Grants:S", "Grants talk:S", talk=talk(item("x", 40)),
                          report=RA("Grants:S/Report", (("status", "Accepted"),), ()))
    assert settled.cue(NOW, 14) == "settled" and settled.waiting_on is WaitingOn.NOBODY
    ordered = sp.by_urgency([settled, waiting, *rows()], sp.StatusPageSpec(), NOW)
    assert [r.grant_title for r in ordered] == ["Grants:A", "Grants:R", "Grants:C", "Grants:B", "Grants:S"]


def test_program_from_the_title() -> None:
    assert sp.GrantRow("Grants:Project/Rapid/Ann/Photo walk", "T").program == "Project/Rapid"
    assert sp.GrantRow("Grants:Conference/Ann/Meetup 2026", "T").program == "Conference"
    assert sp.GrantRow("Grants:APG/Group/Plan 2025", "T").program == "APG"


def test_only_volatile_parts_change_between_runs_of_same_data() -> None:
    from parsers.markers import mask_volatile
    spec = sp.StatusPageSpec()
    one = sp.render_table(rows(), spec, NOW)
    later = NOW + timedelta(hours=2)
    same = [sp.GrantRow(r.grant_title, r.talk_title, r.report_title, r.talk, r.report,
                        r.reminders_sent, later, r.note) for r in rows()]
    two = sp.render_table(same, spec, later)
    assert one != two
    assert mask_volatile(one) == mask_volatile(two)


def test_detail_lists_open_items_with_escaped_excerpt_and_anchor() -> None:
    nasty = item("q9", 30, text="See {{Delete}} [[Category:Spam]] ~~~~ |} end")
    row = sp.GrantRow("Grants:A", "Grants talk:A/Report", "Grants:A/Report", talk(nasty, item("q1", 15)), REPORT)
    out = sp.render_detail(row, sp.StatusPageSpec(), NOW)
    assert out.count("\n|-") == 2
    assert "[[:Grants talk:A/Report#Budget|Review › Budget]]" in out
    assert "<nowiki>See {{Delete}} [[Category:Spam]] ~~~~ |} end</nowiki>" in out
    outside = re.sub(r"<nowiki>.*?</nowiki>", "", out)
    assert "{{" not in outside and "~~~" not in outside and "[[Category" not in outside
    assert "| 2024-05-31" in out and "<nowiki>no reply after the question</nowiki>" in out
    assert "Age (days)" not in out
    assert out.index("q9") if "q9" in out else True
    assert "[[:Grants:A/Report#Outcomes|Outcomes]]" in out


def test_json_round_trips_and_masks_volatile() -> None:
    spec = sp.StatusPageSpec()
    data = sp.render_json(rows(), spec, NOW)
    assert json.loads(json.dumps(data)) == data
    a = data["grants"][0]
    assert a["grant"] == "Grants:A" and a["report_status"] == "submitted"
    assert [i["id"] for i in a["open_items"]] == ["q1", "q2"]
    assert a["oldest_open_at"] == "2024-06-10T12:00:00Z" and a["waiting_on"] == "grantee"
    assert all("age_days" not in i for i in a["open_items"])
    later = sp.render_json(rows(), spec, NOW + timedelta(minutes=5))
    assert later != data and sp.mask_json(later) == sp.mask_json(data)
    assert spec.json_page == "User:GrantBot/Grant status.json"


def test_edit_summary_counts_new_and_answered() -> None:
    data = sp.render_json(rows(), sp.StatusPageSpec(), NOW)
    previous = sp.open_ids_from_json(data)
    assert previous["Grants:A"] == frozenset({"q1", "q2"})
    assert sp.edit_summary(rows()) == "Status: 3 grants, 2 open items"
    changed = {"Grants:A": frozenset({"q1", "old"})}
    assert sp.edit_summary(rows(), changed) == "Status: 3 grants, 2 open items (1 new, 1 answered)"
    assert sp.open_ids_from_json("garbage") == {}


def test_content_changes_at_most_daily_without_new_data() -> None:
    """Six hours later the same rows render the same, volatile parts aside;
    the overdue colour follows the day, not the minute."""
    from parsers.markers import mask_volatile
    spec = sp.StatusPageSpec()
    morning = NOW.replace(hour=1)
    one = sp.render_table(rows(), spec, morning)
    assert mask_volatile(one) == mask_volatile(sp.render_table(rows(), spec, morning + timedelta(hours=6)))
    assert sp.mask_json(sp.render_json(rows(), spec, morning)) == sp.mask_json(
        sp.render_json(rows(), spec, morning + timedelta(hours=6)))


def test_table_only_has_no_details_and_no_view_links() -> None:
    """``[status] detail = "none"`` and ``views = false``: the one table, counts as plain numbers."""
    spec = sp.StatusPageSpec(detail_subpages=False, details=False, views=False)
    out = sp.render_table(rows(), spec, NOW)
    assert "===" not in out and "Open items:" not in out
    assert spec.reviewers_title not in out and spec.programs_title not in out
    assert "\n| 2\n" in out  # grant A's two open items, not a link (the text sorts itself)
    sections = sp.render_table(rows(), sp.StatusPageSpec(detail_subpages=False), NOW)
    # The heading names the grant without its namespace; the count still reaches it.
    assert "[[#Open items&#58; A|2]]" in sections and "=== <nowiki>Open items: A</nowiki> ===" in sections


def test_reminder_cell_says_off_in_a_word_when_reminders_are_switched_off() -> None:
    """Switched off for the run: one short word in the page's language, not a reason
    per row; a reason of the page itself (nobots) still shows."""
    from dataclasses import replace

    from publishing.reminders import ReminderState

    row = rows()[1]
    off = replace(row, reminder=ReminderState(1, 2, None, None, off=True))
    for lang, word in (("en", "off"), ("es", "desactivados"), ("pt", "desativados"), ("fr", "désactivés")):
        assert f"| {word}\n" in "\n".join(sp.table_row(off, sp.StatusPageSpec(lang=lang), NOW)) + "\n"
    nobots = replace(row, reminder=ReminderState(0, 2, None, "the page excludes this bot", off=True))
    assert "cannot remind: <nowiki>the page excludes this bot</nowiki>" in "\n".join(
        sp.table_row(nobots, sp.StatusPageSpec(), NOW))


def test_grant_names_drop_whatever_namespace_the_titles_are_in() -> None:
    """The namespace is read from the title (a wiki may name it otherwise), and a
    title's ':' and '/' stay readable in labels while wikitext stays escaped."""
    odd = "Subvenciones:Prog/Ana's [[x]] {{y}} ~~~~ a=b -{z}- <b>&amp; | z:w"  # a title has no "_"
    row = sp.GrantRow(odd, "Subvenciones discusión:X", talk=talk(item("q1", 20)))
    cell = sp.table_row(row, sp.StatusPageSpec(), NOW)[2]
    label = cell.split("|", 2)[2].split("]]<br />")[0]
    assert label.startswith("Prog/Ana&#39;s &#91;&#91;x&#93;&#93; &#123;&#123;y&#125;&#125; &#126;")
    assert label.endswith("&#60;b&#62;&#38;amp&#59; &#124; z:w") and "&#45;&#123;z&#125;&#45;" in label and "a&#61;b" in label
    assert html.unescape(label) == odd.partition(":")[2]
    sections = sp.render_table([row], sp.StatusPageSpec(detail_subpages=False), NOW)
    heading = re.search(r"=== <nowiki>Open items: (.*)</nowiki> ===", sections)
    link = re.search(r"\[\[#Open items&#58; ([^|\]]*)\|1\]\]", sections)
    assert heading and link and html.unescape(heading.group(1)) == odd.partition(":")[2]
    assert html.unescape(link.group(1)) == html.unescape(heading.group(1))
    assert "Subvenciones" not in heading.group(0) and "Subvenciones&#58;" not in sections


def test_empty_sections_link_only_the_first() -> None:
    """One link per row at most: the first empty section; the next few as escaped text, then a count."""
    from dataclasses import replace

    names = ["Outcomes", "Budget", "Lessons [[x]] {{y}}", "Next", "Extra", "More"]
    report = replace(REPORT, empty_sections=tuple(ReportSection((n,), n, "empty") for n in names))
    row = replace(rows()[1], report=report)
    cell = sp.table_row(row, sp.StatusPageSpec(), NOW)[10]
    assert cell == ('| data-sort-value="6" | [[:Grants:A/Report#Outcomes|Outcomes]], '
                    "<nowiki>Budget, Lessons [[x]] {{y}}, Next</nowiki> (+2)")
    assert cell.count("[[") - cell.count("<nowiki>Budget, Lessons [[") == 1
