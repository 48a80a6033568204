"""Engines for the state database, and schema upgrades on open.

SQLite is the default, and a scheduled sweep and a manual run may use the
same file at once.  pysqlite's own transaction handling starts transactions
lazily and never around DDL, which leaves migrations half-applied when they
fail and turns lock upgrades into instant "database is locked" errors.  So
SQLite connections run with the driver's handling switched off and every
transaction starts with ``BEGIN IMMEDIATE`` (writers queue on the busy
timeout instead of deadlocking), in WAL mode so readers are not blocked.

MariaDB (Toolforge's ToolsDB) takes its account from Toolforge's own sources
(:mod:`jobs.state.credentials`), talks utf8mb4, and recycles connections
before the server's idle timeout closes them.  A URL whose driver is not
installed, or whose dialect SQLAlchemy does not know, is a configuration
error: one line naming the extra to install.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from bots.errors import ConfigError, GrantbotError
from jobs.state.credentials import MYSQL_BACKENDS, with_credentials

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision (tests/test_state.py checks it is alembic's head): a run
# that finds its database there needs no alembic, whose import (with mako and pygments,
# 110 modules) would cost every scheduled run about 0.1 s.
SCHEMA_HEAD = "0005"
SQLITE_BUSY_SECONDS = 60
PG_MIGRATION_LOCK = 0x6772616E  # arbitrary advisory-lock key ("gran")
MYSQL_MIGRATION_LOCK = "grantbot_migrations"  # a named lock (GET_LOCK) on MariaDB/MySQL
MIGRATION_LOCK_SECONDS = 120
MYSQL_RECYCLE_SECONDS = 300  # below any sensible wait_timeout of a shared server
# The drivers grantbot's extras install, and the URL scheme that selects each.
DRIVERS = {"mysql": ("mysql+pymysql", "mysql"), "mariadb": ("mysql+pymysql", "mysql"),
           "postgresql": ("postgresql+psycopg", "postgres")}
# File systems where SQLite's locks are unreliable (Toolforge's tool homes are NFS).
NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "glusterfs", "fuse.sshfs", "9p", "lustre"}
)


class StateError(GrantbotError):
    """The state database cannot be opened or upgraded."""


def safe_url(url: str | URL) -> str:
    """``url`` for logs and messages: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable URL>"


def _server_engine(url: URL, **kwargs: Any) -> Engine:
    backend, shown = url.get_backend_name(), safe_url(url)  # as configured
    if backend in MYSQL_BACKENDS:
        url = with_credentials(url)
        if "charset" not in url.query:
            url = url.update_query_dict({"charset": "utf8mb4"})
        kwargs.setdefault("pool_recycle", MYSQL_RECYCLE_SECONDS)
    try:
        return create_engine(url, pool_pre_ping=True, **kwargs)
    except NoSuchModuleError:
        raise ConfigError(f"state URL {shown}: unknown database dialect "
                          f"{url.drivername!r}") from None
    except ModuleNotFoundError as exc:
        raise ConfigError(f"state URL {shown}: database driver {exc.name!r} is not "
                          f"installed{_driver_hint(url)}") from None


def _driver_hint(url: URL) -> str:
    """How to get a driver: the extra that installs it, and the URL scheme
    that uses it (``mysql://`` means MySQLdb, which no extra installs)."""
    scheme, extra = DRIVERS.get(url.get_backend_name(), ("", ""))
    if not extra:
        return ""
    if url.drivername != scheme:
        return (f": use {scheme}://... in [state] url, with pip install "
                f"'grantbot[{extra}]'")
    return f": pip install 'grantbot[{extra}]'"


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get their directory created."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"state URL {safe_url(url)!s} is not a database URL "
                          "(e.g. sqlite:///path/state.sqlite)") from None
    if parsed.get_backend_name() != "sqlite":
        return _server_engine(parsed, **kwargs)
    db = parsed.database
    memory = not db or db == ":memory:"
    if memory:
        kwargs.setdefault("poolclass", StaticPool)
    else:
        Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
    connect_args = {"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_config() -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision alembic recorded in the database (None: no schema yet)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migration_sql(dialect: str, revision: str = "head") -> str:
    """The DDL that brings an empty database of ``dialect`` ("postgresql",
    "mysql", "sqlite") to ``revision``, without connecting to anything."""
    from alembic import command

    buffer = io.StringIO()
    cfg = alembic_config()
    cfg.output_buffer = buffer
    cfg.attributes["dialect_name"] = dialect
    command.upgrade(cfg, revision, sql=True)
    return buffer.getvalue()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction.

    Two processes opening a fresh database at once must not both create the
    tables: on PostgreSQL an advisory lock serialises them, on SQLite the
    ``BEGIN IMMEDIATE`` write lock does, and on MariaDB (whose DDL commits
    at once, so the transaction protects nothing) a named lock held by
    another session until the migration's last version update is committed;
    the waiter then finds the schema current and does nothing.
    """
    try:
        if revision in ("head", SCHEMA_HEAD) and current_revision(engine) == SCHEMA_HEAD:
            return  # the usual case: no alembic, no lock, no migration log lines every run
        from alembic import command

        cfg = alembic_config()
        dialect = engine.dialect.name
        named = _named_lock(engine) if dialect in MYSQL_BACKENDS else nullcontext()
        with named, engine.begin() as conn:
            if dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except GrantbotError:
        raise
    except Exception as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StateError(
            f"cannot upgrade the state database at {safe_url(engine.url)}: {first}"
        ) from exc


@contextmanager
def _named_lock(engine: Engine) -> Iterator[None]:
    """MariaDB's named migration lock, on a session of its own: released only
    after the migration's transaction has committed (released with it, a
    waiter could read the version table before the last update landed)."""
    with engine.connect() as lock:
        got = lock.execute(
            text("SELECT GET_LOCK(:n, :t)"), {"n": MYSQL_MIGRATION_LOCK, "t": MIGRATION_LOCK_SECONDS}
        ).scalar()
        if got != 1:
            raise StateError("another process kept the migration lock for too long")
        try:
            yield
        finally:
            lock.execute(text("SELECT RELEASE_LOCK(:n)"), {"n": MYSQL_MIGRATION_LOCK})


def database_now(conn: Connection) -> datetime:
    """The database server's clock (UTC, aware): the one clock every pod
    sharing the database agrees on, which leases expire by.  SQLite has no
    server, so its clock is this machine's."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        value = conn.execute(text("SELECT clock_timestamp()")).scalar_one()
    elif dialect in MYSQL_BACKENDS:
        value = conn.execute(text("SELECT UTC_TIMESTAMP(6)")).scalar_one()
    else:
        return datetime.now(timezone.utc)
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)  # type: ignore[no-any-return]
    return value.astimezone(timezone.utc)  # type: ignore[no-any-return]


def filesystem_type(path: Path, mounts: str) -> str | None:
    """The type of the file system holding ``path``, from the text of
    ``/proc/mounts`` (the longest mount point that contains it)."""
    best, found = -1, None
    target = str(path)
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > best:
            best, found = len(point), fields[2]
    return found


def state_warnings(url: str, mounts_file: Path = Path("/proc/mounts")) -> list[str]:
    """What an operator should know about where the state lives: today, an
    SQLite file on a network file system (NFS), where locking is unreliable
    and two jobs may corrupt it; ToolsDB is the fix."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return []
    db = parsed.database
    if parsed.get_backend_name() != "sqlite" or not db or db == ":memory:":
        return []
    path = Path(db).expanduser().resolve()
    try:
        kind = filesystem_type(path, mounts_file.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return []
    if kind not in NETWORK_FILESYSTEMS:
        return []
    return [f"the state database {path} is SQLite on {kind}: its file locks are unreliable "
            "there, so two jobs may corrupt it; use ToolsDB (MariaDB) on Toolforge"]
