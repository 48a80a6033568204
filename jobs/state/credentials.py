"""ToolsDB credentials from Toolforge's own sources, never from grantbot.toml.

A Toolforge tool gets a MariaDB account for ToolsDB: its user name and
password are in ``$HOME/replica.my.cnf`` (a ``[client]`` section, values
possibly in single quotes) and, for jobs, in the ``TOOL_TOOLSDB_USER`` and
``TOOL_TOOLSDB_PASSWORD`` environment variables.  So the state URL in the
configuration names only the server and database
(``mysql+pymysql://tools.db.svc.wikimedia.cloud/s12345__grantbot``) and
:func:`with_credentials` fills in the account when the URL has none.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import URL

from bots.errors import ConfigError

USER_ENV, PASSWORD_ENV = "TOOL_TOOLSDB_USER", "TOOL_TOOLSDB_PASSWORD"
MY_CNF = "replica.my.cnf"
MYSQL_BACKENDS = ("mysql", "mariadb")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def read_my_cnf(path: Path) -> tuple[str, str] | None:
    """The ``[client]`` user and password of a MySQL option file, if both are there."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        raise ConfigError(f"cannot read ToolsDB credentials from {path}: {exc}") from None
    if not parser.has_section("client"):
        return None
    user, password = parser.get("client", "user", fallback=""), parser.get(
        "client", "password", fallback=""
    )
    return (_unquote(user), _unquote(password)) if user and password else None


def toolsdb_credentials(
    env: Mapping[str, str] | None = None, home: Path | None = None
) -> tuple[str, str] | None:
    """The tool's ToolsDB account: the environment first, then ``replica.my.cnf``."""
    env = os.environ if env is None else env
    user, password = env.get(USER_ENV, ""), env.get(PASSWORD_ENV, "")
    if user and password:
        return user, password
    cnf = (home if home is not None else Path(env.get("HOME", "~")).expanduser()) / MY_CNF
    return read_my_cnf(cnf) if cnf.is_file() else None


def with_credentials(
    url: URL, env: Mapping[str, str] | None = None, home: Path | None = None
) -> URL:
    """``url`` with the tool's ToolsDB account filled in, for a MariaDB/MySQL
    URL that names no user; any other URL unchanged."""
    if url.get_backend_name() not in MYSQL_BACKENDS or url.username:
        return url
    found = toolsdb_credentials(env, home)
    if found is None:
        return url
    return url.set(username=found[0], password=found[1])
