"""What ordinary wiki users do that must not break a sweep (issue 11, sweep side).

Each test reproduces one attack on the real local wiki: a grant whose
derived page title is invalid, a state database shared by two wikis, a
grant page moved, changes the incremental sweep could miss, grants that
are no longer watched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from jobs.config import load_config
from jobs.context import RunContext, open_context
from jobs.state import open_state
from jobs.sweep import sweep
from localwiki import LocalWiki
from localwiki.seed.samples_en import INLINE, UNANSWERED
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


def all_grants(wiki: LocalWiki) -> list[str]:
    """Every report page of the wiki."""
    data = wiki.api_session("human").call(action="query", list="allpages", apnamespace="200",
                                          aplimit="max")
    return [p["title"] for p in data["query"]["allpages"] if p["title"].endswith("Report")]


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


# ------------------------------------------------ changes an incremental sweep missed

def later(config: Path, delta: timedelta) -> RunContext:
    moment = datetime.now(timezone.utc) + delta
    return open_context(load_config(config), now=lambda: moment)


def wiki_db(wiki: LocalWiki) -> sqlite3.Connection:
    """The local wiki's own database: to do what a busy wiki does to its recent changes."""
    return sqlite3.connect(wiki.directory / "data" / "wiki.sqlite", timeout=30)


def add_question(wiki: LocalWiki, title: str, role: str = "human") -> int:
    text = text_of(wiki, title) + "\n" + ASK.replace("Budget", f"Budget {role}")
    return wiki.api_session(role).edit(title, text, "one more question")


def test_a_person_editing_through_the_bot_account_is_seen(seeded: LocalWiki, config: Path) -> None:
    first = sweep(context(config))
    assert first.outcomes.reminders >= 1  # the bot's own saves must not be refetched ...
    assert sweep(context(config)).fetched == 0
    add_question(seeded, f"Grants talk:{INLINE}", role="bot")  # ... but a person's are
    after = sweep(context(config))
    assert after.fetched == 1, after.lines()
    assert sweep(context(config)).fetched == 0


def test_a_gap_longer_than_the_recent_changes_retention_lists_every_page(
        seeded: LocalWiki, config: Path) -> None:
    sweep(context(config))
    add_question(seeded, f"Grants talk:{INLINE}")
    with wiki_db(seeded) as db:  # 31 days later the wiki has purged those rows
        db.execute("DELETE FROM recentchanges")
    after = sweep(later(config, timedelta(days=31)))
    assert after.fetched == 1, after.lines()
    assert any("30 days of recent changes" in n for n in after.notes), after.notes


def test_a_change_row_that_appears_late_is_seen_once(seeded: LocalWiki, config: Path) -> None:
    sweep(context(config))
    revid = add_question(seeded, f"Grants talk:{INLINE}")
    # Replication lag: the row carries a time before the last sweep's clock,
    # but only became visible after that sweep.
    early = (datetime.now(timezone.utc) - timedelta(seconds=70)).strftime("%Y%m%d%H%M%S")
    with wiki_db(seeded) as db:
        db.execute("UPDATE recentchanges SET rc_timestamp = ? WHERE rc_this_oldid = ?", (early, revid))
    after = sweep(context(config))
    assert after.fetched == 1, after.lines()
    again = sweep(context(config))  # the row is still inside the overlap: seen, not refetched
    assert again.fetched == 0 and not again.notes, again.lines()


def test_a_daily_reconciliation_finds_a_change_recent_changes_lost(
        seeded: LocalWiki, config: Path) -> None:
    sweep(context(config))
    add_question(seeded, f"Grants talk:{INLINE}")
    with wiki_db(seeded) as db:  # a row lost for any reason
        db.execute("DELETE FROM recentchanges")
    assert sweep(later(config, timedelta(hours=1))).fetched == 0  # nothing says it changed
    daily = sweep(later(config, timedelta(hours=25)))
    assert daily.fetched == 1, daily.lines()
    assert any("reconciliation" in n for n in daily.notes), daily.notes


# ------------------------------------------------ one state database, two wikis

def test_a_state_database_of_another_wiki_is_refused_before_anything_is_written(
        seeded: LocalWiki, tmp_path: Path) -> None:
    from bots.errors import ConfigError

    other = LocalWiki.create(tmp_path / "other")
    try:
        other.start()
        other.register_pywikibot()
        shared = tmp_path / "shared"
        shared.mkdir()
        first = local_config(seeded, shared)
        assert sweep(context(first)).result == "ok"
        second = shared / "other.toml"
        second.write_text(first.read_text().replace(str(seeded.directory), str(other.directory)))
        before = text_of(other, STATUS)
        with pytest.raises(ConfigError) as refused:
            sweep(context(second))
        assert refused.value.exit_code == 2 and "\n" not in str(refused.value)
        assert str(other.directory) in str(refused.value) and "[state] url" in str(refused.value)
        assert text_of(other, STATUS) == before == ""
        from click.testing import CliRunner

        from jobs.cli import cli as grantbot

        cli = CliRunner().invoke(grantbot, ["run", "--config", str(second)])
        assert cli.exit_code == 2 and "belongs to" in cli.output, cli.output
        assert text_of(other, STATUS) == ""
        # The wiki it belongs to carries on.
        assert sweep(context(first)).result == "ok"
    finally:
        other.destroy()


# ------------------------------------------------ grants no longer watched

def test_pages_of_grants_no_longer_watched_say_so(seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path)
    sweep(context(config))
    detail = f"{STATUS}/Grants:{UNANSWERED.rsplit('/', 1)[0]}"
    assert "Open reviewer items" in text_of(seeded, detail)
    kept = UNANSWERED.split("/")[0] + "/"  # every other program's grants leave the list
    others = [t for t in all_grants(seeded) if not t.startswith(f"Grants:{kept}")]
    assert others
    config.write_text(config.read_text() + f'[grants]\nprefixes = ["{kept}"]\n', encoding="utf-8")
    after = sweep(context(config))
    assert after.result == "ok", after.lines()
    table = text_of(seeded, STATUS)
    for title in others:
        assert title.split("/")[-2] not in table, title
    gone = [t for t in others if text_of(seeded, f"{STATUS}/{t.rsplit('/', 1)[0]}")]
    assert gone  # some of them had a detail page ...
    for title in gone:  # ... which now says the grant is no longer followed, and why
        page = text_of(seeded, f"{STATUS}/{title.rsplit('/', 1)[0]}")
        assert "no longer maintains this page" in page and "configuration no longer includes it" in page
        assert "Open reviewer items" not in page
    assert any("no longer followed" in n for n in after.notes)
    assert sweep(context(config)).edits == 0  # said once


# ------------------------------------------------ grant pages moved by people

def move(wiki: LocalWiki, old: str, new: str, talk: bool = True) -> None:
    session = wiki.api_session("human")
    extra = {"movetalk": "1"} if talk else {}
    session.call(post=True, action="move", to=new, reason="tidying", token=session.token(),
                 **{"from": old}, **extra)


def test_a_moved_report_keeps_its_items_and_reminders(seeded: LocalWiki, config: Path) -> None:
    first = sweep(context(config))
    old = f"Grants:{UNANSWERED}"
    with open_state(load_config(config).state.resolved_url()) as store:
        sent = store.reminders_for(old)
        items = {i.item_id: i.first_seen for i in store.items_for(old)}
    assert sent and items, first.lines()
    new = old.replace("Village Histories Editathon", "Village Histories Editathon (renamed)")
    move(seeded, old, new)
    after = sweep(context(config))
    assert after.result == "ok", after.lines()
    with open_state(load_config(config).state.resolved_url()) as store:
        assert [r.item_ids for r in store.reminders_for(new)] == [r.item_ids for r in sent]
        assert {i.item_id: i.first_seen for i in store.items_for(new)} == items
        assert store.items_for(old) == []
    assert f"moved: {old} -> {new} (its items and reminders follow)" in after.notes, after.lines()
    table = text_of(seeded, STATUS)
    assert "(renamed)" in table
    old_detail = text_of(seeded, f"{STATUS}/{old.rsplit('/', 1)[0]}")
    assert "no longer maintains this page" in old_detail and "(renamed)" in old_detail
    assert sweep(context(config)).edits == 0  # no second reminder on the moved page


def test_a_talk_page_moved_on_its_own_is_followed(seeded: LocalWiki, config: Path) -> None:
    sweep(context(config))
    report = f"Grants:{UNANSWERED}"
    with open_state(load_config(config).state.resolved_url()) as store:
        open_before = sorted(i.item_id for i in store.items_for(report) if i.status == "open")
    assert open_before
    talk = f"Grants talk:{UNANSWERED}"
    moved_to = f"Grants talk:{UNANSWERED.rsplit('/', 1)[0]}/Discussion"
    move(seeded, talk, moved_to, talk=False)
    after = sweep(context(config))
    with open_state(load_config(config).state.resolved_url()) as store:
        assert sorted(i.item_id for i in store.items_for(report) if i.status == "open") == open_before
    assert f"talk page of {report} moved to {moved_to}: followed" in after.notes, after.lines()
    # A question asked on the page where the discussion now lives is seen.
    add_question(seeded, moved_to)
    later_sweep = sweep(context(config))
    assert later_sweep.fetched == 1, later_sweep.lines()


def test_a_grant_whose_analysis_fails_is_reported_and_retried(
        seeded: LocalWiki, config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jobs import refresh

    broken = f"Grants:{INLINE}"
    real = refresh.analyse_report_page

    def fragile(text: str, *, title: str) -> object:
        if title == broken:
            raise RuntimeError("a page no rule foresaw")
        return real(text, title=title)

    monkeypatch.setattr(refresh, "analyse_report_page", fragile)
    first = sweep(context(config))
    assert first.result == "errors" and first.fetched == 13, first.lines()
    assert f"{broken}: could not be processed: analysis failed: a page no rule foresaw" in first.errors
    assert "could not be processed: analysis failed" in text_of(seeded, STATUS)
    assert first.outcomes.reminders >= 1  # the other grants carried on
    monkeypatch.setattr(refresh, "analyse_report_page", real)
    second = sweep(context(config))  # it was not saved: fetched again, and now it works
    assert second.result == "ok" and second.fetched == 1, second.lines()
    assert "could not be processed" not in text_of(seeded, STATUS)


def test_a_reminder_that_fails_does_not_stop_the_others(
        seeded: LocalWiki, config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jobs import remind

    real = remind.remind
    broken = f"Grants:{UNANSWERED}"

    def fragile(ctx: RunContext, state: object, grant: object, *args: object) -> object:
        if getattr(grant, "key", None) == broken:
            raise RuntimeError("a wording no rule foresaw")
        return real(ctx, state, grant, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(remind, "remind", fragile)
    first = sweep(context(config))
    assert f"{broken}: could not be processed: reminder failed: a wording no rule foresaw" in first.errors
    assert first.outcomes.reminders >= 1 and "wikitable" in text_of(seeded, STATUS), first.lines()
