"""The state database on MariaDB, as on Toolforge's ToolsDB: a real server
the tests start (tests/dbfixtures.py), the tool's account taken from
Toolforge's own sources, Unicode and case-sensitive titles intact."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from bots.errors import ConfigError
from dbfixtures import MariaDBServer
from jobs.state import Settings, StateError, make_engine, open_state, safe_url
from jobs.state.credentials import PASSWORD_ENV, USER_ENV

T0 = datetime(2031, 1, 1, 12, 0, tzinfo=timezone.utc)
_names = itertools.count(1)


@pytest.fixture
def toolsdb(mariadb_server: MariaDBServer) -> tuple[MariaDBServer, str]:
    """A database like a tool's ``s51234__grantbot``, created with the
    server's old default character set, and its URL without any account."""
    name = f"{mariadb_server.user}__grantbot{next(_names)}"
    mariadb_server.execute(f"CREATE DATABASE `{name}` CHARACTER SET latin1")
    mariadb_server.execute(f"GRANT ALL PRIVILEGES ON `{name}`.* TO '{mariadb_server.user}'@'%'")
    return mariadb_server, mariadb_server.url(name, credentials=False)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tool's home with no credentials yet, and none in the environment."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv(USER_ENV, raising=False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    return tmp_path


def _write_my_cnf(home: Path, user: str, password: str) -> None:
    # the form Toolforge writes: a [client] section, values in single quotes
    (home / "replica.my.cnf").write_text(f"[client]\nuser = '{user}'\npassword = '{password}'\n")


@pytest.mark.mariadb
def test_account_from_replica_my_cnf(toolsdb: tuple[MariaDBServer, str], home: Path) -> None:
    server, url = toolsdb
    _write_my_cnf(home, server.user, server.password)
    with open_state(url) as store:
        assert store.engine.url.username == server.user
        assert server.password not in safe_url(store.engine.url)
        store.start_run("manual", T0)
        assert len(store.recent_runs()) == 1


@pytest.mark.mariadb
def test_account_from_the_environment_wins_over_the_file(
    toolsdb: tuple[MariaDBServer, str], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, url = toolsdb
    _write_my_cnf(home, server.user, "stale-password")
    monkeypatch.setenv(USER_ENV, server.user)
    monkeypatch.setenv(PASSWORD_ENV, server.password)
    with open_state(url) as store:
        store.start_run("manual", T0)


@pytest.mark.mariadb
def test_wrong_password_is_one_line_without_the_password(
    toolsdb: tuple[MariaDBServer, str], home: Path
) -> None:
    server, url = toolsdb
    _write_my_cnf(home, server.user, "not-the-password")
    with pytest.raises(StateError) as err:
        open_state(url)
    message = str(err.value)
    assert "\n" not in message and "not-the-password" not in message
    assert "Access denied" in message and server.user in message


@pytest.mark.mariadb
def test_tables_are_utf8mb4_and_case_sensitive_in_a_latin1_database(
    toolsdb: tuple[MariaDBServer, str], home: Path
) -> None:
    server, url = toolsdb
    _write_my_cnf(home, server.user, server.password)
    with open_state(url) as store:
        with store.engine.connect() as conn:
            collations = set(conn.execute(sa.text(
                "SELECT table_collation FROM information_schema.tables"
                " WHERE table_schema = DATABASE() AND table_name <> 'alembic_version'"
            )).scalars())
        assert collations == {"utf8mb4_bin"}
        settings = Settings(store.engine)
        settings.set("Grants:Café/😀", {"title": "Grants:Café/😀 ∑"}, T0)
        settings.set("grants:café/😀", "lower case is another page", T0)
        assert settings.get("Grants:Café/😀") == {"title": "Grants:Café/😀 ∑"}
        assert settings.get("grants:café/😀") == "lower case is another page"


def test_missing_driver_and_unknown_dialect_are_configuration_errors() -> None:
    with pytest.raises(ConfigError, match=r"driver 'MySQLdb' is not installed: use mysql\+pymysql"
                                          r"://\.\.\. in \[state\] url, with pip install "
                                          r"'grantbot\[mysql\]'"):
        make_engine("mysql+mysqldb://tools.db.example/s1__grantbot")
    with pytest.raises(ConfigError, match="unknown database dialect 'nosuchdb'"):
        make_engine("nosuchdb://somewhere/db")
    with pytest.raises(ConfigError, match="is not a database URL"):
        make_engine("not a url")


def test_cli_missing_driver_is_one_line_and_exit_2(tmp_path: Path) -> None:
    import subprocess
    import sys

    config = tmp_path / "grantbot.toml"
    config.write_text('[wiki]\nfamily = "meta"\ncode = "meta"\n'
                      '[state]\nurl = "mysql+mysqldb://tools.db.example/s1__grantbot"\n')
    grantbot = Path(sys.executable).with_name("grantbot")
    result = subprocess.run([str(grantbot), "db", "upgrade", "--config", str(config)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "grantbot: state URL mysql+mysqldb://tools.db.example/s1__grantbot: database driver "
        "'MySQLdb' is not installed: use mysql+pymysql://... in [state] url, with "
        "pip install 'grantbot[mysql]'"
    ]
