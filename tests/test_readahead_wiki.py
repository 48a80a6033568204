"""The sweep reads the next batch (pages, then talk-page histories) while it
analyses this one, and stays polite.

Batches of four grants make the 13 sample grants four batches, so the reader
thread reads three batches ahead of the analysis.  Its requests are slowed
down on purpose: a request the sweep's own thread sends meanwhile (a history
walk, a contributors query) would then overlap it if the site's ``serial``
lock did not hold it back.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from jobs import sweep as sweep_stage
from jobs.config import load_config
from jobs.context import open_context
from jobs.state.models import Lease
from localwiki import LocalWiki
from wikipages import local_config

pytestmark = pytest.mark.wiki
READER = "grantbot-read"


class Requests:
    """Every HTTP request the process sends: which thread sent it, and how many
    were in flight at once (the reader's held for a while, to give others a chance)."""

    def __init__(self, send: Callable[..., Any]) -> None:
        self.send, self.lock = send, threading.Lock()
        self.in_flight = self.most = 0
        self.threads: list[str] = []
        self.walks: list[str] = []  # the threads that read histories by revision id

    def __call__(self, session: requests.Session, *args: Any, **kwargs: Any) -> Any:
        name = threading.current_thread().name
        body = str(getattr(args[0], "body", "") if args else "")
        with self.lock:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            self.threads.append(name)
            if "revids=" in body:
                self.walks.append(name)
        try:
            if name.startswith(READER):
                time.sleep(0.2)
            return self.send(session, *args, **kwargs)
        finally:
            with self.lock:
                self.in_flight -= 1


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Requests:
    recorder = Requests(requests.Session.send)
    monkeypatch.setattr(requests.Session, "send", lambda session, *a, **k: recorder(session, *a, **k))
    monkeypatch.setattr(sweep_stage, "BATCH", 4)
    return recorder


def _grant_leases(ctx: Any) -> list[str]:
    with ctx.state.engine.connect() as conn:
        return [n for (n,) in conn.execute(select(Lease.name)) if n.startswith("grant:")]


def test_next_batches_are_read_ahead_one_request_at_a_time(seeded: LocalWiki, tmp_path: Path,
                                                          sent: Requests) -> None:
    ctx = open_context(load_config(local_config(seeded, tmp_path)))
    summary = sweep_stage.sweep(ctx)
    assert summary.result == "ok" and summary.fetched == 13, summary.lines()
    assert sent.threads.count(f"{READER}_0") >= 4  # each batch's pages, read by the reader
    assert sent.walks and set(sent.walks) == {f"{READER}_0"}, sent.walks  # and their histories
    assert sent.most == 1, "two requests were in flight at once"
    assert _grant_leases(ctx) == []
    ctx.state.close()


def test_a_stopped_sweep_gives_back_the_batch_it_read_ahead(seeded: LocalWiki, tmp_path: Path,
                                                            sent: Requests) -> None:
    batches: list[int] = []
    ctx = open_context(load_config(local_config(seeded, tmp_path)), should_stop=lambda: bool(batches))
    summary = sweep_stage.sweep(ctx, progress=lambda stage, done, total: batches.append(done))
    assert summary.stopped and summary.fetched == 4, summary.lines()
    assert _grant_leases(ctx) == []  # the next batch's leases were taken, and given back
    ctx.state.close()


def test_a_grant_another_run_holds_is_skipped_and_read_by_the_next_sweep(seeded: LocalWiki, tmp_path: Path,
                                                                        sent: Requests) -> None:
    listed = seeded.api_session("human").call(action="query", list="allpages", apnamespace="200", aplimit="max")
    report = next(p["title"] for p in listed["query"]["allpages"] if p["title"].endswith("/Report"))
    config = load_config(local_config(seeded, tmp_path))
    ctx = open_context(config)
    assert ctx.leases.acquire(sweep_stage.grant_lease(report), "a manual run", timedelta(minutes=5))
    first = sweep_stage.sweep(ctx)
    assert first.fetched == 12 and any(s.startswith(report) for s in first.skipped), first.lines()
    ctx.leases.release(sweep_stage.grant_lease(report), "a manual run")
    ctx.state.close()
    again = open_context(config)
    second = sweep_stage.sweep(again)  # nothing changed on the wiki: only the skipped grant is read
    assert second.fetched == 1, second.lines()
    again.state.close()
