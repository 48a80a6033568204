"""Installing a throwaway MediaWiki from Debian's ``mediawiki`` package.

``install.php`` plus account set-up takes about a second, too slow for a
fresh wiki per test, so one pristine install is kept as a *template* in the
user's cache directory (keyed by a hash of the MediaWiki version and of our
settings and scripts) and each wiki is a copy of it: a megabyte of SQLite
files, a small ``instance.php`` with the port and new secrets, and one PHP
process that (re)creates the accounts with fresh passwords.

The template's ``LocalSettings.php`` is made position-independent (the data
directory is ``__DIR__/data``) so copies need no path rewriting.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bots.errors import LocalWikiError

HERE = Path(__file__).resolve().parent
SETTINGS_SOURCE = HERE / "grantbot-settings.php"
PROVISION_SCRIPT = HERE / "provision.php"
TEMPLATE_FORMAT = "1"
SECRET_ALPHABET = "0123456789abcdefghijklmnopqrstuvw"  # BotPassword: ^[0-9a-w]{32,}$
BOT_GRANTS = ("basic", "highvolume", "editpage", "createeditmovepage", "editmycssjs")
HUMAN_GRANTS = ("basic", "editpage", "createeditmovepage")


def mediawiki_path() -> Path:
    return Path(os.environ.get("GRANTBOT_MW_PATH", "/usr/share/mediawiki"))


def mediawiki_version() -> str:
    """The installed MediaWiki version; a clear error when it is not installed."""
    defines = mediawiki_path() / "includes" / "Defines.php"
    if shutil.which("php") is None:
        raise LocalWikiError("php is not installed (packages php-cli, php-sqlite3): run `make setup`")
    try:
        text = defines.read_text()
    except FileNotFoundError as exc:
        raise LocalWikiError(
            f"MediaWiki is not installed at {mediawiki_path()} (Debian package `mediawiki`): "
            "run `make setup`"
        ) from exc
    match = re.search(r"define\(\s*'MW_VERSION',\s*'([^']+)'", text)
    return match.group(1) if match else "unknown"


def new_secret(length: int = 32) -> str:
    """A random secret MediaWiki accepts as a BotPassword (no x, y or z)."""
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(length))


def write_private(path: Path, text: str) -> None:
    """Write a file readable by its owner only, from the first byte on."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


BULK_ENV = "GRANTBOT_BULK_IMPORT"  # grantbot-settings.php: no fsync per write


def run_php(script: Path, args: list[str], settings: Path, *, what: str, bulk: bool = False) -> str:
    """``bulk``: a seeding step of a throwaway wiki, run without fsync per write."""
    env = {k: v for k, v in os.environ.items() if k != BULK_ENV}
    if bulk:
        env[BULK_ENV] = "1"
    env["MW_CONFIG_FILE"] = str(settings)
    env["MW_INSTALL_PATH"] = str(mediawiki_path())
    proc = subprocess.run(
        ["php", str(script), *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.parent,
    )
    if proc.returncode != 0:
        detail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        raise LocalWikiError(f"{what} failed: " + " | ".join(detail))
    return proc.stdout


# ---------------------------------------------------------------- template


def cache_root() -> Path:
    explicit = os.environ.get("GRANTBOT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "grantbot"


def template_key() -> str:
    digest = hashlib.sha256()
    digest.update(TEMPLATE_FORMAT.encode())
    digest.update(mediawiki_version().encode())
    digest.update(SETTINGS_SOURCE.read_bytes())
    return digest.hexdigest()[:12]


def template_dir() -> Path:
    """The pristine installed wiki, built once per MediaWiki version and settings."""
    target = cache_root() / f"wiki-template-{template_key()}"
    if (target / "TEMPLATE_OK").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        _install_into(building)
        (building / "TEMPLATE_OK").write_text(mediawiki_version() + "\n")
        try:
            os.rename(building, target)
        except OSError:
            if not (target / "TEMPLATE_OK").exists():  # not a lost race: a real failure
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def _install_into(directory: Path) -> None:
    data = directory / "data"
    data.mkdir()
    settings = directory / "LocalSettings.php"
    proc = subprocess.run(
        [
            "php", str(mediawiki_path() / "maintenance" / "install.php"),
            "--confpath", str(directory), "--dbtype", "sqlite", "--dbpath", str(data),
            "--dbname", "wiki", "--server", "http://127.0.0.1:1", "--scriptpath", "",
            "--lang", "en", "--pass", new_secret(40), "--skins", "Vector",
            "Grants Local Wiki", "Admin",
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 or not settings.exists():
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        raise LocalWikiError("MediaWiki install.php failed: " + " | ".join(tail))
    text = settings.read_text()
    text = re.sub(r'^\$wgSQLiteDataDir = .*$', '$wgSQLiteDataDir = __DIR__ . "/data";', text, flags=re.M)
    # Per-wiki values (and secrets) live in instance.php, written for each copy.
    text = re.sub(r"^\$wg(Server|SecretKey|UpgradeKey) = .*$\n", "", text, flags=re.M)
    text += (
        "\nrequire __DIR__ . '/grantbot-settings.php';\n"
        "require __DIR__ . '/instance.php';\n"
    )
    settings.write_text(text)
    shutil.copyfile(SETTINGS_SOURCE, directory / "grantbot-settings.php")


# ---------------------------------------------------------------- one wiki


@dataclass(frozen=True)
class Credentials:
    """Generated secrets of one wiki; kept in ``secrets.json`` (mode 0600) only."""

    admin_password: str
    bot_password: str
    bot_secret: str
    human_password: str
    human_secret: str

    @classmethod
    def generate(cls) -> Credentials:
        return cls(new_secret(40), new_secret(40), new_secret(), new_secret(40), new_secret())

    def __repr__(self) -> str:  # never show secrets in tracebacks or logs
        return "Credentials(<hidden>)"


def copy_template(directory: Path) -> None:
    template = template_dir()
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("LocalSettings.php", "grantbot-settings.php"):
        shutil.copyfile(template / name, directory / name)
    shutil.copytree(template / "data", directory / "data", dirs_exist_ok=True)


def write_instance(directory: Path, *, port: int, cookie_prefix: str, secret_key: str) -> None:
    """The per-wiki part of the settings: URL, cookie names, signing key."""
    write_private(
        directory / "instance.php",
        "<?php\n"
        "// Written by grantbot's local-wiki harness for this copy only.\n"
        f"$wgServer = 'http://127.0.0.1:{port}';\n"
        f"$wgCookiePrefix = '{cookie_prefix}';\n"
        f"$wgSessionName = '{cookie_prefix}_session';\n"
        f"$wgSecretKey = '{secret_key}';\n"
        f"$wgUpgradeKey = '{secret_key[:16]}';\n",
    )


def provision(
    directory: Path,
    *,
    creds: Credentials | None,
    users: dict[str, str],
    extra_users: tuple[str, ...] = (),
    bulk: bool = False,
) -> None:
    """Create the accounts (and, with ``creds``, set passwords and bot passwords).

    ``users`` maps the roles "bot", "human", "admin" to account names;
    ``extra_users`` are authors of seeded history, created without passwords so
    importDump attributes their revisions to local accounts.
    """
    spec: dict[str, list[dict[str, object]]] = {"users": [], "botpasswords": []}
    if creds is not None:
        spec["users"] += [
            {"name": users["admin"], "password": creds.admin_password,
             "groups": ["sysop", "bureaucrat"]},
            {"name": users["bot"], "password": creds.bot_password, "groups": ["bot"]},
            {"name": users["human"], "password": creds.human_password},
        ]
        spec["botpasswords"] += [
            {"user": users["bot"], "appid": "grantbot", "secret": creds.bot_secret,
             "grants": list(BOT_GRANTS)},
            {"user": users["human"], "appid": "human", "secret": creds.human_secret,
             "grants": list(HUMAN_GRANTS)},
        ]
    spec["users"] += [{"name": name} for name in extra_users]
    spec_file = directory / ".provision.json"
    write_private(spec_file, json.dumps(spec))
    try:
        run_php(
            PROVISION_SCRIPT, ["--spec", str(spec_file)],
            directory / "LocalSettings.php", what="creating the wiki accounts", bulk=bulk,
        )
    finally:
        spec_file.unlink(missing_ok=True)
