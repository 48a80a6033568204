"""Leases: at most one process works on a grant (or runs a sweep) at a time.

A scheduled sweep, a manual ``grantbot run`` and a run asked for on the wiki
may all start at once, from different processes, on Toolforge even in
different pods on different machines.  Without coordination two of them
would post the same reminder twice.  A lease is a row in the state
database's ``leases`` table, keyed by name; taking it is atomic because it
relies only on the primary key and on a conditional UPDATE:

1. ``INSERT`` the row: succeeds only if nobody holds or ever held the lease;
2. otherwise ``UPDATE ... WHERE name = ? AND expires_at <= now``: succeeds
   only for one contender, since the database re-checks the condition on
   the latest row version (PostgreSQL, MariaDB) or serialises writers (SQLite).

A lease is never re-entrant, not even for the same holder string: callers
pass labels such as "scheduler" that several processes share, so
:meth:`Leases.hold` makes the stored holder unique per call (label, host,
pid, random suffix) and only ``renew`` extends a lease.

Time is the database server's (:func:`jobs.state.database_now`) unless a
caller passes ``now``: every machine sharing the database then agrees on
when a lease expires, whatever its own clock says.  Leases expire (``ttl``)
so a crashed process cannot block everyone for long; while a run is alive a
:class:`Heartbeat` thread renews its leases every fraction of the ttl, so
the ttl can be short: a holder whose heartbeat lapsed (a pod that died,
on any machine) loses its leases one ttl later.  A holder on this host whose
process no longer exists is known dead at once (no need to wait).

A sweep takes the leases of all its grants at once: :meth:`Leases.hold_many`
and :meth:`Leases.release_many` do that in one transaction each, a few
statements per :data:`BULK_CHUNK` names rather than a few per name.  It
takes them through its own held lease (:meth:`HeldLease.hold_many`): same
holder, database time, renewed by the same heartbeat.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError

from bots.errors import LeaseBusyError
from jobs.holders import default_holder, holder_is_dead
from jobs.lease_heartbeat import Heartbeat
from jobs.state.engine import database_now
from jobs.state.models import Lease

Clock = Callable[[], datetime]
BULK_CHUNK = 500  # names per statement: far below every backend's parameter limit
DEADLOCK_RETRIES = 3
HEARTBEATS_PER_TTL = 4  # a lease survives three missed heartbeats


def _check_ttl(ttl: timedelta) -> None:
    if ttl <= timedelta(0):
        raise ValueError("ttl must be positive")


def _now(conn: Connection, now: datetime | None) -> datetime:
    return database_now(conn) if now is None else now


def _chunks(names: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(names), BULK_CHUNK):
        yield names[start : start + BULK_CHUNK]


def _is_deadlock(exc: DBAPIError) -> bool:
    """PostgreSQL (40P01) and MariaDB (1213 deadlock, 1205 lock wait timeout)
    pick a victim when two bulk takers lock overlapping rows; it may retry."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == "40P01":
        return True
    args = getattr(orig, "args", ())
    return bool(args) and args[0] in (1213, 1205)


def _insert_missing(conn: Connection, rows: list[dict[str, object]]) -> None:
    """INSERT rows, silently skipping names another process inserted first
    (a duplicate key must not abort the bulk transaction)."""
    table = Lease.__table__
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.execute(postgresql.insert(table).on_conflict_do_nothing(), rows)
    elif dialect == "sqlite":
        conn.execute(sqlite.insert(table).on_conflict_do_nothing(), rows)
    elif dialect in ("mysql", "mariadb"):
        stmt = mysql.insert(table)
        conn.execute(stmt.on_duplicate_key_update(name=stmt.inserted.name), rows)
    else:
        for row in rows:  # other backends: one savepoint per row
            try:
                with conn.begin_nested():
                    conn.execute(insert(table).values(**row))
            except IntegrityError:
                pass


@dataclass(frozen=True)
class LeaseInfo:
    name: str
    holder: str
    acquired_at: datetime
    expires_at: datetime


class Leases:
    """The lease table of one state database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def acquire(
        self, name: str, holder: str, ttl: timedelta, now: datetime | None = None
    ) -> bool:
        """Take the lease ``name`` if it is free or expired (never re-entrant).
        ``now`` defaults to the database's clock."""
        _check_ttl(ttl)
        table = Lease.__table__
        for _attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    at = _now(conn, now)
                    conn.execute(
                        insert(table).values(
                            name=name, holder=holder, acquired_at=at, expires_at=at + ttl
                        )
                    )
                return True
            except IntegrityError:
                pass  # somebody has (or had) it: try to take it over below
            with self.engine.begin() as conn:
                at = _now(conn, now)
                taken = conn.execute(select(table.c.holder).where(table.c.name == name)).first()
                free = table.c.expires_at <= at
                if taken is not None and holder_is_dead(taken.holder):
                    free = free | (table.c.holder == taken.holder)
                result = conn.execute(
                    update(table)
                    .where(table.c.name == name, free)
                    .values(holder=holder, acquired_at=at, expires_at=at + ttl)
                )
                if result.rowcount == 1:
                    return True
                still_there = conn.execute(
                    select(table.c.name).where(table.c.name == name)
                ).first()
            if still_there is not None:
                return False
            # released between our INSERT and UPDATE: try inserting again
        return False

    def hold_many(
        self, names: Iterable[str], holder: str, ttl: timedelta, now: datetime | None = None
    ) -> set[str]:
        """Take every lease in ``names`` that is free, expired or held by a
        dead local process, in one transaction; returns the names obtained.

        Like :meth:`acquire`, never re-entrant: a name ``holder`` already
        holds (unexpired) is not in the result.  Names are handled in sorted
        order so two bulk takers lock rows in the same order.  ``now``
        defaults to the database's clock; keep the leases with
        ``with leases.heartbeat(holder, ttl):`` around the work.
        """
        _check_ttl(ttl)
        wanted = sorted(set(names))
        for attempt in range(DEADLOCK_RETRIES):
            try:
                with self.engine.begin() as conn:
                    at = _now(conn, now)
                    obtained: set[str] = set()
                    for chunk in _chunks(wanted):
                        obtained |= self._take_chunk(conn, chunk, holder, at, at + ttl)
                    return obtained
            except DBAPIError as exc:
                if attempt + 1 == DEADLOCK_RETRIES or not _is_deadlock(exc):
                    raise
        raise AssertionError("unreachable")

    def _take_chunk(
        self, conn: Connection, names: list[str], holder: str, now: datetime, expires: datetime
    ) -> set[str]:
        table = Lease.__table__
        existing = {
            row.name: row
            for row in conn.execute(
                select(table.c.name, table.c.holder, table.c.expires_at).where(
                    table.c.name.in_(names)
                )
            )
        }
        ours_before = {
            n for n, row in existing.items() if row.holder == holder and row.expires_at > now
        }
        missing = [n for n in names if n not in existing]
        if missing:
            _insert_missing(conn, [
                {"name": n, "holder": holder, "acquired_at": now, "expires_at": expires}
                for n in missing
            ])
        dead = sorted({row.holder for row in existing.values() if holder_is_dead(row.holder)})
        stale = [n for n, row in existing.items() if n not in ours_before]
        if stale:
            free = table.c.expires_at <= now
            if dead:
                free = free | table.c.holder.in_(dead)
            conn.execute(
                update(table)
                .where(table.c.name.in_(stale), free)
                .values(holder=holder, acquired_at=now, expires_at=expires)
            )
        candidates = missing + stale
        if not candidates:
            return set()
        ours = conn.execute(
            select(table.c.name).where(table.c.name.in_(candidates), table.c.holder == holder)
        )
        return {row.name for row in ours}

    def release_many(self, names: Iterable[str], holder: str) -> int:
        """Give up every lease in ``names`` that ``holder`` holds, in one
        transaction; returns how many were released."""
        table = Lease.__table__
        released = 0
        with self.engine.begin() as conn:
            for chunk in _chunks(sorted(set(names))):
                result = conn.execute(
                    delete(table).where(table.c.name.in_(chunk), table.c.holder == holder)
                )
                released += result.rowcount
        return released

    def renew(
        self, name: str, holder: str, ttl: timedelta, now: datetime | None = None
    ) -> bool:
        """Push the expiry forward; False means the lease was lost (it expired
        and someone else took it, or it was released)."""
        table = Lease.__table__
        with self.engine.begin() as conn:
            result = conn.execute(
                update(table)
                .where(table.c.name == name, table.c.holder == holder)
                .values(expires_at=_now(conn, now) + ttl)
            )
            return result.rowcount == 1

    def renew_all(self, holder: str, ttl: timedelta, now: datetime | None = None) -> int:
        """Push forward every lease ``holder`` has (one statement): a heartbeat."""
        table = Lease.__table__
        with self.engine.begin() as conn:
            result = conn.execute(
                update(table).where(table.c.holder == holder).values(
                    expires_at=_now(conn, now) + ttl
                )
            )
            return result.rowcount

    def heartbeat(
        self, holder: str, ttl: timedelta, interval: float | None = None
    ) -> Heartbeat:
        """A :class:`Heartbeat` renewing ``holder``'s leases for a ``with`` block."""
        seconds = ttl.total_seconds() / HEARTBEATS_PER_TTL if interval is None else interval
        return Heartbeat(self, holder, ttl, seconds)

    def database_time(self) -> datetime:
        with self.engine.connect() as conn:
            return database_now(conn)

    def release(self, name: str, holder: str) -> bool:
        """Give the lease up; only its holder can.  False if not held by us."""
        table = Lease.__table__
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(table).where(table.c.name == name, table.c.holder == holder)
            )
            return result.rowcount == 1

    def current(self, name: str, now: datetime | None = None) -> LeaseInfo | None:
        """Who holds ``name`` (an expired lease counts as free when ``now`` is given)."""
        table = Lease.__table__
        with self.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.name == name)).first()
        if row is None:
            return None
        info = LeaseInfo(row.name, row.holder, row.acquired_at, row.expires_at)
        if now is not None and info.expires_at <= now:
            return None
        return info

    @contextmanager
    def hold(
        self,
        name: str,
        holder: str | None = None,
        ttl: timedelta = timedelta(minutes=30),
        *,
        wait: float = 0.0,
        poll: float = 0.2,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> Iterator[HeldLease]:
        """Hold ``name`` for the ``with`` block, waiting up to ``wait`` seconds.

        ``holder`` is a label ("scheduler", "manual"); the lease is stored
        under :func:`default_holder` of it, so two processes using the same
        label still exclude each other.  Raises :class:`LeaseBusyError`
        naming the holder when the lease stays busy.  Time is the database's
        unless a ``clock`` is given; with the database's, a heartbeat keeps
        the lease while the block runs.
        """
        holder = default_holder(holder or "grantbot")
        deadline = time.monotonic() + wait
        while not self.acquire(name, holder, ttl, clock() if clock else None):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LeaseBusyError(self._busy_message(name, clock))
            sleep(min(poll, remaining))
        try:
            if clock is None:
                with self.heartbeat(holder, ttl):
                    yield HeldLease(self, name, holder, ttl, clock)
            else:
                yield HeldLease(self, name, holder, ttl, clock)
        finally:
            self.release(name, holder)

    def _busy_message(self, name: str, clock: Clock | None) -> str:
        now = clock() if clock else self.database_time()
        info = self.current(name)
        if info is None:  # released just now; rare, but say something true
            return f"lease {name!r} was busy; try again"
        left = max(0, int((info.expires_at - now).total_seconds()))
        return (
            f"lease {name!r} is held by {info.holder} since "
            f"{info.acquired_at:%Y-%m-%d %H:%M:%S} UTC (expires in {left} s)"
        )


@dataclass(frozen=True)
class HeldLease:
    """What ``Leases.hold`` yields: renew it between grants during long runs."""

    leases: Leases
    name: str
    holder: str
    ttl: timedelta
    clock: Clock | None  # None: the database's clock

    def renew(self) -> bool:
        now = self.clock() if self.clock else None
        return self.leases.renew(self.name, self.holder, self.ttl, now)

    def ensure(self) -> None:
        """Renew, or raise :class:`LeaseBusyError` if the lease was lost."""
        if not self.renew():
            raise LeaseBusyError(f"lease {self.name!r} was lost by {self.holder}")

    def hold_many(self, names: Iterable[str]) -> set[str]:
        """Take more leases (a sweep's grants) under this lease's holder, ttl and
        clock: by the database's time they are renewed by the same heartbeat, so
        their ttl can be as short as this one's.  Returns the names obtained."""
        now = self.clock() if self.clock else None
        return self.leases.hold_many(names, self.holder, self.ttl, now)

    def release_many(self, names: Iterable[str]) -> int:
        return self.leases.release_many(names, self.holder)

