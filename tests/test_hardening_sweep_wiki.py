"""What ordinary wiki users do that must not break a sweep (issue 11, sweep side).

Each test reproduces one attack on the real local wiki: a grant whose
derived page title is invalid, a state database shared by two wikis, a
grant page moved, changes the incremental sweep could miss, grants that
are no longer watched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jobs.config import load_config
from jobs.context import RunContext, open_context
from jobs.sweep import sweep
from localwiki import LocalWiki
from wikipages import local_config, text_of

pytestmark = pytest.mark.wiki

STATUS = "User:GrantBot/Grant status"
ASK = ("== Budget ==\nCould you add the budget table to the report? "
       "[[User:Ingrid Solberg|Ingrid Solberg]] 10:00, 1 November 2026 (UTC)\n")


def context(config: Path) -> RunContext:
    return open_context(load_config(config))


@pytest.fixture
def config(seeded: LocalWiki, tmp_path: Path) -> Iterator[Path]:
    yield local_config(seeded, tmp_path)


def add_grant(wiki: LocalWiki, name: str, talk: str = ASK) -> str:
    """A report and its talk page; returns the report title."""
    report = f"Grants:Project/Rapid/Alice/{name}/Report"
    wiki.edit_as_human(report, "== Activities ==\nWe held two workshops.\n", "report")
    wiki.edit_as_human(report.replace("Grants:", "Grants talk:", 1), talk, "question")
    return report


def test_a_grant_with_an_invalid_detail_title_does_not_stop_the_others(
        seeded: LocalWiki, config: Path) -> None:
    long_report = add_grant(seeded, "L" * 215)  # its detail page title passes 255 bytes
    add_grant(seeded, "Short grant")
    first = sweep(context(config))
    assert first.result == "errors", first.lines()
    assert any("L" * 40 in e and "could not be processed" in e for e in first.errors), first.lines()
    table = text_of(seeded, STATUS)
    assert "Short grant" in table and "could not be processed" in table
    assert text_of(seeded, f"{STATUS}/Grants:Project/Rapid/Alice/Short grant").strip()
    # The next sweep is not stuck on it: the watermark moved, nothing is refetched,
    # and the status page still says why the grant is not processed.
    second = sweep(context(config))
    assert second.result == "ok" and second.fetched == 0 and second.edits == 0, second.lines()
    assert "could not be processed" in text_of(seeded, STATUS)
    assert long_report.split("/")[3][:40] in text_of(seeded, STATUS)
