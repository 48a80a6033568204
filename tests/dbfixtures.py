"""pytest fixtures for state databases (SQLite, local PostgreSQL and MariaDB).

``state_url`` is parametrised over the three backends, so every state and
lease test runs three times.  The servers come from Debian's packages and
are started by the tests themselves, once per session, in temp dirs:

* PostgreSQL: root may not run postgres, so ``initdb`` and ``pg_ctl`` run
  as the ``postgres`` OS user in a world-traversable temp dir, listening
  only on a unix socket there (plus a free TCP port number, which names the
  socket).
* MariaDB (Toolforge's ToolsDB): ``mariadb-install-db`` and ``mariadbd``
  (as the ``mysql`` OS user when we are root) on 127.0.0.1 and a free port,
  with a password-protected account like the one a tool gets.

Each test gets its own database.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("GRANTBOT_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_USER = "postgres"
MARIADB_BIN = Path(os.environ.get("GRANTBOT_MARIADB_BIN", "/usr/sbin"))
MARIADB_INSTALL_DB = Path(os.environ.get("GRANTBOT_MARIADB_INSTALL_DB",
                                         "/usr/bin/mariadb-install-db"))
MARIADB_OS_USER = "mysql"
MARIADB_USER, MARIADB_PASSWORD = "s51234", "tool-secret-pw"  # like a tool's ToolsDB account
MARIADB_START_SECONDS = 60


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


@dataclass(frozen=True)
class MariaDBServer:
    port: int
    user: str = MARIADB_USER
    password: str = MARIADB_PASSWORD

    def url(self, database: str, *, credentials: bool = True) -> str:
        auth = f"{self.user}:{self.password}@" if credentials else ""
        return f"mysql+pymysql://{auth}127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, *, user: str = "root", password: str = "") -> None:
        import pymysql

        conn = pymysql.connect(host="127.0.0.1", port=self.port, user=user, password=password,
                               autocommit=True, connect_timeout=5)
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
        finally:
            conn.close()

    def create_database(self, name: str) -> str:
        self.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        self.execute(f"GRANT ALL PRIVILEGES ON `{name}`.* TO '{self.user}'@'%'")
        return self.url(name)


def _mariadb_ready(server: MariaDBServer, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + MARIADB_START_SECONDS
    while True:
        try:
            server.execute("SELECT 1")
            return
        except Exception as exc:  # not accepting connections yet
            if process.poll() is not None or time.monotonic() > deadline:
                text = log.read_text(errors="replace") if log.exists() else ""
                pytest.fail(f"MariaDB did not start ({exc}):\n{text[-3000:]}")
            time.sleep(0.2)


def _start_mariadb(root: Path) -> tuple[MariaDBServer, subprocess.Popen[bytes]]:
    if not (MARIADB_BIN / "mariadbd").exists() or not MARIADB_INSTALL_DB.exists():
        pytest.fail(f"MariaDB binaries not found in {MARIADB_BIN} (install mariadb-server)")
    data, log = root / "data", root / "log"
    as_root: list[str] = []
    if os.geteuid() == 0:  # mariadbd drops to the mysql user, which must own the dir
        as_root = ["--user=" + MARIADB_OS_USER]
        pw = pwd.getpwnam(MARIADB_OS_USER)
        os.chown(root, pw.pw_uid, pw.pw_gid)
    root.chmod(0o755)
    subprocess.run(
        [str(MARIADB_INSTALL_DB), "--no-defaults", f"--datadir={data}", "--skip-test-db",
         "--auth-root-authentication-method=normal", *as_root],
        check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    port = _free_port()
    process = subprocess.Popen(
        [str(MARIADB_BIN / "mariadbd"), "--no-defaults", f"--datadir={data}",
         f"--socket={root / 'sock'}", f"--pid-file={root / 'pid'}", f"--log-error={log}",
         "--bind-address=127.0.0.1", f"--port={port}", "--skip-name-resolve",
         "--skip-log-bin", "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
         "--innodb-buffer-pool-size=32M", "--character-set-server=utf8mb4", *as_root],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    server = MariaDBServer(port)
    _mariadb_ready(server, process, log)
    server.execute(f"CREATE USER '{server.user}'@'%' IDENTIFIED BY '{server.password}'")
    return server, process


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[MariaDBServer]:
    root = Path(tempfile.mkdtemp(prefix="grantbot-mariadb-"))
    process: subprocess.Popen[bytes] | None = None
    try:
        server, process = _start_mariadb(root)
        yield server
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def _database_names() -> Iterator[itertools.count[int]]:
    yield itertools.count(1)


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ],
)
def state_url(
    request: pytest.FixtureRequest, tmp_path: Path, _database_names: itertools.count[int]
) -> str:
    """A fresh, empty database URL: an SQLite file, or a new PostgreSQL or
    MariaDB database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite'}"
    fixture = "postgres_server" if request.param == "postgresql" else "mariadb_server"
    server: PostgresServer | MariaDBServer = request.getfixturevalue(fixture)
    return server.create_database(f"grantbot_test_{next(_database_names)}")
