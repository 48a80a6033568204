"""The :class:`LocalWiki` handle: one throwaway MediaWiki in a directory of its own.

Layout of a wiki directory (nothing outside it is touched, except the shared
template in the cache directory)::

    wiki.json            port, ids, account names (no secrets)
    secrets.json         generated passwords and BotPassword secrets (0600)
    LocalSettings.php    installer output, position-independent
    grantbot-settings.php  our additions (namespaces, no rate limits, ...)
    instance.php         $wgServer, cookie prefix, secret key (0600)
    data/                SQLite databases
    pywikibot/           user-config.py, user-password.py (0600), apicache
    server.pid, server.log
"""

from __future__ import annotations

import http.cookiejar
import json
import shutil
import subprocess
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bots.errors import LocalWikiError
from localwiki import install, pywiki, server

DEFAULT_USERS = {"bot": "GrantBot", "human": "Alice", "admin": "Admin"}


@dataclass(frozen=True)
class WikiStatus:
    directory: Path
    url: str
    running: bool
    pid: int | None
    port: int
    password_file: Path
    pywikibot_dir: Path


class LocalWiki:
    """A local MediaWiki: create it, start it, stop it, talk to it."""

    def __init__(self, directory: Path, meta: dict[str, Any]) -> None:
        self.directory = directory
        self._meta = meta
        self._proc: subprocess.Popen[bytes] | None = None

    # ------------------------------------------------------------ construction

    @staticmethod
    def default_dir() -> Path:
        import os

        return Path(os.environ.get("GRANTBOT_WIKI_DIR") or "var/wiki").resolve()

    @classmethod
    def exists_at(cls, directory: Path) -> bool:
        return (Path(directory) / "wiki.json").is_file()

    @classmethod
    def open(cls, directory: Path | str) -> LocalWiki:
        directory = Path(directory).resolve()
        try:
            meta = json.loads((directory / "wiki.json").read_text())
        except FileNotFoundError as exc:
            raise LocalWikiError(f"no local wiki in {directory}: run `grantbot wiki up`") from exc
        return cls(directory, meta)

    @classmethod
    def create(cls, directory: Path | str, port: int | None = None) -> LocalWiki:
        """A new wiki copied from the template; the directory must not hold one."""
        directory = Path(directory).resolve()
        if cls.exists_at(directory):
            raise LocalWikiError(f"{directory} already holds a wiki (use `up` to reuse it)")
        if directory.exists() and any(directory.iterdir()):
            raise LocalWikiError(f"{directory} exists and is not empty; choose another --dir")
        if port is not None and not server.port_is_free(port):
            raise LocalWikiError(f"port busy: {port}")
        install.copy_template(directory)
        wiki_id = install.new_secret(8)
        meta = {
            "port": port or server.find_free_port(),
            "port_fixed": port is not None,
            "wiki_id": wiki_id,
            "mw_version": install.mediawiki_version(),
            "users": dict(DEFAULT_USERS),
        }
        wiki = cls(directory, meta)
        creds = install.Credentials.generate()
        install.write_private(directory / "secrets.json", json.dumps(creds.__dict__))
        wiki._write_port_files(creds)
        install.provision(directory, creds=creds, users=meta["users"])
        wiki._save_meta()
        return wiki

    @classmethod
    def ensure(cls, directory: Path | str, port: int | None = None) -> LocalWiki:
        """The wiki in ``directory``, created when there is none (``up`` reuses)."""
        if cls.exists_at(Path(directory)):
            wiki = cls.open(directory)
            if port is not None and port != wiki.port and not wiki.status().running:
                wiki._move_to_port(port, fixed=True)
            return wiki
        return cls.create(directory, port)

    # ------------------------------------------------------------ properties

    @property
    def port(self) -> int:
        return int(self._meta["port"])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api.php"

    @property
    def human_api_url(self) -> str:
        return f"http://localhost:{self.port}/api.php"

    def page_url(self, title: str) -> str:
        return f"{self.url}/index.php/" + urllib.parse.quote(title.replace(" ", "_"), safe="/:")

    @property
    def family(self) -> str:
        return f"localwiki{self._meta['wiki_id']}"

    @property
    def human_family(self) -> str:
        return f"{self.family}human"

    @property
    def bot_user(self) -> str:
        return str(self._meta["users"]["bot"])

    @property
    def human_user(self) -> str:
        return str(self._meta["users"]["human"])

    @property
    def admin_user(self) -> str:
        return str(self._meta["users"]["admin"])

    @property
    def pywikibot_dir(self) -> Path:
        return self.directory / "pywikibot"

    @property
    def password_file(self) -> Path:
        return self.pywikibot_dir / "user-password.py"

    @property
    def settings_file(self) -> Path:
        return self.directory / "LocalSettings.php"

    @property
    def log_file(self) -> Path:
        return self.directory / "server.log"

    def endpoints(self) -> pywiki.Endpoints:
        return pywiki.Endpoints(
            self.family, self.human_family, self.api_url, self.human_api_url,
            self.bot_user, self.human_user, self.pywikibot_dir, self.password_file,
        )

    def _creds(self) -> install.Credentials:
        data = json.loads((self.directory / "secrets.json").read_text())
        return install.Credentials(**data)

    def __repr__(self) -> str:
        return f"LocalWiki({str(self.directory)!r}, port={self.port})"

    # ------------------------------------------------------------ lifecycle

    def start(self) -> LocalWiki:
        """Serve the wiki (no-op when it is already served)."""
        if self.status().running:
            return self
        if not server.port_is_free(self.port):
            if self._meta.get("port_fixed"):
                raise LocalWikiError(f"port busy: {self.port} (choose another with --port)")
            self._move_to_port(server.find_free_port(), fixed=False)
        (self.directory / "server.pid").unlink(missing_ok=True)
        creds = self._creds()  # keep the config current with this version of the harness
        pywiki.write_config(self.endpoints(), creds.bot_secret, creds.human_secret, clear_cache=False)
        attempts = 1 if self._meta.get("port_fixed") else 3
        for attempt in range(attempts):
            try:
                self._proc = server.start(
                    port=self.port,
                    docroot=install.mediawiki_path(),
                    settings=self.settings_file,
                    log=self.log_file,
                    workdir=self.directory,
                    api_url=self.api_url,
                )
                break
            except LocalWikiError as exc:  # lost a race for the port: take another
                if "port busy" not in str(exc) or attempt == attempts - 1:
                    raise
                self._move_to_port(server.find_free_port(), fixed=False)
        assert self._proc is not None
        (self.directory / "server.pid").write_text(f"{self._proc.pid}\n")
        return self

    def stop(self) -> None:
        """Stop the server and every worker it forked; safe when not running."""
        pid = self._recorded_pid()
        if pid is not None and server.is_our_server(pid, self.port):
            server.kill_group(pid, proc=self._proc)
        elif self._proc is not None:
            server.kill_group(self._proc.pid, proc=self._proc)
        self._proc = None
        (self.directory / "server.pid").unlink(missing_ok=True)

    def destroy(self) -> None:
        """Stop the server and delete the directory."""
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def status(self) -> WikiStatus:
        pid = self._recorded_pid()
        running = pid is not None and server.is_our_server(pid, self.port)
        return WikiStatus(
            directory=self.directory,
            url=self.url,
            running=running,
            pid=pid if running else None,
            port=self.port,
            password_file=self.password_file,
            pywikibot_dir=self.pywikibot_dir,
        )

    def _recorded_pid(self) -> int | None:
        try:
            return int((self.directory / "server.pid").read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def _move_to_port(self, port: int, *, fixed: bool) -> None:
        self._meta["port"] = port
        self._meta["port_fixed"] = fixed
        self._write_port_files(self._creds())
        self._save_meta()

    def _write_port_files(self, creds: install.Credentials) -> None:
        install.write_instance(
            self.directory,
            port=self.port,
            cookie_prefix=f"gw{self._meta['wiki_id']}",
            secret_key=install.new_secret(64),
        )
        pywiki.write_config(self.endpoints(), creds.bot_secret, creds.human_secret)

    def _save_meta(self) -> None:
        (self.directory / "wiki.json").write_text(json.dumps(self._meta, indent=2) + "\n")

    # ------------------------------------------------------------ maintenance

    def maintenance(self, script: str, *args: str, bulk: bool = False) -> str:
        """Run a MediaWiki maintenance script against this wiki; returns its output.
        ``bulk``: a seeding step, run without fsync per write."""
        path = install.mediawiki_path() / "maintenance" / f"{script}.php"
        return install.run_php(path, list(args), self.settings_file, what=script, bulk=bulk)

    def create_accounts(self, names: tuple[str, ...]) -> None:
        """Accounts without passwords, so imported history is attributed to them."""
        if names:
            install.provision(self.directory, creds=None, users=self._meta["users"],
                              extra_users=names, bulk=True)

    def import_xml(self, path: Path, *, bulk: bool = False) -> None:
        """importDump, then the jobs and recent changes a real wiki would have.

        ``bulk`` (generated grants for benchmarks) skips link-table updates
        and rebuilding recent changes, which cost most of the import time:
        pywikibot then does not see templates on those pages ({{nobots}}
        works only on the samples), and their creation is not in recent
        changes (a first sweep lists pages; later ones only look at changes
        made after it).
        """
        self.maintenance("importDump", *(("--no-updates",) if bulk else ()), str(path), bulk=True)
        if not bulk:
            self.maintenance("rebuildrecentchanges", bulk=True)
        self.maintenance("initSiteStats", "--update", bulk=True)
        self.maintenance("runJobs", "--quiet", bulk=True)

    # ------------------------------------------------------------ clients

    def pywikibot_site(self, role: str = "bot") -> Any:
        """A logged-in pywikibot site as the bot ("bot") or the person ("human")."""
        if role not in ("bot", "human"):
            raise ValueError(f"role must be 'bot' or 'human', not {role!r}")
        creds = self._creds()
        return pywiki.site(self.endpoints(), role, creds.bot_secret, creds.human_secret)

    def register_pywikibot(self) -> None:
        """Declare this wiki's families to an already-imported pywikibot."""
        creds = self._creds()
        pywiki.register(self.endpoints(), creds.bot_secret, creds.human_secret)

    def api_session(self, role: str = "human") -> ApiSession:
        """A plain-HTTP API client (no pywikibot) logged in as ``role``."""
        creds = self._creds()
        user, app, secret = (
            (self.human_user, "human", creds.human_secret)
            if role == "human"
            else (self.bot_user, "grantbot", creds.bot_secret)
        )
        session = ApiSession(self.api_url)
        session.login(f"{user}@{app}", secret)
        return session

    def edit_as_human(self, title: str, text: str, summary: str = "") -> int:
        """Save ``text`` as the human account; returns the new revision id."""
        return self.api_session("human").edit(title, text, summary)


class ApiSession:
    """A minimal MediaWiki API client with its own cookies, for "human" edits.

    Independent of pywikibot on purpose: a person's edit in a test must not
    share pywikibot's cookie jar, throttle or caches with the bot under test.
    """

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def call(self, post: bool = False, **params: str) -> dict[str, Any]:
        params = {"format": "json", "formatversion": "2", **params}
        data = urllib.parse.urlencode(params).encode()
        if post:
            request = urllib.request.Request(self.api_url, data=data)
        else:
            request = urllib.request.Request(f"{self.api_url}?{data.decode()}")
        with self._opener.open(request, timeout=30) as response:
            result: dict[str, Any] = json.loads(response.read())
        if "error" in result:
            raise LocalWikiError(f"API error: {result['error'].get('code')}")
        return result

    def token(self, kind: str = "csrf") -> str:
        reply = self.call(action="query", meta="tokens", type=kind)
        return str(reply["query"]["tokens"][f"{kind}token"])

    def login(self, name: str, secret: str) -> None:
        reply = self.call(post=True, action="login", lgname=name, lgpassword=secret,
                          lgtoken=self.token("login"))
        if reply.get("login", {}).get("result") != "Success":
            raise LocalWikiError(f"login as {name.split('@')[0]} failed")

    def edit(self, title: str, text: str, summary: str = "", **extra: str) -> int:
        reply = self.call(post=True, action="edit", title=title, text=text, summary=summary,
                          token=self.token(), **extra)
        edit = reply.get("edit", {})
        if edit.get("result") != "Success":
            raise LocalWikiError(f"edit of {title} failed: {edit}")
        return int(edit.get("newrevid", 0))  # 0: the text was already that
