"""pytest fixtures for state databases (SQLite files and a local PostgreSQL).

``state_url`` is parametrised over both backends, so every state and lease
test runs twice.  The PostgreSQL server comes from Debian's packages and is
started by the tests themselves, once per session: root may not run
postgres, so ``initdb`` and ``pg_ctl`` run as the ``postgres`` OS user in a
world-traversable temp dir, listening only on a unix socket there (plus a
free TCP port number, which names the socket).  Each test gets its own
database.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("GRANTBOT_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_USER = "postgres"


@dataclass(frozen=True)
class PostgresServer:
    socket_dir: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{PG_USER}@/{database}?host={self.socket_dir}&port={self.port}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir), port=self.port, user=PG_USER, dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(*args: str | os.PathLike[str]) -> list[str]:
    cmd = [str(a) for a in args]
    if os.geteuid() == 0:
        return ["runuser", "-u", PG_USER, "--", *cmd]
    return cmd


def _start_postgres(root: Path) -> PostgresServer:
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL binaries not found in {PG_BIN} (install the postgresql package)")
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        pw = pwd.getpwnam(PG_USER)
        for path in (root, sock):
            os.chown(path, pw.pw_uid, pw.pw_gid)
    root.chmod(0o755)
    quiet = {"check": True, "stdout": subprocess.PIPE, "stderr": subprocess.STDOUT}
    subprocess.run(
        _as_postgres(PG_BIN / "initdb", "-D", data, "-U", PG_USER, "-A", "trust", "-E", "UTF8",
                     "--no-sync"),
        **quiet,  # type: ignore[arg-type]
    )
    port = _free_port()
    options = f"-p {port} -k {sock} -c listen_addresses='' -c fsync=off"
    result = subprocess.run(
        _as_postgres(PG_BIN / "pg_ctl", "-D", data, "-l", root / "log", "-o", options, "-w",
                     "start"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    if result.returncode != 0:
        log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
        pytest.fail(f"PostgreSQL did not start: {result.stdout}\n{log}")
    return PostgresServer(sock, port)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    root = Path(tempfile.mkdtemp(prefix="grantbot-pg-"))
    try:
        server = _start_postgres(root)
        try:
            yield server
        finally:
            subprocess.run(
                _as_postgres(PG_BIN / "pg_ctl", "-D", root / "data", "-m", "immediate", "-w",
                             "stop"),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def _database_names() -> Iterator[itertools.count[int]]:
    yield itertools.count(1)


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def state_url(
    request: pytest.FixtureRequest, tmp_path: Path, _database_names: itertools.count[int]
) -> str:
    """A fresh, empty database URL: an SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database(f"grantbot_test_{next(_database_names)}")
