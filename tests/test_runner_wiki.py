"""End to end on a real local MediaWiki: sweeps, reminders, manual runs, requests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from localwiki import LocalWiki
from localwiki.seed.samples_en import INLINE, NOBOTS, OPTOUT, UNANSWERED
from publishing.outcomes import OutcomeKind
from jobs.config import load_config
from jobs.context import RunContext, open_context
from jobs.sweep import grant_lease, run_grant, sweep
from parsers.markers import reminder_markers
from wikipages import local_config, revisions, text_of

pytestmark = pytest.mark.wiki

STATUS = "User:GrantBot/Grant status"


def context(config: Path, now: datetime | None = None) -> RunContext:
    kwargs: dict[str, Any] = {"now": (lambda: now)} if now else {}
    return open_context(load_config(config), **kwargs)


@pytest.fixture
def config(seeded: LocalWiki, tmp_path: Path) -> Iterator[Path]:
    yield local_config(seeded, tmp_path)


def test_first_sweep_posts_then_a_second_makes_no_edit(seeded: LocalWiki, config: Path) -> None:
    nobots_before = len(revisions(seeded, f"Grants talk:{NOBOTS}"))
    optout_before = len(revisions(seeded, f"Grants talk:{OPTOUT}"))
    first = sweep(context(config))
    assert first.result == "ok" and first.grants == 13 and first.fetched == 13
    assert first.outcomes.reminders >= 2
    table = text_of(seeded, STATUS)
    assert "<!-- grantbot:start -->" in table and "wikitable sortable" in table
    assert f"Grants talk:{UNANSWERED}" in table.replace("&#", "")or UNANSWERED.split("/")[2] in table
    reminded = text_of(seeded, f"Grants talk:{UNANSWERED}")
    assert len(reminder_markers(reminded)) == 1
    # Pages that opted out were never edited.
    assert len(revisions(seeded, f"Grants talk:{NOBOTS}")) == nobots_before
    assert len(revisions(seeded, f"Grants talk:{OPTOUT}")) == optout_before

    second = sweep(context(config))
    assert second.edits == 0, [o.describe() for o in second.outcomes.edits]
    assert second.fetched == 0
    third = sweep(context(config))
    assert third.edits == 0 and third.requests <= 3


def test_human_edit_refetches_only_that_grant(seeded: LocalWiki, config: Path) -> None:
    sweep(context(config))
    talk = f"Grants talk:{INLINE}"
    seeded.edit_as_human(talk, text_of(seeded, talk) + "\n== New thread ==\nA note. "
                         "[[User:Alice|Alice]] 10:00, 1 November 2026 (UTC)\n", "note")
    after = sweep(context(config))
    assert after.fetched == 1
    assert all(o.title != talk for o in after.outcomes.edits if o.kind is OutcomeKind.EDITED)


def test_crash_after_posting_a_reminder_never_duplicates(
    seeded: LocalWiki, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobs.state import StateStore

    posted: list[str] = []

    def die(self: Any, grant: str, talk_page: str, *args: Any, **kwargs: Any) -> None:
        posted.append(talk_page)
        raise SystemExit("killed right after the reminder was saved")

    monkeypatch.setattr(StateStore, "record_reminder", die)
    with pytest.raises(SystemExit):
        sweep(context(config))
    monkeypatch.undo()
    talk = posted[0]
    assert len(reminder_markers(text_of(seeded, talk))) == 1
    again = sweep(context(config))
    assert again.result == "ok"
    assert len(reminder_markers(text_of(seeded, talk))) == 1
    # Even a fortnight later the per-item cap and interval come from the page.
    later = datetime.now(timezone.utc) + timedelta(days=15)
    sweep(context(config, now=later))
    sweep(context(config, now=later + timedelta(days=15)))
    sweep(context(config, now=later + timedelta(days=30)))
    markers = reminder_markers(text_of(seeded, talk))
    assert len(markers) >= 2
    counts: dict[str, int] = {}
    for marker in markers:
        for item in marker.items:
            counts[item] = counts.get(item, 0) + 1
    assert max(counts.values()) == 2  # max_per_item = 2, never more


def test_shutoff_page_stops_every_edit(seeded: LocalWiki, config: Path) -> None:
    seeded.edit_as_human("User:GrantBot/Shutoff", "stop: testing", "stop the bot")
    result = sweep(context(config))
    assert result.result == "shut off" and result.edits == 0
    assert revisions(seeded, STATUS) == []


def test_manual_run_waits_for_a_grant_held_by_another_run(seeded: LocalWiki, config: Path) -> None:
    ctx = context(config)
    report = f"Grants:{UNANSWERED}"
    now = datetime.now(timezone.utc)
    assert ctx.leases.acquire(grant_lease(report), "scheduler@elsewhere", timedelta(minutes=5), now)
    busy = run_grant(context(config), report)
    assert busy.result == "busy" and busy.edits == 0
    assert "scheduler@elsewhere" in busy.errors[0]
    ctx.leases.release(grant_lease(report), "scheduler@elsewhere")
    done = run_grant(context(config), report)
    assert done.result == "ok" and done.outcomes.reminders == 1
    assert len(reminder_markers(text_of(seeded, f"Grants talk:{UNANSWERED}"))) == 1


def test_run_requests_from_allowed_users_only(seeded: LocalWiki, tmp_path: Path) -> None:
    from jobs.requests import serve_requests

    config = local_config(seeded, tmp_path, '[requests]\nallowed_users = []\nallowed_groups = ["sysop"]\n')
    page = "User:GrantBot/Run"
    seeded.edit_as_human(page, f"Requests:\n* [[Grants:{UNANSWERED}]]\n", "please run")
    ignored = serve_requests(context(config))
    assert ignored == []  # Alice is not a sysop
    assert f"* [[Grants:{UNANSWERED}]]" not in text_of(seeded, page)  # answered in the bot block
    assert "ignored requests from Alice" in _last_summary(seeded, page)

    config = local_config(seeded, tmp_path, '[requests]\nallowed_users = ["Alice"]\n')
    seeded.edit_as_human(page, text_of(seeded, page) + f"\n* [[Grants:{INLINE}]]\n", "again")
    served = serve_requests(context(config))
    assert [s.result for s in served] == ["ok"]
    assert "ran for Alice" in _last_summary(seeded, page)
    assert f"* [[Grants:{INLINE}]]" not in text_of(seeded, page)
    assert serve_requests(context(config)) == []  # handled once


def _last_summary(wiki: LocalWiki, title: str) -> str:
    data = wiki.api_session("human").call(
        action="query", prop="revisions", titles=title, rvprop="comment", rvlimit="1"
    )
    return str(data["query"]["pages"][0]["revisions"][0]["comment"])


def test_edit_limit_and_configured_prefixes_narrow_what_the_bot_touches(
    seeded: LocalWiki, tmp_path: Path
) -> None:
    limited = local_config(seeded, tmp_path, "[safety]\nmax_edits_per_run = 2\n")
    result = sweep(context(limited))
    assert result.edits == 2
    assert any("max_edits_per_run" in (o.reason or "") for o in result.outcomes.edits)

    narrow = local_config(
        seeded, tmp_path,
        '[safety]\nallowed_prefixes = ["User:GrantBot/Grant status"]\n'
        'max_edits_per_run = 0\n',
    )
    result = sweep(context(narrow))
    assert result.outcomes.reminders == 0
    assert any("allowed_prefixes" in e for e in result.errors)
    talk = f"Grants talk:{UNANSWERED}"
    assert reminder_markers(text_of(seeded, talk)) == ()


def test_details_as_sections_of_the_status_page(seeded: LocalWiki, tmp_path: Path) -> None:
    import re
    import urllib.parse

    config = local_config(seeded, tmp_path, '[status]\ndetail = "sections"\n')
    result = sweep(context(config))
    edited = [o.title for o in result.outcomes.edits if o.kind is OutcomeKind.EDITED]
    views = (STATUS + "/By reviewer", STATUS + "/By program")
    assert not any(t.startswith(STATUS + "/") and t not in views for t in edited)  # no detail subpages
    html = seeded.api_session("human").call(action="parse", page=STATUS, prop="text")["parse"]["text"]
    ids = set(re.findall(r'id="([^"]+)"', html))
    fragments = [urllib.parse.unquote(f) for f in re.findall(r'href="[^"#]*#(Open_items[^"]+)"', html)]
    assert fragments, "open-item counts link to their sections"
    for fragment in fragments:
        assert fragment in {urllib.parse.unquote(i) for i in ids}, fragment
