"""Faults between the bot and the wiki, injected by tests/faultproxy.py.

What must hold when the wiki misbehaves: a run against a wiki that goes
down ends with one clear GrantbotError and a consistent state (the run is
recorded as failed, no stored analysis claims a revision the bot did not
read), the next run completes; 503s and maxlag are retried with backoff
(pywikibot's own retries, kept short by the test pywikibot config) and
never double an edit, even when the failure comes after the wiki saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bots.errors import GrantbotError, WikiUnavailableError
from localwiki import LocalWiki
from faultproxy import FaultProxy, proxy_config_toml, proxy_family
from jobs.config import load_config
from jobs.context import RunContext, open_context
from jobs.sweep import sweep
from jobs.state import StateStore, open_state
from parsers.markers import reminder_markers
from wikipages import revisions, talk_pages, text_of

pytestmark = pytest.mark.wiki

STATUS = "User:GrantBot/Grant status"


@pytest.fixture
def proxy(seeded: LocalWiki, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:
    import pywikibot.config as pwb_config

    # connect_site points pywikibot at the configured password file: undo it afterwards.
    monkeypatch.setattr(pwb_config, "password_file", pwb_config.password_file)
    with FaultProxy(seeded.port) as running:
        yield running


def write_config(wiki: LocalWiki, proxy: FaultProxy, tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "grantbot.toml"
    state = f"sqlite:///{tmp_path / 'state.sqlite'}"
    path.write_text(proxy_config_toml(wiki, proxy_family(wiki, proxy), state, extra), encoding="utf-8")
    return path


def context(config: Path) -> RunContext:
    return open_context(load_config(config))


def bot_revisions(wiki: LocalWiki, title: str) -> list[dict[str, Any]]:
    return [r for r in revisions(wiki, title) if r.get("user") == wiki.bot_user]


def assert_one_edit_per_reminder(wiki: LocalWiki) -> int:
    """Every bot edit of a talk page is one reminder, and no item is reminded twice."""
    total = 0
    for title in talk_pages(wiki):
        markers = reminder_markers(text_of(wiki, title))
        ids = [item for marker in markers for item in marker.items]
        assert len(ids) == len(set(ids)), f"{title}: an item reminded twice: {markers}"
        assert len(bot_revisions(wiki, title)) == len(markers), f"{title}: {markers}"
        total += len(markers)
    return total


def assert_analyses_are_of_real_revisions(wiki: LocalWiki, store: StateStore) -> None:
    """An analysis is stored only with the revision it was made from, and
    that revision is one the page really has."""
    session = wiki.api_session("human")
    for title, record in store.pages_seen().items():
        if record.analysis_revid is None:
            continue
        assert record.analysis_revid == record.last_revid, (title, record)
        data = session.call(action="query", prop="revisions", revids=str(record.analysis_revid),
                            rvprop="ids")
        page = data["query"]["pages"][0]
        assert page["title"] == title, (title, page)


@pytest.mark.slow
@pytest.mark.parametrize("after", [3, 12])
def test_wiki_down_mid_run_fails_cleanly_then_recovers(
    seeded: LocalWiki, proxy: FaultProxy, tmp_path: Path, after: int
) -> None:
    config = write_config(seeded, proxy, tmp_path)
    ctx = context(config)  # logged in through the proxy
    proxy.set("drop", skip=after)
    with pytest.raises(GrantbotError) as err:
        sweep(ctx)
    message = str(err.value)
    assert isinstance(err.value, WikiUnavailableError), message
    assert "\n" not in message and len(message) < 300
    runs = ctx.state.recent_runs(1)
    assert runs[0].outcome == "failed" and runs[0].finished_at is not None
    assert_analyses_are_of_real_revisions(seeded, ctx.state)
    ctx.state.close()

    proxy.set()  # the wiki is back
    again = context(config)
    summary = sweep(again)
    assert summary.result == "ok", summary.lines()
    assert "<!-- grantbot:start -->" in text_of(seeded, STATUS)
    assert len(bot_revisions(seeded, STATUS)) == 1
    assert_analyses_are_of_real_revisions(seeded, again.state)
    assert assert_one_edit_per_reminder(seeded) >= 2
    assert sweep(again).edits == 0
    again.state.close()


def test_503_and_maxlag_on_reads_are_retried(
    seeded: LocalWiki, proxy: FaultProxy, tmp_path: Path
) -> None:
    ctx = context(write_config(seeded, proxy, tmp_path))
    proxy.set("503", action="query", skip=1, count=1)
    first = sweep(ctx)
    assert first.result == "ok" and proxy.injected == {"503": 1}
    seeded.edit_as_human("Grants talk:" + talk_pages(seeded)[0].split(":", 1)[1],
                         "== Late ==\nA note. [[User:Alice|Alice]] 10:00, 1 November 2026 (UTC)\n",
                         "note")
    proxy.set("maxlag", action="query", count=2)
    second = sweep(ctx)
    assert second.result == "ok" and proxy.injected["maxlag"] == 2
    assert second.fetched == 1
    assert_one_edit_per_reminder(seeded)
    ctx.state.close()


@pytest.mark.parametrize("mode", ["503", "maxlag"])
def test_failed_reminder_edit_is_never_doubled(
    seeded: LocalWiki, proxy: FaultProxy, tmp_path: Path, mode: str
) -> None:
    ctx = context(write_config(seeded, proxy, tmp_path))
    # 503: the wiki saved the reminder but the bot sees a failure.
    # maxlag: the wiki refused twice; pywikibot waits and resends.
    proxy.set(mode, action="edit", count=1 if mode == "503" else 2, after_forward=mode == "503")
    summary = sweep(ctx)
    assert summary.result == "ok", summary.lines()
    assert proxy.injected.get(mode) == (1 if mode == "503" else 2)
    reminders = assert_one_edit_per_reminder(seeded)
    assert reminders == summary.outcomes.reminders >= 2
    assert len(bot_revisions(seeded, STATUS)) == 1
    assert sweep(ctx).edits == 0
    assert assert_one_edit_per_reminder(seeded) == reminders
    ctx.state.close()


def test_status_page_saved_but_answered_503_is_not_doubled(
    seeded: LocalWiki, proxy: FaultProxy, tmp_path: Path
) -> None:
    ctx = context(write_config(seeded, proxy, tmp_path, "[reminders]\nenabled = false\n"))
    proxy.set("503", action="edit", count=1, after_forward=True)
    summary = sweep(ctx)
    assert proxy.injected == {"503": 1}
    assert summary.result == "ok", summary.lines()
    assert len(bot_revisions(seeded, STATUS)) == 1
    assert "<!-- grantbot:start -->" in text_of(seeded, STATUS)
    assert sweep(ctx).edits == 0
    ctx.state.close()


def test_slow_wiki_still_completes(seeded: LocalWiki, proxy: FaultProxy, tmp_path: Path) -> None:
    ctx = context(write_config(seeded, proxy, tmp_path))
    proxy.set("delay", delay=0.3, count=5)
    summary = sweep(ctx)
    assert summary.result == "ok" and proxy.injected == {"delay": 5}
    ctx.state.close()


def test_state_survives_reopening_after_failure(
    seeded: LocalWiki, proxy: FaultProxy, tmp_path: Path
) -> None:
    """A run killed by a dead wiki leaves a database the next process opens as is."""
    config = write_config(seeded, proxy, tmp_path)
    ctx = context(config)
    proxy.set("drop")
    with pytest.raises(WikiUnavailableError):
        sweep(ctx)
    ctx.state.close()
    store = open_state(load_config(config).state.resolved_url())
    assert [r.outcome for r in store.recent_runs(5)] == ["failed"]
    store.close()

