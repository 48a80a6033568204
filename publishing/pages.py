"""The status output as pages that each stay far below the wiki's size limit.

Meta's Grants namespace holds thousands of grants; one status page (with
its details as sections) and one JSON copy passed MediaWiki's 2 MiB page
limit at about 1,800 grants, and the wiki refused both saves.  Here the
rows are packed in urgency order (the table's own order) into pages of at most
``spec.page_budget`` bytes (half of the wiki's ``maxarticlesize``).  When
everything fits in one page, the status page holds the table and the JSON
page the data, as on a small wiki; otherwise the status page and the JSON
page become indexes of numbered parts, each listing its first and last
grant, and hold part 1 themselves (the most urgent grants are on the page
people open, and a split costs one save fewer); parts 2 and on are
``<status page>/2``, ``<status page>/2.json``, ...

Pure: rows, spec and ``now`` in, :class:`OutputPage` values out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from publishing import escape
from publishing.statuspage import (
    GrantRow,
    StatusPageSpec,
    by_urgency,
    assemble,
    details_sections,
    grant_json,
    iso,
    legend,
    table_header,
    table_row,
    updated_line,
)


class PageKind(str, Enum):
    BLOCK = "block"  # the bot's block of a wikitext page
    JSON = "json"  # a whole JSON page


@dataclass(frozen=True)
class OutputPage:
    title: str
    kind: PageKind
    block: str = ""  # BLOCK
    data: Any = None  # JSON

    def size(self) -> int:
        text = self.block if self.kind is PageKind.BLOCK else json.dumps(self.data, ensure_ascii=False, indent=1)
        return len(text.encode("utf-8"))


def pack(sizes: Sequence[int], budget: int, first: int | None = None) -> list[range]:
    """Consecutive runs of items whose sizes add up to at most ``budget``
    (``first`` for the first run; an item larger than the budget gets a run of its own)."""
    runs: list[range] = []
    start, total = 0, 0
    for i, size in enumerate(sizes):
        if i > start and total + size > (first if first is not None and not runs else budget):
            runs.append(range(start, i))
            start, total = i, 0
        total += size
    if sizes:
        runs.append(range(start, len(sizes)))
    return runs


def table_pages(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime) -> list[OutputPage]:
    """The status page, or an index of it and its numbered parts.

    Each row is rendered once; its link to its details section is relative to
    the page it lands on, so a row moves between parts unchanged."""
    ordered = by_urgency(rows, spec, now)  # part 1 holds the most urgent grants
    pieces = [("\n".join(table_row(r, spec, now)), "\n".join(details_sections([r], spec, now)))
              for r in ordered]
    sizes = [len(a.encode("utf-8")) + len(b.encode("utf-8")) + 2 for a, b in pieces]
    runs = pack(sizes, spec.page_budget)
    if len(runs) > 1:  # part 1 shares the status page with the index: room for it, and a line more
        index = len(_index(ordered, runs, spec, now).encode("utf-8"))
        runs = pack(sizes, spec.page_budget, first=spec.page_budget - index - index // len(runs))
    if len(runs) <= 1:
        return [OutputPage(spec.title, PageKind.BLOCK, assemble(ordered, pieces, spec, now))]
    first = runs[0]
    table = [*table_header(spec), *(pieces[i][0] for i in first), "|}", *(pieces[i][1] for i in first if pieces[i][1])]
    pages = [OutputPage(spec.title, PageKind.BLOCK, _index(ordered, runs, spec, now) + "\n" + "\n".join(table))]
    for n, run in enumerate(runs[1:], 2):
        block = assemble([ordered[i] for i in run], [pieces[i] for i in run], spec, now)
        back = f"Part {n} of {len(runs)} of [[:{spec.title}]]."
        pages.append(OutputPage(spec.part_title(n), PageKind.BLOCK, back + "\n\n" + block))
    return pages


def _index(rows: Sequence[GrantRow], runs: list[range], spec: StatusPageSpec, now: datetime) -> str:
    lines = [updated_line(rows, spec, now), "",
             f"The table is split into {len(runs)} pages of grants, most urgent first; "
             "part 1 is below.", "",
             '{| class="wikitable"', "! Page !! From !! To !! Grants !! Open items"]
    for n, run in enumerate(runs, 1):
        first, last = rows[run[0]], rows[run[-1]]
        opened = sum(len(rows[i].open_items) for i in run)
        page = "Part 1 (below)" if n == 1 else f"[[:{spec.part_title(n)}|Part {n}]]"
        lines += ["|-", f"| {page} || {escape.text(first.grant_title)}"
                  f" || {escape.text(last.grant_title)} || {len(run)} || {opened}"]
    lines += ["|}", "", legend(spec)]
    return "\n".join(lines)


def json_pages(rows: Sequence[GrantRow], spec: StatusPageSpec, now: datetime) -> list[OutputPage]:
    """The JSON copy, or an index of it and its numbered parts."""
    ordered = sorted(rows, key=lambda r: r.grant_title)
    grants = [grant_json(r, now) for r in ordered]
    # Measured as nested in the page (indentation counts).
    sizes = [len(json.dumps({"grants": [g]}, ensure_ascii=False, indent=1).encode("utf-8")) for g in grants]
    runs = pack(sizes, spec.page_budget)
    head = {"generated": iso(now), "status_page": spec.title}
    if len(runs) <= 1:
        return [OutputPage(spec.json_page, PageKind.JSON, data={**head, "grants": grants})]
    listed = len(json.dumps(_json_index(runs, grants, spec), ensure_ascii=False, indent=1).encode("utf-8"))
    runs = pack(sizes, spec.page_budget, first=spec.page_budget - listed - listed // len(runs))
    index = _json_index(runs, grants, spec)
    parts = [OutputPage(entry["page"], PageKind.JSON, data={
        **head, "index": spec.json_page, "part": n, "grants": [grants[i] for i in run]})
        for n, (entry, run) in enumerate(zip(index, runs), 1) if n > 1]
    # The index holds part 1: a tool reads "grants" of every page listed in "parts".
    data = {**head, "grants_total": len(grants), "parts": index, "part": 1,
            "grants": [grants[i] for i in runs[0]]}
    return [OutputPage(spec.json_page, PageKind.JSON, data=data), *parts]


def _json_index(runs: list[range], grants: list[dict[str, Any]], spec: StatusPageSpec) -> list[dict[str, Any]]:
    return [{"page": spec.json_page if n == 1 else spec.json_part_title(n), "first": grants[run[0]]["grant"],
             "last": grants[run[-1]]["grant"], "grants": len(run)} for n, run in enumerate(runs, 1)]


def retired_page(title: str, kind: PageKind, spec: StatusPageSpec) -> OutputPage:
    """What a part left over from a longer table becomes: a pointer to the index."""
    if kind is PageKind.JSON:
        return OutputPage(title, kind, data={"retired": True, "index": spec.json_page})
    return OutputPage(title, kind, f"This part is no longer used; see [[:{spec.title}]].")

