"""The heartbeat that keeps a live run's leases (see :mod:`jobs.leases`)."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Protocol


class Renewer(Protocol):
    """What a heartbeat needs of :class:`jobs.leases.Leases` (a protocol, so
    this module does not import the one that uses it)."""

    def renew_all(self, holder: str, ttl: timedelta) -> int: ...

log = logging.getLogger("grantbot.leases")


class Heartbeat:
    """Renews every lease of one holder, by database time, from a daemon
    thread while the work it covers is alive (``with leases.heartbeat(...)``).

    When the process dies, in any pod on any machine, the heartbeat stops
    with it and its leases expire one ``ttl`` later, so another run can take
    them over.  A failed renewal (database briefly unreachable) is logged
    and retried at the next beat; the lease survives a few missed beats.
    """

    def __init__(self, leases: Renewer, holder: str, ttl: timedelta, interval: float) -> None:
        if interval <= 0:
            raise ValueError("heartbeat interval must be positive")
        self.leases, self.holder, self.ttl, self.interval = leases, holder, ttl, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"lease-heartbeat:{holder}", daemon=True
        )

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.leases.renew_all(self.holder, self.ttl)
            except Exception as exc:  # noqa: BLE001 - keep beating; the ttl is the margin
                log.warning("lease heartbeat of %s failed: %s", self.holder, exc)
