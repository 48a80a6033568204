"""The writer against a real local MediaWiki: people's text is never lost."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from publishing import reminders as rm
from publishing.blocks import current_block
from bots.errors import NotAllowedError, ShutoffError, WikiUnavailableError
from publishing.outcomes import OutcomeKind
from bots.site import PageState, WikiSite
from bots.writer import Writer
from publishing.safety import EditPolicy
from parsers.markers import reminder_markers, volatile
from parsers.model import ItemKind, ItemStatus, ReviewerItem, TalkAnalysis

pytestmark = pytest.mark.wiki

STATUS = "User:GrantBot/Grant status"
NOW = datetime(2024, 6, 30, 12, 0, tzinfo=timezone.utc)


class InterleavingSite(WikiSite):
    """The real site, with a person's edit slipped in right after the bot reads a page."""

    def __init__(self, site: Any, hooks: list[Callable[[], None]]) -> None:
        super().__init__(site)
        self.hooks = hooks

    def current(self, title: str) -> PageState:
        state = super().current(title)
        if title == STATUS and self.hooks:
            self.hooks.pop(0)()
        return state


def bot_saved(site: Any, text: str, title: str = STATUS) -> None:
    """``text`` saved by the bot itself, as an earlier run would have left the page."""
    WikiSite(site).edit(title=title, text=text, summary="an earlier run", bot=True)


def revcount(site: WikiSite, title: str) -> int:
    return len(site.revisions(title))


def test_human_text_survives_20_interleaved_edits(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    site = WikiSite(fresh_bot_site)
    writer = Writer(site)
    writer.begin_run()
    fresh_wiki.edit_as_human(STATUS, "Intro by a person.\n")
    human_lines = ["Intro by a person."]
    for n in range(20):
        outcome = writer.write_block(STATUS, f"table version {n}\n{volatile(str(n))}", f"run {n}")
        assert outcome.kind is OutcomeKind.EDITED, outcome
        text = site.current(STATUS).text
        before, _, after = text.partition("<!-- grantbot:start -->")
        # A person edits right away (often within the same second), above or below.
        line = f"Note {n} from a person."
        human_lines.append(line)
        if n % 2:
            new = before + line + "\n" + "<!-- grantbot:start -->" + after
        else:
            new = text + f"\n{line}"
        fresh_wiki.edit_as_human(STATUS, new, f"note {n}")
    final = writer.write_block(STATUS, "final table", "final")
    assert final.kind is OutcomeKind.EDITED
    text = site.current(STATUS).text
    for line in human_lines:
        assert line in text
    assert current_block(text) == "final table"
    assert text.startswith("Intro by a person.\n")


def test_concurrent_edit_between_read_and_save_is_kept(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    bot_saved(fresh_bot_site, "Top line.\n<!-- grantbot:start -->\nold\n<!-- grantbot:end -->\nBottom.")
    hooks = [
        # Same second as the bot's read: only the baserevid check can catch this one.
        lambda: fresh_wiki.edit_as_human(STATUS, "Top line, edited at once.\n<!-- grantbot:start -->\nold\n<!-- grantbot:end -->\nBottom."),
    ]
    site = InterleavingSite(fresh_bot_site, hooks)
    outcome = Writer(site).write_block(STATUS, "new", "status")
    assert outcome.kind is OutcomeKind.EDITED
    text = site.current(STATUS).text
    assert text == "Top line, edited at once.\n<!-- grantbot:start -->\nnew\n<!-- grantbot:end -->\nBottom."

    def slow_edit() -> None:
        time.sleep(1.1)  # past the one-second basetimestamp resolution
        fresh_wiki.edit_as_human(STATUS, text.replace("Bottom.", "Bottom, rewritten by a person."))

    site.hooks.append(slow_edit)
    outcome = Writer(site).write_block(STATUS, "newer", "status")
    assert outcome.kind is OutcomeKind.EDITED
    final = site.current(STATUS).text
    assert final.endswith("\n<!-- grantbot:end -->\nBottom, rewritten by a person.")
    assert current_block(final) == "newer" and final.startswith("Top line, edited at once.")


def test_conflicting_edit_on_adjacent_lines_is_retried(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    base = "<!-- grantbot:start -->\nold\n<!-- grantbot:end -->"
    bot_saved(fresh_bot_site, base)
    # The person rewrites the very lines the bot changes: MediaWiki cannot merge.
    hooks = [lambda: fresh_wiki.edit_as_human(STATUS, "Person's header\n<!-- grantbot:start -->\nold, annotated\n<!-- grantbot:end -->\nfooter")]
    site = InterleavingSite(fresh_bot_site, hooks)
    outcome = Writer(site).write_block(STATUS, "fresh", "status")
    assert outcome.kind is OutcomeKind.EDITED
    text = site.current(STATUS).text
    # Their rewrite of the bot's line is their text: kept, just below the block.
    assert text == "Person's header\n<!-- grantbot:start -->\nfresh\n<!-- grantbot:end -->\nold, annotated\nfooter"


def test_gives_up_after_three_tries(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    fresh_wiki.edit_as_human(STATUS, "<!-- grantbot:start -->\nold\n<!-- grantbot:end -->")
    counter = iter(range(100))

    def edit_block() -> None:
        time.sleep(1.1)  # a detectable conflict on the bot's own lines
        fresh_wiki.edit_as_human(STATUS, f"<!-- grantbot:start -->\nperson {next(counter)}\n<!-- grantbot:end -->")

    site = InterleavingSite(fresh_bot_site, [edit_block] * 10)
    outcome = Writer(site, EditPolicy(max_tries=3)).write_block(STATUS, "bot", "status")
    assert outcome.kind is OutcomeKind.CONFLICT_GAVE_UP and outcome.tries == 3
    assert "person 2" in site.current(STATUS).text


def test_same_second_overwrites_are_repaired(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    bot_saved(fresh_bot_site, "<!-- grantbot:start -->\nold\n<!-- grantbot:end -->")
    counter = iter(range(100))

    def edit_outside() -> None:
        current = fresh_wiki.api_session().call(
            action="query", prop="revisions", titles=STATUS, rvprop="content", rvslots="main"
        )["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]
        fresh_wiki.edit_as_human(STATUS, f"line {next(counter)}\n" + current)

    # The person's edit lands in the same second as the bot's read, so
    # MediaWiki accepts the bot's stale save; the writer must notice and repair.
    site = InterleavingSite(fresh_bot_site, [edit_outside])
    outcome = Writer(site).write_block(STATUS, "bot", "status")
    assert outcome.kind is OutcomeKind.EDITED
    text = site.current(STATUS).text
    assert text == "line 0\n<!-- grantbot:start -->\nbot\n<!-- grantbot:end -->"


def test_unchanged_when_only_volatile_parts_differ(fresh_bot_site: Any) -> None:
    site = WikiSite(fresh_bot_site)
    writer = Writer(site)
    assert writer.write_block(STATUS, f"T {volatile('a')}", "s").kind is OutcomeKind.EDITED
    count = revcount(site, STATUS)
    assert writer.write_block(STATUS, f"T {volatile('b')}", "s").kind is OutcomeKind.UNCHANGED
    assert revcount(site, STATUS) == count
    assert writer.write_block(STATUS, f"U {volatile('b')}", "s").kind is OutcomeKind.EDITED


def test_json_page_has_json_model_and_skips_volatile_changes(fresh_bot_site: Any) -> None:
    site = WikiSite(fresh_bot_site)
    writer = Writer(site)
    title = STATUS + ".json"
    assert writer.write_json(title, {"generated": "1", "grants": [1]}, "s").kind is OutcomeKind.EDITED
    state = site.current(title)
    assert state.content_model == "json"
    assert writer.write_json(title, {"generated": "2", "grants": [1]}, "s").kind is OutcomeKind.UNCHANGED
    assert writer.write_json(title, {"generated": "2", "grants": [2]}, "s").kind is OutcomeKind.EDITED


def test_simulate_sends_nothing_and_returns_diff(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    fresh_wiki.edit_as_human(STATUS, "Person.\n")
    fresh_wiki.edit_as_human("Grants talk:Sim", "== Q ==\nA question? [[User:R|R]] 10:00, 1 May 2024 (UTC)\n")
    site = WikiSite(fresh_bot_site, simulate=True)
    writer = Writer(site)
    before = (revcount(site, STATUS), revcount(site, "Grants talk:Sim"))
    out = writer.write_block(STATUS, "simulated table", "s")
    assert out.kind is OutcomeKind.SIMULATED and out.diff and "+simulated table" in out.diff
    out = writer.append_section("Grants talk:Sim", "Reminder", "body ~~~~", "s")
    assert out.kind is OutcomeKind.SIMULATED and "+body ~~~~" in (out.diff or "")
    out = writer.write_json(STATUS + ".json", {"a": 1}, "s")
    assert out.kind is OutcomeKind.SIMULATED
    assert (revcount(site, STATUS), revcount(site, "Grants talk:Sim")) == before
    assert not site.current(STATUS + ".json").exists
    with pytest.raises(Exception, match="simulate"):
        site.edit(title=STATUS, text="x", summary="must not leave")


@pytest.mark.parametrize(
    "template", ["{{nobots}}", "{{bots|deny=GrantBot}}", "{{bots|optout=grantbot-reminders}}", "{{bots|allow=Someone}}"]
)
def test_opted_out_talk_pages_are_never_edited(fresh_wiki: Any, fresh_bot_site: Any, template: str) -> None:
    title = "Grants talk:Quiet"
    fresh_wiki.edit_as_human(title, f"{template}\n== Q ==\nWhere is it? [[User:R|R]] 10:00, 1 May 2024 (UTC)\n")
    site = WikiSite(fresh_bot_site)
    out = Writer(site).append_section(title, "Reminder", "text ~~~~", "reminder")
    assert out.kind is OutcomeKind.REFUSED
    assert revcount(site, title) == 1


def test_nobots_status_page_is_never_edited(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    fresh_wiki.edit_as_human(STATUS, "{{nobots}}\n<!-- grantbot:start -->\nold\n<!-- grantbot:end -->")
    site = WikiSite(fresh_bot_site)
    assert Writer(site).write_block(STATUS, "new", "s").kind is OutcomeKind.REFUSED
    assert revcount(site, STATUS) == 1


def test_shutoff_page_stops_edits(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    site = WikiSite(fresh_bot_site)
    shutoff = "User:GrantBot/Shutoff"
    fresh_wiki.edit_as_human(shutoff, "  Run \n")
    writer = Writer(site, EditPolicy(shutoff_every=2))
    writer.begin_run()
    assert writer.write_block(STATUS, "one", "s").kind is OutcomeKind.EDITED
    assert writer.write_block(STATUS, "two", "s").kind is OutcomeKind.EDITED
    fresh_wiki.edit_as_human(shutoff, "stop: the bot is misbehaving")
    count = revcount(site, STATUS)
    out = writer.write_block(STATUS, "three", "s")  # third edit: the periodic check fires
    assert out.kind is OutcomeKind.REFUSED and "Shutoff" in (out.reason or "")
    assert writer.write_block(STATUS, "four", "s").kind is OutcomeKind.REFUSED
    assert revcount(site, STATUS) == count
    with pytest.raises(ShutoffError):
        Writer(site).begin_run()
    with pytest.raises(NotAllowedError):
        Writer(site).write_block(shutoff, "run", "s")


def test_allowlist_refuses_other_pages(fresh_bot_site: Any) -> None:
    writer = Writer(WikiSite(fresh_bot_site))
    for title in ("Main Page", "User:Alice/Status", "Grants talk:X", "Grants:X", "User:GrantBot"):
        with pytest.raises(NotAllowedError):
            writer.write_block(title, "x", "s")
    for title in ("User talk:Alice", "Main Page", "User:GrantBot/Grant status"):
        with pytest.raises(NotAllowedError):
            writer.append_section(title, "h", "b", "s")


def test_reminder_is_appended_and_never_duplicated(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    title = "Grants talk:Reminded"
    original = "== Questions ==\nPlease send the receipts. [[User:R|R]] 10:00, 1 May 2024 (UTC)\n"
    fresh_wiki.edit_as_human(title, original)
    item = ReviewerItem(
        id="q-receipts", kind=ItemKind.REQUEST, text="Please send the receipts.", asked_by="R",
        asked_at=NOW - timedelta(days=30), section=("Questions",), anchor="Questions",
        status=ItemStatus.OPEN, answered_by=None, answered_at=None, answer_excerpt=None,
        answer_location=None, commitment=False, reason="no reply", start=0,
    )
    analysis = TalkAnalysis(title, "en", ("R",), ("Alice",), (item,), ())
    site = WikiSite(fresh_bot_site)
    writer = Writer(site)
    policy = rm.ReminderPolicy()
    decision = rm.decide(analysis, reminder_markers(site.current(title).text), policy, NOW)
    assert decision is not None
    heading, body, _ = rm.render(decision, title, "en", policy, NOW, site.user)
    out = writer.append_section(title, heading, body, "Reminder: 1 open item")
    assert out.kind is OutcomeKind.EDITED and out.revid
    text = site.current(title).text
    assert text.startswith(original.rstrip())
    assert f"== {heading} ==" in text and "[[User:GrantBot|GrantBot]]" in text  # signed
    # A crash before recording state: the next run reads the page and stays quiet.
    assert rm.decide(analysis, reminder_markers(text), policy, NOW + timedelta(hours=1)) is None


def test_dead_server_is_wiki_unavailable(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    site = WikiSite(fresh_bot_site)
    fresh_wiki.stop()
    with pytest.raises(WikiUnavailableError):
        site.current(STATUS)


def test_connect_and_batched_reads(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    from bots.changes import fetch_contributors, fetch_pages
    from bots.site import connect

    site = connect(family=fresh_wiki.family, user=fresh_wiki.bot_user)
    assert site.user == "GrantBot" and site.language == "en" and site.batch_size == 500
    assert site.timezone is not None
    titles = [f"Grants talk:Batch {n}" for n in range(5)]
    revids = {t: fresh_wiki.edit_as_human(t, f"text {t}") for t in titles}
    pages = fetch_pages(site, titles + ["Grants talk:Nowhere", "Grants_talk:Batch_0"])
    assert {t: pages[t].text for t in titles} == {t: f"text {t}" for t in titles}
    assert {t: pages[t].revid for t in titles} == revids
    assert not pages["Grants talk:Nowhere"].exists
    assert pages["Grants_talk:Batch_0"].revid == revids[titles[0]]
    assert fetch_contributors(site, titles[:2]) == {t: (fresh_wiki.human_user,) for t in titles[:2]}
    assert site.max_page_bytes == 2 * 1024 * 1024 and site.namespace_name(201) == "Grants talk"
    history = site.revisions(titles[0])
    assert [(r.revid, r.user) for r in history] == [(revids[titles[0]], fresh_wiki.human_user)]
