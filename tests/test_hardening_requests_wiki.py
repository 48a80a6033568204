"""Run requests and grant targets attacked as ordinary wiki users would (issue 11, items 4 and 13).

Every test runs against a real local MediaWiki: people edit the run page
through the API, the bot serves it with ``serve_requests`` or the command
line, and the assertions read the wiki back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jobs.config import load_config
from jobs.context import RunContext, open_context
from jobs.requests import serve_requests
from jobs.state import open_state
from jobs.sweep import sweep
from localwiki import LocalWiki
from localwiki.seed.samples_en import INLINE, NUMBERED, PROMISE, RESPONSES, UNANSWERED, UNSIGNED
from wikipages import local_config, revisions, text_of

pytestmark = pytest.mark.wiki

RUN = "User:GrantBot/Run"
STATUS = "User:GrantBot/Grant status"
SHUTOFF = "User:GrantBot/Shutoff"
ALLOWED = '[requests]\nallowed_users = ["Alice"]\n'


def context(config: Path) -> RunContext:
    return open_context(load_config(config))


def bot_edits(wiki: LocalWiki) -> int:
    data = wiki.api_session("human").call(
        action="query", list="usercontribs", ucuser=wiki.bot_user, uclimit="max")
    return len(data["query"]["usercontribs"])


def request_runs(config: Path) -> int:
    store = open_state(load_config(config).state.url)
    try:
        return len([r for r in store.recent_runs(500) if r.kind == "request"])
    finally:
        store.close()


def grantbot(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("grantbot")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})


# ----------------------------------------------------------------- item 4: targets


def test_run_grant_refuses_what_is_not_a_grant_and_publishes_nothing(
        seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path)
    sweep(context(config))
    status_before = text_of(seeded, STATUS)
    for typo in ("Grants:Conference/Nobody/Missing Meetup 2026/Report", "Main Page",
                 "User:Alice/Notes"):
        result = grantbot("run", "--config", str(config), "--grant", typo)
        assert result.returncode == 2, (typo, result.stdout, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert typo in result.stderr
    assert text_of(seeded, STATUS) == status_before
    assert "Missing Meetup" not in text_of(seeded, STATUS + ".json")
    assert revisions(seeded, f"{STATUS}/Grants:Conference/Nobody/Missing Meetup 2026") == []


def test_a_grants_own_page_or_talk_page_names_its_report_never_a_new_row(
        seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path)
    sweep(context(config))
    base = "Grants:" + UNANSWERED.rsplit("/", 1)[0]
    detail = f"{STATUS}/{base}"
    before = text_of(seeded, detail)
    assert "No open items" not in before and before
    for title in (base, f"Grants talk:{UNANSWERED}", f"Grants:{UNANSWERED}/Budget"):
        result = grantbot("run", "--config", str(config), "--grant", title)
        assert result.returncode == 0, (title, result.stderr)
        assert "1 grants" in result.stdout
    after = text_of(seeded, detail)
    assert "No open items" not in after
    reports = [g["report"] for g in json.loads(text_of(seeded, STATUS + ".json"))["grants"]]
    assert len(reports) == 13 and reports.count(f"Grants:{UNANSWERED}") == 1
    status = grantbot("status", "--config", str(config), "--grant", f"Grants talk:{UNANSWERED}")
    assert status.returncode == 0, status.stderr


def test_status_grant_refuses_a_title_the_state_does_not_know(
        seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path)
    sweep(context(config))
    result = grantbot("status", "--config", str(config), "--grant", "Grants:No/Such/Report")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result
    assert "Grants:No/Such/Report" in result.stderr


def test_an_on_wiki_request_for_no_grant_is_answered_and_removed(
        seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path, ALLOWED)
    sweep(context(config))
    status_before = text_of(seeded, STATUS)
    seeded.edit_as_human(RUN, "Requests:\n* [[Grants:Typo/Nowhere/Report]]\n", "please")
    assert serve_requests(context(config)) == []
    page = text_of(seeded, RUN)
    assert "* [[Grants:Typo/Nowhere/Report]]" not in page
    assert "refused" in page and "does not exist" in page and "Grants:Typo/Nowhere/Report" in page
    assert text_of(seeded, STATUS) == status_before


# ---------------------------------------------------------------- item 13: requests


def test_a_request_posted_while_shut_off_waits_and_the_run_page_is_not_edited(
        seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path, ALLOWED)
    seeded.edit_as_human(SHUTOFF, "stop: maintenance", "stop")
    seeded.edit_as_human(RUN, f"Requests:\n* [[Grants:{INLINE}]]\n", "please run")
    run_revisions = len(revisions(seeded, RUN))
    assert serve_requests(context(config)) == []
    assert serve_requests(context(config)) == []
    assert len(revisions(seeded, RUN)) == run_revisions  # no edit while shut off
    assert f"[[Grants:{INLINE}]]" in text_of(seeded, RUN)
    seeded.edit_as_human(SHUTOFF, "run", "go")
    served = serve_requests(context(config))
    assert [s.result for s in served] == ["ok"]
    page = text_of(seeded, RUN)
    assert f"* [[Grants:{INLINE}]]" not in page and "done" in page


def test_more_than_fifty_edits_between_checks_lose_no_request(
        seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path, ALLOWED)
    seeded.edit_as_human(RUN, "Requests:\nnotes: 0\n", "start")
    assert serve_requests(context(config)) == []
    seeded.edit_as_human(RUN, f"Requests:\n* [[Grants:{INLINE}]]\nnotes: 0\n", "please run")
    for n in range(1, 56):
        seeded.edit_as_human(RUN, f"Requests:\n* [[Grants:{INLINE}]]\nnotes: {n}\n", "chatter")
    served = serve_requests(context(config))
    assert [s.result for s in served] == ["ok"]
    assert f"[[Grants:{INLINE}]]\n" not in text_of(seeded, RUN)


def test_only_the_handled_line_is_removed_and_instructions_stay(
        seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path, ALLOWED)
    example = f"* [[Grants:{INLINE}]]"
    intro = f"How to ask: add a line like this one\n<pre>\n{example}\n</pre>\n"
    seeded.edit_as_human(RUN, intro, "instructions")
    assert serve_requests(context(config)) == []
    seeded.edit_as_human(RUN, intro + example + "\n", "please run")
    served = serve_requests(context(config))
    assert [s.result for s in served] == ["ok"]
    page = text_of(seeded, RUN)
    assert page.startswith(intro), page
    assert page.count(example) == 1


def test_the_edit_cap_holds_for_a_whole_check_and_no_request_is_lost(
        seeded: LocalWiki, tmp_path: Path) -> None:
    cap = 6
    config = local_config(seeded, tmp_path, ALLOWED + f"[safety]\nmax_edits_per_run = {cap}\n")
    grants = (INLINE, UNANSWERED, RESPONSES, NUMBERED, PROMISE, UNSIGNED)
    lines = "".join(f"* [[Grants:{g}]]\n" for g in grants for _ in range(3))
    seeded.edit_as_human(RUN, "Requests:\n" + lines, "many requests")  # 6 requests (3 lines each)
    time.sleep(1.1)  # a later second: the same user asking again in the same second is one request
    seeded.edit_as_human(RUN, "Requests:\n" + lines + lines, "again")  # 6 more, by a later edit
    for _ in range(30):
        before = bot_edits(seeded)
        serve_requests(context(config))
        assert bot_edits(seeded) - before <= cap
        if "[[Grants:" not in text_of(seeded, RUN).split("<!-- grantbot:start -->")[0]:
            break
    page = text_of(seeded, RUN)
    assert page.count("asked by") == 12 and page.count(": done: run") == 12, page
    assert "[[Grants:" not in page.split("<!-- grantbot:start -->")[0]


def test_two_checks_at_once_run_a_request_once(seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path, ALLOWED)
    seeded.edit_as_human(RUN, f"Requests:\n* [[Grants:{INLINE}]]\n", "please run")
    code = f"from jobs.runner import check_requests; check_requests({str(config)!r})"
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert request_runs(config) == 1, outputs
    assert text_of(seeded, RUN).count("asked by") == 1


def test_served_requests_do_not_run_again_after_the_state_database_is_lost(
        seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path, ALLOWED)
    seeded.edit_as_human(RUN, f"Requests:\n* [[Grants:{INLINE}]]\n", "please run")
    assert [s.result for s in serve_requests(context(config))] == ["ok"]
    answered = text_of(seeded, RUN)
    for leftover in tmp_path.glob("state.sqlite*"):
        leftover.unlink()
    assert serve_requests(context(config)) == []
    assert request_runs(config) == 0
    assert text_of(seeded, RUN) == answered
