"""What a sweep costs the state database and the wiki when nothing changed.

A quiet sweep must do work proportional to what changed, not to the number
of grants: the SQL statements it sends are counted (an SQLAlchemy event
listener on the run's engine) on the same wiki before and after many more
grants are imported, and must not grow.  A sweep six hours later, with
nothing changed on the wiki, must not edit: ages are published as dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import event

from jobs.config import load_config
from jobs.context import RunContext, open_context
from jobs.sweep import RunSummary, sweep
from localwiki import LocalWiki
from localwiki.seed import seed_wiki
from wikipages import local_config, text_of

pytestmark = pytest.mark.wiki


def _context(config: Path, now: datetime | None = None) -> RunContext:
    return open_context(load_config(config), **({"now": (lambda: now)} if now else {}))


def _counted_sweep(config: Path, *, whole: bool = False, **kwargs: bool) -> tuple[RunSummary, list[str]]:
    """A sweep and its SQL statements (their first word, or ``whole``)."""
    ctx = _context(config)
    statements: list[str] = []

    def count(conn: object, cursor: object, sql: str, *args: object) -> None:
        statements.append(sql if whole else sql.split(None, 1)[0].upper())

    event.listen(ctx.state.engine, "before_cursor_execute", count)
    try:
        return sweep(ctx, **kwargs), statements
    finally:
        ctx.state.close()


@pytest.fixture
def config(seeded: LocalWiki, tmp_path: Path) -> Iterator[Path]:
    # No edit cap: the grown sweep posts a reminder on most new grants.
    yield local_config(seeded, tmp_path, "[safety]\nmax_edits_per_run = 0\n")


def test_quiet_sweep_statements_do_not_grow_with_grants(seeded: LocalWiki, config: Path) -> None:
    first, first_sql = _counted_sweep(config)
    assert first.result == "ok" and first.fetched == 13
    quiet, small = _counted_sweep(config)
    assert quiet.fetched == 0 and quiet.edits == 0

    seed_wiki(seeded, datetime.now(timezone.utc).replace(microsecond=0), samples=False, synthetic=120)
    grown, grown_sql = _counted_sweep(config, full=True)
    assert grown.result == "ok" and grown.grants == 133 and grown.fetched == 120
    # Saving 120 more grants is a few transactions, not a few per grant; each
    # reminder posted is its own (record it, move the talk page's revision).
    per_reminder = 6
    assert len(grown_sql) - per_reminder * grown.outcomes.reminders < len(first_sql) + 60, (
        len(first_sql), len(grown_sql), grown.outcomes.reminders)
    quiet_again, large = _counted_sweep(config)
    assert quiet_again.fetched == 0 and quiet_again.edits == 0
    assert len(large) <= len(small), (small, large)
    assert len(large) <= 25, large


def test_quiet_sweep_builds_no_record_per_grant(seeded: LocalWiki, tmp_path: Path) -> None:
    # With reminders off nothing can be due: the plan needs which titles have a record,
    # never the records themselves (their revision times are read only with them).
    config = local_config(seeded, tmp_path, "[reminders]\nenabled = false\n")
    first, _ = _counted_sweep(config)
    assert first.result == "ok" and first.fetched > 0
    quiet, sql = _counted_sweep(config, whole=True)
    assert quiet.result == "ok" and quiet.fetched == 0 and quiet.edits == 0
    assert not [q for q in sql if "last_timestamp" in q], sql
    # Nor every stored analysis: which were made by another parser is asked only when the
    # last clean sweep ran another version.
    assert not [q for q in sql if "analysis_version" in q], sql


def test_a_new_parser_version_reanalyses_every_grant_once(seeded: LocalWiki, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from jobs import refresh

    config = local_config(seeded, tmp_path, "[reminders]\nenabled = false\n")
    first, _ = _counted_sweep(config)
    assert first.result == "ok" and first.fetched == 13
    monkeypatch.setattr(refresh, "ANALYSIS_VERSION", "a later parser")
    bumped, _ = _counted_sweep(config)
    assert bumped.result == "ok" and bumped.fetched == 13, bumped.lines()
    quiet, sql = _counted_sweep(config, whole=True)
    assert quiet.fetched == 0 and not [q for q in sql if "analysis_version" in q], sql


def test_quiet_sweep_reads_only_the_reminder_candidates_records(seeded: LocalWiki, tmp_path: Path) -> None:
    # With reminders on, grants with open items the bot may not remind (an opted-out page,
    # a report accepted) are candidates of every sweep: their records are read, by title.
    config = local_config(seeded, tmp_path, "[safety]\nmax_edits_per_run = 0\n")
    first, _ = _counted_sweep(config)
    assert first.result == "ok" and first.outcomes.reminders > 0
    quiet, sql = _counted_sweep(config, whole=True)
    assert quiet.result == "ok" and quiet.fetched == 0 and quiet.edits == 0
    records = [q for q in sql if "last_timestamp" in q]
    assert records and all(" IN (" in q for q in records), records


def test_six_hours_later_nothing_changed_makes_no_edit(seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path, "[reminders]\nenabled = false\n")
    morning = datetime.now(timezone.utc).replace(hour=1, minute=0, second=0, microsecond=0)
    first = sweep(_context(config, morning))
    assert first.result == "ok" and first.edits >= 2
    later = sweep(_context(config, morning + timedelta(hours=6)))
    assert later.result == "ok" and later.edits == 0, [o.describe() for o in later.outcomes.edits]
    assert later.fetched == 0


def test_first_sweep_saves_without_reading_its_pages_and_keeps_a_persons_text(
        seeded: LocalWiki, tmp_path: Path) -> None:
    """The state never saved the output pages, so the first sweep creates them
    without reading them first; a page a person made meanwhile is found by the
    wiki's refusal to create it, read then, and keeps the person's text."""
    config = local_config(seeded, tmp_path, "[reminders]\nenabled = false\n"
                                            '[status]\ndetail = "sections"\n')
    seeded.edit_as_human("User:GrantBot/Grant status/By program", "Kept intro by a person.\n", "intro")
    ctx = _context(config)
    from bots.metrics import count_requests

    with count_requests() as counter:
        first = sweep(ctx)
    ctx.state.close()
    assert first.result == "ok", first.errors
    titles = {o.title for o in first.outcomes.edits}
    assert {"User:GrantBot/Grant status", "User:GrantBot/Grant status.json",
            "User:GrantBot/Grant status/By program"} <= titles
    text = text_of(seeded, "User:GrantBot/Grant status/By program")
    assert text.startswith("Kept intro by a person.") and "<!-- grantbot:start -->" in text
    # Four saves and the one refused creation; no batched read of the output pages.
    assert counter.by_action.get("edit") == 5, (counter.by_action, [o.describe() for o in first.outcomes.edits])
    again = sweep(_context(config))
    assert again.result == "ok" and again.edits == 0
