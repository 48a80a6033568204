"""Running PHP's built-in web server for a local wiki, and stopping it for good.

PHP's server with ``PHP_CLI_SERVER_WORKERS`` forks workers that keep
listening when only the master dies, so the server is started in a session
(and process group) of its own and always stopped by killing the whole group.
Liveness is judged from ``/proc`` (group members that are not zombies), not
from the pid alone, because a reaped master says nothing about its workers.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from bots.errors import LocalWikiError

WORKERS = 4
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def find_free_port() -> int:
    """A port nobody listens on now (the kernel's choice, so tests do not collide)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
        return True


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """(state, process group) of ``pid``, or None when it does not exist."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = raw[raw.rfind(")") + 2 :].split()
    return fields[0], int(fields[2])


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes of the process group ``pgid``."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        stat = _proc_stat(int(entry))
        if stat is not None and stat[1] == pgid and stat[0] != "Z":
            members.append(int(entry))
    return members


def is_our_server(pid: int, port: int) -> bool:
    """True when ``pid`` is a live PHP server for ``port`` (not a recycled pid)."""
    stat = _proc_stat(pid)
    if stat is None or stat[0] == "Z":
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(b"php" in part for part in cmdline[:1]) and f"127.0.0.1:{port}".encode() in cmdline


def start(
    *,
    port: int,
    docroot: Path,
    settings: Path,
    log: Path,
    workdir: Path,
    api_url: str,
) -> subprocess.Popen[bytes]:
    """Start the server in its own session and wait until the API answers."""
    env = dict(os.environ)
    env["MW_CONFIG_FILE"] = str(settings)
    env["PHP_CLI_SERVER_WORKERS"] = str(WORKERS)
    with open(log, "ab") as log_file:
        try:
            proc = subprocess.Popen(
                ["php", "-S", f"127.0.0.1:{port}", "-t", str(docroot)],
                cwd=workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except FileNotFoundError as exc:
            raise LocalWikiError("php is not installed: run `make setup`") from exc
    try:
        wait_ready(proc, api_url, log)
    except BaseException:
        kill_group(proc.pid, proc=proc)
        raise
    return proc


def wait_ready(proc: subprocess.Popen[bytes], api_url: str, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    probe = api_url + "?action=query&meta=siteinfo&format=json"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-600:]
            if "Address already in use" in tail:
                raise LocalWikiError(f"port busy: {api_url} (another server listens there)")
            raise LocalWikiError(f"the PHP server exited at once; see {log}")
        try:
            with urllib.request.urlopen(probe, timeout=5) as response:
                body = json.loads(response.read())
            if "query" in body:
                return
            raise LocalWikiError(f"the wiki answered without siteinfo; see {log}")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
        except json.JSONDecodeError as exc:
            raise LocalWikiError(f"the wiki answered with an error page; see {log}") from exc
    raise LocalWikiError(f"the wiki did not answer within {READY_TIMEOUT:.0f} s; see {log}")


def kill_group(pgid: int, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Terminate the whole process group and wait until nothing of it is left."""
    for sig, grace in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, STOP_TIMEOUT)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if proc is not None:
                proc.poll()  # reap our own child so it does not linger as a zombie
            if not group_members(pgid):
                return
            time.sleep(0.02)
    raise LocalWikiError(f"the PHP server (process group {pgid}) would not stop")
