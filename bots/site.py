"""The bot's connection to a wiki: batched reads, the single write call, error mapping.

Entry points:

* :func:`connect` takes explicit settings (family and code, or a local
  wiki's pywikibot directory; the user name) and returns a :class:`WikiSite`.
  Tests wrap an already logged-in ``pywikibot.Site`` with ``WikiSite(site)``.
* batched reads are :mod:`bots.changes` (500 pages a request for bots with
  ``apihighlimits``, else 50: :attr:`WikiSite.batch_size`);
  :meth:`WikiSite.current` reads one page fresh (text, revision, timestamp,
  content model) bypassing pywikibot's cache, for the writer.
* :meth:`WikiSite.edit` is the only call that writes (``bots.writer`` is its
  only caller).  In simulate mode it refuses outright, so a bug in the writer
  still cannot send a write.
* :func:`wiki_errors` maps pywikibot and transport errors onto
  :mod:`bots.errors` in one place: a refused login becomes one clear
  :class:`LoginError` (no secret in it), timeouts and unreachable servers
  :class:`WikiUnavailableError`.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bots.errors import GrantbotError, LoginError, WikiError, WikiUnavailableError

_LOGIN_CODES = {"failed", "wrongpass", "wrongpassword", "notexists", "login-failed", "aborted"}


@dataclass(frozen=True)
class PageState:
    """One page as the wiki had it when read: the one snapshot type of ``bots/``
    (batched fetches, the probe's control pages, the writer's base)."""

    title: str
    exists: bool
    text: str  # "" when the page does not exist
    revid: int | None
    timestamp: str | None  # ISO timestamp of ``revid`` (the API's basetimestamp)
    content_model: str | None = None
    namespace: int = 0
    page_id: int | None = None
    user: str | None = None  # who saved ``revid`` (batched fetches; None when unknown or hidden)
    parent: int | None = None  # the revision before ``revid`` (0: the page's first revision)
    redirect: bool = False  # the wiki says the page is a redirect (read with WRITER_VIEW)
    # BOTS/NOBOTS: which of Template:Bots and Template:Nobots the wiki says the page
    # transcludes (directly, through a redirect or another template); None: not read.
    exclusion: frozenset[str] | None = None

    @property
    def time(self) -> datetime | None:
        return _parse_ts(self.timestamp) if self.timestamp else None


@dataclass(frozen=True)
class RevisionInfo:
    revid: int
    parentid: int
    user: str
    timestamp: datetime


@contextmanager
def wiki_errors(what: str) -> Iterator[None]:
    """Translate pywikibot/transport failures into grantbot's errors."""
    import pywikibot.exceptions as pe
    import requests

    try:
        yield
    except GrantbotError:
        raise
    except pe.NoUsernameError as exc:
        raise LoginError(f"{what}: login refused ({_first_line(exc)})") from None
    except pe.APIError as exc:
        if str(exc.code).lower() in _LOGIN_CODES:
            raise LoginError(f"{what}: login refused by the wiki ({exc.code})") from None
        if exc.code in {"maxlag", "readonly", "internal_api_error_DBQueryError"}:
            raise WikiUnavailableError(f"{what}: wiki unavailable ({exc.code})") from None
        raise WikiError(f"{what}: the wiki answered {exc.code}: {exc.info}") from None
    except (pe.ApiTimeoutError, pe.ServerError, pe.ApiNotAvailableError) as exc:
        raise WikiUnavailableError(f"{what}: wiki unavailable ({type(exc).__name__})") from None
    except (requests.exceptions.RequestException, ConnectionError, TimeoutError) as exc:
        raise WikiUnavailableError(f"{what}: cannot reach the wiki ({type(exc).__name__})") from None
    except pe.SiteDefinitionError as exc:
        raise WikiError(f"{what}: unknown wiki ({_first_line(exc)})") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def use_pywikibot_dir(pywikibot_dir: Path | str | None) -> None:
    """Point pywikibot at a config directory; effective only before pywikibot's
    first import in this process, since it reads its configuration once."""
    if pywikibot_dir is not None and "pywikibot" not in sys.modules:
        os.environ["PYWIKIBOT_DIR"] = str(Path(pywikibot_dir).resolve())


def connect(
    family: str | None = None,
    code: str | None = None,
    user: str | None = None,
    pywikibot_dir: Path | str | None = None,
    simulate: bool = False,
    login: bool = True,
) -> WikiSite:
    """A logged-in :class:`WikiSite`.

    ``pywikibot_dir`` (a directory with ``user-config.py``) only takes effect
    if pywikibot has not been imported yet in this process: pywikibot reads
    its configuration once, at import.
    """
    use_pywikibot_dir(pywikibot_dir)
    with wiki_errors("connecting to the wiki"):
        import pywikibot

        if simulate:
            # Belt and braces: pywikibot itself then fakes every write request.
            pywikibot.config.simulate = True
        site = pywikibot.Site(code or family, family, user=user)
        if login:
            site.login()
            if not site.logged_in():
                raise LoginError(f"could not log in to {site} as {user or 'the configured user'}")
    return WikiSite(site, simulate=simulate)


class WikiSite:
    """A small wrapper around ``pywikibot.Site`` with the reads the bot needs.

    ``serial`` is held around every request grantbot sends, so that at most one
    is in flight even while the sweep's reader thread fetches the next batch
    ahead (:mod:`jobs.readahead`): the API's etiquette asks for requests in
    series."""

    def __init__(self, site: Any, simulate: bool = False) -> None:
        self.site = site
        self.simulate = simulate
        self.serial = threading.RLock()

    @property
    def user(self) -> str:
        return str(self.site.user() or self.site.username())

    @property
    def language(self) -> str:
        """The wiki's content language (siteinfo ``lang``)."""
        return str(self.site.siteinfo["lang"])

    @property
    def timezone(self) -> tzinfo:
        """The wiki's local time zone (siteinfo), for reading localised signatures."""
        info = self.site.siteinfo
        try:
            return ZoneInfo(str(info["timezone"]))
        except (KeyError, ValueError):
            return timezone(timedelta(minutes=int(info.get("timeoffset", 0) or 0)))

    def namespace_name(self, number: int) -> str:
        """The wiki's own (localised) name of a namespace, e.g. 200 -> "Grants"."""
        return str(self.site.namespaces[number].custom_name)

    @property
    def max_page_bytes(self) -> int:
        """The largest page the wiki stores, in bytes (siteinfo ``maxarticlesize``;
        MediaWiki's default of 2 MiB when the wiki does not say)."""
        try:
            return int(self.site.siteinfo.get("maxarticlesize") or 2 * 1024 * 1024)
        except (KeyError, TypeError, ValueError):
            return 2 * 1024 * 1024

    @property
    def api_url(self) -> str:
        """Where the wiki's API answers (the identity a state database is bound to)."""
        return str(self.site.base_url(self.site.apipath()))

    @property
    def wiki_id(self) -> str:
        """siteinfo ``wikiid`` (e.g. "metawiki")."""
        return str(self.site.siteinfo.get("wikiid") or "")

    def has_extension(self, name: str) -> bool:
        """Whether the wiki runs extension ``name`` (siteinfo ``extensions``, cached by pywikibot)."""
        return bool(self.site.has_extension(name))

    @property
    def batch_size(self) -> int:
        return 500 if self.site.has_right("apihighlimits") else 50

    def page(self, title: str) -> Any:
        import pywikibot

        return pywikibot.Page(self.site, title)

    def normalize(self, title: str) -> tuple[str, int]:
        """The canonical title and namespace number (raises WikiError on a bad title)."""
        import pywikibot.exceptions as pe

        try:
            page = self.page(title)
            return page.title(), page.namespace().id
        except (pe.InvalidTitleError, ValueError) as exc:
            raise WikiError(f"not a valid title: {title!r} ({_first_line(exc)})") from None

    def current(self, title: str) -> PageState:
        """One page, fresh from the wiki (never pywikibot's cached copy), as the
        writer needs it (:data:`WRITER_VIEW`)."""
        with wiki_errors(f"reading {title}"):
            data = self._query(titles=title, **WRITER_VIEW)
        pages = data["query"]["pages"]
        return writer_state(pages[0]) if pages else PageState(title, False, "", None, None)

    def last_text_by(self, title: str, user: str) -> str | None:
        """The text of ``user``'s latest revision of ``title`` (None: they never saved it)."""
        with wiki_errors(f"reading the history of {title}"):
            data = self._query(titles=title, prop="revisions", rvuser=user, rvlimit="1",
                               rvprop="content", rvslots="main")
        revs = data["query"]["pages"][0].get("revisions") or []
        return str(revs[0]["slots"]["main"].get("content", "")) if revs else None

    def exclusion_aliases(self) -> dict[str, str]:
        """Template names that redirect to Template:Bots or Template:Nobots (one
        request): ``{{No bots}}`` is ``{{nobots}}`` when MediaWiki renders it."""
        with wiki_errors("reading the redirects to the bots templates"):
            data = self._query(titles=EXCLUSION_TEMPLATES, prop="redirects", rdlimit="max")
        out = {}
        for page in data["query"]["pages"]:
            kind = page["title"].partition(":")[2].lower()
            for alias in page.get("redirects", []):
                out[alias["title"].partition(":")[2]] = kind
        return out

    def revision(self, revid: int) -> tuple[RevisionInfo, str]:
        """A revision's metadata and text (used to verify what a save really did)."""
        with wiki_errors(f"reading revision {revid}"):
            data = self._query(
                prop="revisions", revids=str(revid), rvprop="ids|user|timestamp|content",
                rvslots="main",
            )
        rev = data["query"]["pages"][0]["revisions"][0]
        info = RevisionInfo(
            rev["revid"], rev.get("parentid", 0), rev.get("user", ""), _parse_ts(rev["timestamp"])
        )
        return info, rev["slots"]["main"].get("content", "")

    def revisions(self, title: str, limit: int = 50) -> tuple[RevisionInfo, ...]:
        """Newest first: who edited the page and when."""
        with wiki_errors(f"reading the history of {title}"):
            data = self._query(
                prop="revisions", titles=title, rvprop="ids|user|timestamp", rvlimit=str(limit)
            )
        revs = data["query"]["pages"][0].get("revisions", [])
        return tuple(
            RevisionInfo(r["revid"], r.get("parentid", 0), r.get("user", ""), _parse_ts(r["timestamp"]))
            for r in revs
        )

    def parse(self, title: str) -> dict[str, Any]:
        """``action=parse`` of a saved page: HTML, categories, templates, links."""
        with wiki_errors(f"parsing {title}"), self.serial:
            req = self.site.simple_request(
                action="parse", page=title, prop="text|categories|templates|links|sections",
                formatversion="2",
            )
            return dict(req.submit()["parse"])

    def edit(self, *, resend: bool = True, **params: Any) -> dict[str, Any]:
        """The one write call: ``action=edit`` with a fresh CSRF token; returns ``edit``.

        ``resend=False`` for edits that are not idempotent (``section=new``):
        pywikibot resends a request whose answer was lost (503, dropped
        connection) although the wiki may already have saved it, which
        would post a section twice; then the transport error is raised at
        once and the caller checks the page.  ``maxlag`` is still retried:
        the wiki refused that request before saving anything."""
        if self.simulate:
            raise GrantbotError("simulate mode: refusing to send a write request")
        import pywikibot.exceptions as pe

        with wiki_errors(f"saving {params.get('title')}"), self.serial:
            params = {k: v for k, v in params.items() if v is not None and v is not False}
            req = self.site.simple_request(
                action="edit", token=self.site.tokens["csrf"], formatversion="2", **params
            )
            if not resend:
                req.max_retries = 0
            try:
                return dict(req.submit()["edit"])
            except pe.APIError as exc:
                if exc.code in EDIT_CONFLICT_CODES:
                    raise EditRaced(exc.code) from None
                if exc.code in REFUSAL_CODES:
                    raise EditRefused(f"{exc.code}: {exc.info}") from None
                raise

    def _query(self, **params: str) -> dict[str, Any]:
        with self.serial:
            return dict(self.site.simple_request(action="query", formatversion="2", **params).submit())


EXCLUSION_TEMPLATES = "Template:Bots|Template:Nobots"
# What the writer reads of a page: text, revision and its author, content model, the
# redirect flag, and whether the page transcludes the bots/nobots templates.
WRITER_VIEW = {
    "prop": "revisions|info|templates", "rvprop": "ids|timestamp|user|content|contentmodel",
    "rvslots": "main", "tltemplates": EXCLUSION_TEMPLATES, "tllimit": "max",
}


def writer_state(page: dict[str, Any]) -> PageState:
    """A page of a :data:`WRITER_VIEW` answer as a :class:`PageState`."""
    exclusion = frozenset(t["title"].partition(":")[2].lower() for t in page.get("templates", []))
    revs = page.get("revisions") or []
    namespace = int(page.get("ns", 0))
    if page.get("missing") or page.get("invalid") or not revs:
        return PageState(page.get("title", ""), False, "", None, None, page.get("contentmodel"),
                         namespace=namespace, exclusion=exclusion)
    rev = revs[0]
    main = rev.get("slots", {}).get("main", {})
    return PageState(
        page["title"], True, main.get("content", ""), rev.get("revid"), rev.get("timestamp"),
        main.get("contentmodel") or page.get("contentmodel"), namespace=namespace,
        page_id=page.get("pageid"), user=None if rev.get("userhidden") else rev.get("user"),
        parent=rev.get("parentid"), redirect=bool(page.get("redirect")), exclusion=exclusion,
    )


EDIT_CONFLICT_CODES = {"editconflict", "articleexists", "missingtitle", "pagedeleted"}
REFUSAL_CODES = {
    "protectedpage", "cascadeprotected", "protectedtitle", "permissiondenied",
    "abusefilter-disallowed", "spamblacklist", "titleblacklist-forbidden", "blocked",
    "customjsonprotected", "mycustomjsonprotected", "noedit", "contenttoobig",
    "invalidjson", "bad-contentmodel",
}


class EditRaced(WikiError):
    """Someone changed, created or deleted the page since we read it."""


class EditRefused(WikiError):
    """The wiki refused this edit (protection, permissions, filters)."""


def _parse_ts(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
