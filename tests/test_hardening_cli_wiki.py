"""One line and the documented exit code for what operators get wrong (issue 11, items 12 and 15).

README: errors are one line on stderr; exit 2 for bad input, configuration
or an unusable state database, 1 when the wiki failed or refused a save,
3 when another run holds what this one needs; a run the shutoff page
stopped exits 0.  Each case runs the real ``grantbot`` executable.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from jobs.config import load_config
from jobs.leases import Leases
from jobs.state import open_state
from jobs.sweep import SWEEP_LEASE
from localwiki import LocalWiki
from wikipages import local_config


def grantbot(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("grantbot")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def config_file(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "grantbot.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("content", [b"\xff\xfe[wiki]\n", bytes(range(256)) * 4, b"[wiki]\nx = \"\x00\"\n"])
def test_a_binary_or_non_utf8_config_is_one_line_exit_2(tmp_path: Path, content: bytes) -> None:
    result = grantbot("status", "--config", str(config_file(tmp_path, content)))
    assert result.returncode == 2
    assert "grantbot.toml" in one_line(result)


@pytest.mark.parametrize(("extra", "keys"), [
    ('[status]\njson_page = "User:{bot}/Grant_status"\n', ("status.page", "status.json_page")),
    ('[requests]\npage = "User:{bot}/Grant status"\n', ("status.page", "requests.page")),
    ('[safety]\nshutoff_page = "user:{bot}/Grant status.json"\n', ("status.json_page", "safety.shutoff_page")),
    ('[requests]\npage = "User:{bot}/Shutoff"\n', ("requests.page", "safety.shutoff_page")),
    ('[status]\njson_page = "User:{bot}/Grant status/Grants:X.json"\n', ("status.page", "status.json_page")),
    ('[requests]\npage = "User:{bot}/Grant status/By reviewer"\n', ("status.page", "requests.page")),
])
def test_two_outputs_on_one_page_are_refused_at_load(tmp_path: Path, extra: str,
                                                      keys: tuple[str, str]) -> None:
    path = config_file(tmp_path, '[wiki]\nfamily = "meta"\ncode = "meta"\n' + extra)
    result = grantbot("status", "--config", str(path))
    assert result.returncode == 2
    line = one_line(result)
    assert all(key in line for key in keys), line


def test_outputs_that_only_meet_once_the_bot_is_known_are_refused(tmp_path: Path) -> None:
    path = config_file(tmp_path, '[wiki]\nfamily = "meta"\ncode = "meta"\n'
                                 '[status]\npage = "User:Helper/Grant status"\n'
                                 '[requests]\npage = "User:{bot}/Grant status"\n')
    from bots.errors import ConfigError

    config = load_config(path)
    with pytest.raises(ConfigError, match="status.page and requests.page"):
        config.with_bot("Helper")


@pytest.mark.parametrize(("url", "fix"), [
    ("mysql+mysqlconnector://h/db", "mysql+pymysql"),
    ("mysql://h/db", "mysql+pymysql"),
    ("nosuchdb://h/db", "unknown database dialect"),
])
def test_a_missing_driver_or_unknown_dialect_names_the_fix(tmp_path: Path, url: str, fix: str) -> None:
    path = config_file(tmp_path, f'[wiki]\nfamily = "meta"\ncode = "meta"\n[state]\nurl = "{url}"\n')
    result = grantbot("db", "upgrade", "--config", str(path))
    assert result.returncode == 2
    assert fix in one_line(result)


def test_a_corrupted_state_database_is_one_line_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    db.write_bytes(b"not a database at all " * 400)
    path = config_file(tmp_path, f'[wiki]\nfamily = "meta"\ncode = "meta"\n[state]\nurl = "sqlite:///{db}"\n')
    result = grantbot("status", "--config", str(path))
    assert result.returncode == 2
    assert "not an SQLite database" in one_line(result)


@pytest.mark.wiki
def test_a_read_only_state_database_is_one_line_exit_2(seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path)
    db = tmp_path / "state.sqlite"
    open_state(f"sqlite:///{db}").close()
    sqlite3.connect(db).execute("PRAGMA wal_checkpoint(TRUNCATE)").connection.close()
    text = config.read_text().replace(f"sqlite:///{db}", f"sqlite:///file:{db}?mode=ro&uri=true")
    config.write_text(text)
    result = grantbot("run", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "read-only" in one_line(result)


@pytest.mark.wiki
def test_exit_codes_of_a_run_shut_off_busy_and_ok(seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path)
    seeded.edit_as_human("User:GrantBot/Shutoff", "stop", "stop")
    stopped = grantbot("run", "--config", str(config))
    assert stopped.returncode == 0, stopped.stderr
    assert "shut off" in stopped.stdout
    seeded.edit_as_human("User:GrantBot/Shutoff", "run", "go")
    leases = Leases(open_state(load_config(config).state.url).engine)
    now = datetime.now(timezone.utc)
    assert leases.acquire(SWEEP_LEASE, "scheduler@elsewhere", timedelta(minutes=5), now)
    busy = grantbot("run", "--config", str(config))
    assert busy.returncode == 3
    assert "scheduler@elsewhere" in one_line(busy)
    leases.release(SWEEP_LEASE, "scheduler@elsewhere")
    assert grantbot("run", "--config", str(config)).returncode == 0
