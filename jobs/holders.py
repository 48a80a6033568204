"""Who holds a lease: a name unique per process, and whether that process is gone.

Apart from :mod:`jobs.leases` (the table and its transactions) because it is
about processes on this host, not the database.
"""

from __future__ import annotations

import os
import socket
import uuid


def default_holder(label: str = "grantbot") -> str:
    """Unique per process and call: the label, host, pid and a random suffix
    (the part a busy message shows, so people can tell who holds a lease)."""
    return f"{label}@{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_is_dead(holder: str) -> bool:
    """Whether the holder is a process on this host that no longer exists.

    A process killed with SIGKILL never releases its leases; waiting for
    the TTL would block every run until it ran out, so a lease whose
    holder (``label@host:pid:suffix``) is known to be gone is free.  Only
    this host can tell; elsewhere the TTL still decides."""
    host, _, rest = holder.rpartition("@")[2].partition(":")
    pid_text = rest.split(":", 1)[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists but is not ours: alive
        return False
    return False
