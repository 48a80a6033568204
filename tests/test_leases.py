"""Leases on SQLite and PostgreSQL, including two processes contending."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bots.errors import LeaseBusyError
from jobs.leases import Leases
from jobs.state import StateStore, open_state

T0 = datetime(2031, 1, 1, 12, 0, tzinfo=timezone.utc)
TTL = timedelta(minutes=5)


@pytest.fixture
def store(state_url: str) -> Iterator[StateStore]:
    s = open_state(state_url)
    yield s
    s.close()


@pytest.fixture
def leases(store: StateStore) -> Leases:
    return Leases(store.engine)


def test_acquire_is_exclusive_until_expiry(leases: Leases) -> None:
    assert leases.acquire("grant:A", "one", TTL, T0)
    assert not leases.acquire("grant:A", "two", TTL, T0 + timedelta(minutes=1))
    assert leases.acquire("grant:B", "two", TTL, T0)  # other names are independent
    info = leases.current("grant:A")
    assert info is not None and info.holder == "one" and info.expires_at == T0 + TTL
    # expired: somebody else may take it over, and the old holder has lost it
    assert leases.acquire("grant:A", "two", TTL, T0 + TTL)
    assert leases.current("grant:A").holder == "two"  # type: ignore[union-attr]
    assert not leases.renew("grant:A", "one", TTL, T0 + TTL)
    assert not leases.release("grant:A", "one")
    assert leases.current("grant:A").holder == "two"  # type: ignore[union-attr]


def test_reacquire_renew_release(leases: Leases) -> None:
    assert leases.acquire("sweep", "me", TTL, T0)
    # not re-entrant: a label shared by two processes must not let both in
    assert not leases.acquire("sweep", "me", TTL, T0 + timedelta(minutes=1))
    assert leases.renew("sweep", "me", TTL, T0 + timedelta(minutes=4))
    # renewed: still busy after the original expiry
    assert not leases.acquire("sweep", "you", TTL, T0 + timedelta(minutes=6))
    assert leases.current("sweep", T0 + timedelta(minutes=9)) is None  # expired by then
    assert leases.release("sweep", "me")
    assert leases.current("sweep") is None
    assert leases.acquire("sweep", "you", TTL, T0)
    with pytest.raises(ValueError):
        leases.acquire("x", "me", timedelta(0), T0)


def test_hold_raises_naming_the_holder(leases: Leases) -> None:
    now = datetime.now(timezone.utc)
    assert leases.acquire("grant:A", "host:123:abc", TTL, now)
    started = time.monotonic()
    with pytest.raises(LeaseBusyError, match=r"grant:A.*held by host:123:abc"):
        with leases.hold("grant:A", "other", TTL, wait=0.3, poll=0.05):
            pytest.fail("must not get here")
    assert 0.25 <= time.monotonic() - started < 5


def test_hold_waits_for_release_and_releases(leases: Leases) -> None:
    now = datetime.now(timezone.utc)
    assert leases.acquire("grant:A", "first", TTL, now)
    timer = threading.Timer(0.3, leases.release, ("grant:A", "first"))
    timer.start()
    try:
        with leases.hold("grant:A", "second", TTL, wait=10, poll=0.05) as held:
            assert leases.current("grant:A").holder == held.holder  # type: ignore[union-attr]
            assert held.renew()
            held.ensure()
    finally:
        timer.join()
    assert leases.current("grant:A") is None  # released on exit


def test_same_label_in_two_holds_still_excludes(leases: Leases) -> None:
    with leases.hold("grant:A", "scheduler", TTL) as first:
        assert first.holder.startswith("scheduler@")
        with pytest.raises(LeaseBusyError, match=r"held by scheduler@"):
            with leases.hold("grant:A", "scheduler", TTL, wait=0.1, poll=0.02):
                pytest.fail("must not get here")
        assert leases.current("grant:A").holder == first.holder  # type: ignore[union-attr]


def test_hold_releases_on_error(leases: Leases) -> None:
    with pytest.raises(RuntimeError):
        with leases.hold("grant:A", "me", TTL):
            raise RuntimeError("boom")
    assert leases.current("grant:A") is None


def test_lost_lease_detected(leases: Leases) -> None:
    ticks = iter([T0, T0 + TTL + timedelta(seconds=1)])
    with leases.hold("grant:A", "slow", TTL, clock=lambda: next(ticks)) as held:
        assert held.holder.startswith("slow@")
        assert leases.acquire("grant:A", "fast", TTL, T0 + TTL)  # it expired meanwhile
        with pytest.raises(LeaseBusyError, match="lost"):
            held.ensure()
    assert leases.current("grant:A").holder == "fast"  # type: ignore[union-attr]


def _contend(url: str, counter: str, log: str, rounds: int, barrier: object) -> None:
    """Child process: read-modify-write a counter file under the lease."""
    store = open_state(url)
    leases = Leases(store.engine)
    barrier.wait()  # type: ignore[attr-defined]
    for _ in range(rounds):
        # the same label in both processes, as the runner does
        with leases.hold("grant:shared", "scheduler", timedelta(seconds=60), wait=60,
                         poll=0.01) as held:
            with open(log, "a") as fh:
                fh.write(f"enter {held.holder}\n")
            value = int(Path(counter).read_text())
            time.sleep(0.005)  # widen the window a lost update would need
            Path(counter).write_text(str(value + 1))
            with open(log, "a") as fh:
                fh.write(f"exit {held.holder}\n")
    store.close()


def test_two_processes_never_overlap(state_url: str, tmp_path: Path) -> None:
    open_state(state_url).close()  # schema first, so children only contend on the lease
    counter, log = tmp_path / "counter", tmp_path / "log"
    counter.write_text("0")
    log.write_text("")
    rounds = 15
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    procs = [
        ctx.Process(target=_contend, args=(state_url, str(counter), str(log), rounds, barrier))
        for _ in range(2)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    assert int(counter.read_text()) == 2 * rounds  # no lost update
    lines = log.read_text().splitlines()
    assert len(lines) == 4 * rounds
    holders = set()
    for enter, leave in zip(lines[::2], lines[1::2]):
        assert enter.startswith("enter ") and leave == "exit " + enter[len("enter "):]
        holders.add(enter)
    assert len({h.split(":")[1] for h in holders}) == 2  # both processes got their turns
