"""The status output split into pages that stay under a size budget."""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import datetime, timedelta, timezone

from parsers.model import ItemKind, ItemStatus, ReviewerItem, TalkAnalysis
from publishing import statuspage as sp
from publishing.pages import PageKind, json_pages, pack, retired_page, table_pages

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def _row(n: int) -> sp.GrantRow:
    item = ReviewerItem(
        id=f"q{n}", kind=ItemKind.QUESTION, text=f"Question number {n} about the budget lines?",
        asked_by="Officer (WMF)", asked_at=NOW - timedelta(days=n % 30), section=("Review",),
        anchor="Review", status=ItemStatus.OPEN, answered_by=None, answered_at=None,
        answer_excerpt=None, answer_location=None, commitment=False, reason="no reply yet", start=0,
    )
    talk = TalkAnalysis(title=f"Grants talk:G{n:05d}", language="en", reviewers=(),
                        grantees=(), items=(item,) if n % 2 else (), threads=())
    return sp.GrantRow(f"Grants:G{n:05d}", f"Grants talk:G{n:05d}", f"Grants:G{n:05d}/Report", talk)


def test_pack_keeps_order_and_budget() -> None:
    assert pack([3, 3, 3, 3], 7) == [range(0, 2), range(2, 4)]
    assert pack([10, 1], 5) == [range(0, 1), range(1, 2)]  # too big alone: a run of its own
    assert pack([], 5) == []


def test_small_table_is_one_page() -> None:
    spec = sp.StatusPageSpec(detail_subpages=False)
    pages = table_pages([_row(n) for n in range(5)], spec, NOW)
    assert [p.title for p in pages] == [spec.title]
    assert pages[0].block == sp.render_table([_row(n) for n in range(5)], spec, NOW)


def test_large_table_becomes_an_index_holding_part_one_and_parts_under_budget() -> None:
    spec = dataclasses.replace(sp.StatusPageSpec(detail_subpages=False), page_budget=20_000)
    rows = [_row(n) for n in range(300)]
    pages = table_pages(rows, spec, NOW)
    index, parts = pages[0], pages[1:]
    assert index.title == spec.title and len(parts) > 3
    assert [p.title for p in parts] == [spec.part_title(n) for n in range(2, len(parts) + 2)]
    assert all(p.size() <= spec.page_budget + 2_000 for p in pages)  # header, legend, index
    assert "| Part 1 (below) || " in index.block
    for n, part in enumerate(parts, 2):
        assert f"[[:{spec.part_title(n)}|Part {n}]]" in index.block
    for page in pages:
        # Counts link to their section on the same page (a relative link), and it is there.
        assert not re.findall(r"\[\[:[^\]|]*#Open items", page.block)
        linked = re.findall(r"\[\[#Open items&#58; ([^|\]]*)\|", page.block)
        headings = re.findall(r"=== <nowiki>Open items: (.*)</nowiki> ===", page.block)
        assert [html.unescape(t) for t in linked] == headings
        assert len(set(headings)) == len(headings)  # one anchor per grant
    assert "[[#Open items&#58; " in index.block  # the most urgent first, on the status page
    listed = sum(p.block.count('\n|- style="background') for p in pages)
    assert listed == 300


def test_json_parts_and_index() -> None:
    spec = dataclasses.replace(sp.StatusPageSpec(), page_budget=20_000)
    pages = json_pages([_row(n) for n in range(300)], spec, NOW)
    index, parts = pages[0], pages[1:]
    assert index.kind is PageKind.JSON and index.title == spec.json_page
    # The index lists every page that holds grants, itself first (it holds part 1).
    assert [p["page"] for p in index.data["parts"]] == [spec.json_page] + [p.title for p in parts]
    assert [p.title for p in parts] == [spec.json_part_title(n) for n in range(2, len(parts) + 2)]
    assert sum(len(p.data["grants"]) for p in pages) == 300 == index.data["grants_total"]
    assert all(p.size() <= spec.page_budget + 1_000 for p in pages)
    assert index.data["grants"][0]["grant"] == index.data["parts"][0]["first"] == "Grants:G00000"
    assert [p.data["part"] for p in pages] == list(range(1, len(pages) + 1))


def test_retired_parts_point_to_the_index() -> None:
    spec = sp.StatusPageSpec()
    assert spec.title in retired_page(spec.part_title(9), PageKind.BLOCK, spec).block
    assert retired_page(spec.json_part_title(9), PageKind.JSON, spec).data["index"] == spec.json_page
