"""Leases on SQLite and PostgreSQL, including two processes contending."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bots.errors import LeaseBusyError
from jobs.leases import Leases
from jobs.state import StateStore, database_now, make_engine, open_state

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


def test_hold_many_takes_free_and_expired_only(leases: Leases) -> None:
    assert leases.acquire("grant:busy", "other", TTL, T0)
    assert leases.acquire("grant:old", "other", TTL, T0 - TTL)  # expired at T0
    assert leases.acquire("grant:mine", "me", TTL, T0)
    names = ["grant:busy", "grant:old", "grant:mine", "grant:new1", "grant:new2", "grant:new1"]
    got = leases.hold_many(names, "me", TTL, T0)
    # busy elsewhere: no; already ours: not re-entrant; expired and unknown: yes
    assert got == {"grant:old", "grant:new1", "grant:new2"}
    assert leases.current("grant:busy").holder == "other"  # type: ignore[union-attr]
    for name in got:
        info = leases.current(name)
        assert info is not None and info.holder == "me" and info.expires_at == T0 + TTL
    assert leases.hold_many([], "me", TTL, T0) == set()
    with pytest.raises(ValueError):
        leases.hold_many(["x"], "me", timedelta(0), T0)


def test_release_many_releases_only_our_own(leases: Leases) -> None:
    assert leases.hold_many(["a", "b", "c"], "me", TTL, T0) == {"a", "b", "c"}
    assert leases.acquire("d", "other", TTL, T0)
    assert leases.release_many(["a", "b", "d", "nothing"], "me") == 2
    assert leases.current("a") is None and leases.current("b") is None
    assert leases.current("c").holder == "me"  # type: ignore[union-attr]
    assert leases.current("d").holder == "other"  # type: ignore[union-attr]
    assert leases.release_many([], "me") == 0


def test_hold_many_in_chunks(leases: Leases) -> None:
    names = [f"grant:{i:04d}" for i in range(1234)]  # more than two chunks
    assert leases.hold_many(names[:700], "first", TTL, T0) == set(names[:700])
    second = leases.hold_many(names, "second", TTL, T0)
    assert second == set(names[700:])
    assert leases.release_many(names, "first") == 700
    assert leases.hold_many(names, "second", TTL, T0) == set(names[:700])


def _bulk_contend(url: str, names: list[str], out: str, barrier: object) -> None:
    """Child process: take a shuffled overlapping set of leases in bulk."""
    store = open_state(url)
    leases = Leases(store.engine)
    barrier.wait()  # type: ignore[attr-defined]
    now = datetime.now(timezone.utc)
    got = leases.hold_many(names, f"bulk@elsewhere:{os.getpid()}", TTL, now)
    Path(out).write_text("\n".join(sorted(got)))
    store.close()


def test_two_processes_bulk_take_disjoint_sets(state_url: str, tmp_path: Path) -> None:
    open_state(state_url).close()
    names = [f"grant:{i:03d}" for i in range(600)]
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    outs = [tmp_path / "one", tmp_path / "two"]
    procs = [
        ctx.Process(target=_bulk_contend, args=(state_url, names, str(out), barrier))
        for out in outs
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    one, two = (set(filter(None, out.read_text().splitlines())) for out in outs)
    assert not one & two  # never both
    assert one | two == set(names)  # and nothing left behind


def test_database_clock_is_the_servers(state_url: str) -> None:
    engine = make_engine(state_url)
    try:
        with engine.connect() as conn:
            now = database_now(conn)
        assert now.tzinfo is not None
        assert abs(now - datetime.now(timezone.utc)) < timedelta(minutes=5)
    finally:
        engine.dispose()


def test_without_now_leases_expire_by_database_time(leases: Leases) -> None:
    db = leases.database_time()
    assert leases.acquire("sweep", "slow-clock", TTL, now=db - 2 * TTL)  # a clock 10 min slow
    assert leases.acquire("sweep", "honest", TTL)  # already expired by the database's clock
    info = leases.current("sweep")
    assert info is not None and info.holder == "honest"
    assert abs(info.expires_at - (db + TTL)) < timedelta(minutes=1)
    assert not leases.acquire("sweep", "third", TTL)  # and not expired by it yet


def test_renew_all_renews_one_holders_leases(leases: Leases) -> None:
    assert leases.hold_many(["a", "b"], "me", TTL, T0) == {"a", "b"}
    assert leases.acquire("c", "other", TTL, T0)
    assert leases.renew_all("me", TTL, T0 + timedelta(minutes=4)) == 2
    assert leases.current("a").expires_at == T0 + timedelta(minutes=9)  # type: ignore[union-attr]
    assert leases.current("c").expires_at == T0 + TTL  # type: ignore[union-attr]


BEAT_TTL = timedelta(seconds=3)  # beats every 0.2 s: starving it that long would take a lot


def _hold_on_another_host(url: str, holder: str, ready: object) -> None:
    """Child process: hold 'sweep' as a process on another machine would
    (another host name in its holder label) and keep its heartbeat going
    until it is killed."""
    store = open_state(url)
    leases = Leases(store.engine)
    assert leases.acquire("sweep", holder, BEAT_TTL)
    with leases.heartbeat(holder, BEAT_TTL, interval=0.2):
        ready.set()  # type: ignore[attr-defined]
        time.sleep(600)


def test_lapsed_heartbeat_on_another_host_is_taken_over(state_url: str) -> None:
    open_state(state_url).close()
    ctx = multiprocessing.get_context("fork")
    ready, holder_box = ctx.Event(), ctx.Queue()
    # the label names the child's real pid, on a host that is not this one:
    # the local dead-process shortcut must not apply to it
    child = ctx.Process(target=_remote_holder, args=(state_url, ready, holder_box))
    store = open_state(state_url)
    leases = Leases(store.engine)
    try:
        child.start()
        assert ready.wait(30)
        holder = holder_box.get(timeout=5)
        # alive and beating: never taken over, for well past its ttl
        deadline = time.monotonic() + 2 * BEAT_TTL.total_seconds()
        while time.monotonic() < deadline:
            assert not leases.acquire("sweep", "contender", BEAT_TTL)
            time.sleep(0.1)
        assert leases.current("sweep").holder == holder  # type: ignore[union-attr]
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join(10)
        killed_at = time.monotonic()
        # gone, but on "another host": only the lapse of its heartbeat frees it
        assert not leases.acquire("sweep", "contender", BEAT_TTL)
        while not leases.acquire("sweep", "contender", BEAT_TTL):
            assert time.monotonic() - killed_at < 10 * BEAT_TTL.total_seconds()
            time.sleep(0.1)
        assert time.monotonic() - killed_at >= 0.5 * BEAT_TTL.total_seconds()
        assert leases.current("sweep").holder == "contender"  # type: ignore[union-attr]
    finally:
        if child.is_alive():
            child.kill()
        store.close()


def _remote_holder(url: str, ready: object, holder_box: object) -> None:
    holder = f"scheduler@pod-elsewhere.example:{os.getpid()}:beefcafe"
    holder_box.put(holder)  # type: ignore[attr-defined]
    _hold_on_another_host(url, holder, ready)


def test_hold_keeps_its_lease_by_heartbeat(leases: Leases) -> None:
    short = timedelta(seconds=2)  # a beat every 0.5 s
    with leases.hold("sweep", "long-run", short) as held:
        time.sleep(4.5)  # well past the ttl: the heartbeat renewed it meanwhile
        assert not leases.acquire("sweep", "contender", short)
        held.ensure()
    assert leases.current("sweep") is None


def test_grant_leases_ride_on_the_held_lease(leases: Leases) -> None:
    """A sweep's grant leases: the sweep lease's holder, database time, its heartbeat."""
    short = timedelta(seconds=2)  # a beat every 0.5 s
    db = leases.database_time()
    with leases.hold("sweep", "scheduler", short) as held:
        assert held.hold_many(["grant:A", "grant:B"]) == {"grant:A", "grant:B"}
        info = leases.current("grant:A")
        assert info is not None and info.holder == held.holder
        assert abs(info.expires_at - (db + short)) < timedelta(minutes=1)  # the database's clock
        time.sleep(4.5)  # well past the ttl: the sweep's heartbeat renewed them too
        assert leases.hold_many(["grant:A", "grant:B"], "contender", short) == set()
        assert held.hold_many(["grant:A"]) == set()  # never re-entrant
        assert held.release_many(["grant:A"]) == 1
        assert leases.acquire("grant:A", "contender", short)
    # The run is over (its heartbeat stopped): what it still held lapses one ttl later.
    assert not leases.acquire("grant:B", "contender", short)
    deadline = time.monotonic() + 10 * short.total_seconds()
    while not leases.acquire("grant:B", "contender", short):
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_grant_leases_of_a_clocked_hold_use_its_clock(leases: Leases) -> None:
    with leases.hold("sweep", "manual", TTL, clock=lambda: T0) as held:
        assert held.hold_many(["grant:C"]) == {"grant:C"}
        assert leases.current("grant:C").expires_at == T0 + TTL  # type: ignore[union-attr]
