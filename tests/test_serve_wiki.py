"""`grantbot serve` for real: a one-minute schedule against the local wiki.

Slow by nature (APScheduler's cron has one-minute resolution), so it is
the one test that waits for the clock; it stays well inside CI's budget.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from localwiki import LocalWiki
from localwiki.seed import seed_wiki
from jobs.state import open_state
from parsers.markers import reminder_markers
from wikipages import talk_pages, text_of

pytestmark = [pytest.mark.wiki, pytest.mark.slow]


def start(config: Path, log: Path) -> subprocess.Popen[bytes]:
    grantbot = Path(sys.executable).with_name("grantbot")
    return subprocess.Popen(
        [str(grantbot), "serve", "--config", str(config)],
        stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def finished_sweeps(url: str) -> list:  # type: ignore[type-arg]
    store = open_state(url)
    try:
        return [r for r in store.recent_runs(50, kind="sweep") if r.finished_at is not None]
    finally:
        store.close()


def wait_for(predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(1)
    return False


def stop(proc: subprocess.Popen[bytes]) -> int:
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=60)


def test_serve_runs_every_minute_stops_cleanly_and_resumes(fresh_wiki: LocalWiki, tmp_path: Path) -> None:
    seed_wiki(fresh_wiki, datetime.now(timezone.utc).replace(microsecond=0))
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    config = tmp_path / "grantbot.toml"
    config.write_text(
        f'[wiki]\nlocal_dir = "{fresh_wiki.directory}"\n'
        '[schedule]\nsweep = "* * * * *"\nrequests = "* * * * *"\n'
        f'[state]\nurl = "{url}"\n'
    )
    log = tmp_path / "serve.log"
    proc = start(config, log)
    try:
        began = time.monotonic()
        assert wait_for(lambda: len(finished_sweeps(url)) >= 2, 170), log.read_text()
        assert time.monotonic() - began < 180
    finally:
        code = stop(proc)
    assert code == 0, log.read_text()
    runs = sorted(finished_sweeps(url), key=lambda r: r.started_at)
    assert all(r.outcome == "ok" for r in runs), [(r.outcome, r.errors) for r in runs]
    for earlier, later in zip(runs, runs[1:]):
        assert later.started_at >= earlier.finished_at  # never two sweeps at once
    assert runs[0].edits > 0 and runs[1].edits == 0

    # A restart picks up the stored schedule and state: no reminder is posted twice.
    before = len(runs)
    proc = start(config, log)
    try:
        assert wait_for(lambda: len(finished_sweeps(url)) > before, 90), log.read_text()
    finally:
        assert stop(proc) == 0
    for title in talk_pages(fresh_wiki):
        seen: set[str] = set()
        for marker in reminder_markers(text_of(fresh_wiki, title)):
            assert not seen & set(marker.items), f"item reminded twice on {title}"
            seen |= set(marker.items)
