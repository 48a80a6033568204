"""Cheap reads for incremental sweeps: what changed, and the changed pages.

An unattended bot must cost the wiki almost nothing when nothing changed,
so everything here is shaped around request counts:

* :func:`probe` asks, in ONE ``action=query``, for the server's clock, the
  recent changes in the watched namespaces since the last sweep (the bot's
  account included: a person may edit through it; the sweep skips only the
  revisions the bot saved itself), the changes made to the bot's own pages
  (``User:<bot>/…``: the user namespace is listed too, its other pages
  dropped) and the current text of the bot's control pages (shutoff, run
  requests).  A quiet wiki answers a whole sweep with it.
* :func:`list_pages` discovers grant pages with ``generator=allpages`` and
  ``prop=info`` together: titles and ``lastrevid`` in one request per
  namespace and prefix (5000 a request with ``apihighlimits``).
* :func:`fetch_pages` reads content and revision of many pages at once (500
  a request with ``apihighlimits``); :func:`fetch_contributors` the authors
  of reports (the grantee side), only for the reports that need them.

All of them go through pywikibot's request machinery (retries, maxlag,
throttling) via :func:`query_all`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bots.site import WRITER_VIEW, PageState, WikiSite, wiki_errors, writer_state


@dataclass(frozen=True)
class Change:
    title: str
    namespace: int
    kind: str  # "edit", "new" or "log"
    revid: int | None
    user: str
    timestamp: datetime
    log_type: str | None = None
    rcid: int | None = None  # the recent-changes row: overlapping windows see it twice
    target: str | None = None  # a move's new title


@dataclass(frozen=True)
class Probe:
    server_time: datetime
    changes: tuple[Change, ...]
    control: dict[str, PageState]
    # Changes by others to pages under User:<bot>/ (the bot's own pages), or
    # None when no recent changes were listed (then nothing is known of them).
    own: tuple[Change, ...] | None = None


@dataclass(frozen=True)
class PageInfo:
    title: str
    namespace: int
    page_id: int
    revid: int
    touched: datetime | None
    redirect: bool = False  # what a move leaves behind


def _ts(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)


def _rc_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def query_all(site: WikiSite, **params: str) -> Iterator[dict[str, Any]]:
    """Every batch of an ``action=query``, following ``continue`` to the end."""
    import pywikibot.data.api as api

    cont: dict[str, str] = {}
    while True:
        with site.serial:  # pywikibot may ask for paraminfo while building the request
            data = api.Request(
                site=site.site, parameters={"action": "query", "formatversion": "2", **params, **cont}
            ).submit()
        yield data
        if "continue" not in data:
            return
        cont = {k: str(v) for k, v in data["continue"].items()}


def probe(
    site: WikiSite,
    *,
    since: datetime | None,
    namespaces: Iterable[int],
    control_titles: Iterable[str],
) -> Probe:
    """One request (more only if more than 5000 changes): clock, changes, control pages."""
    params: dict[str, str] = {"curtimestamp": "1"}
    titles = list(control_titles)
    if titles:
        params.update(
            titles="|".join(titles), prop="revisions", rvprop="ids|timestamp|content",
            rvslots="main",
        )
    own_prefix = f"{site.namespace_name(2)}:{site.user}/"
    watched = {int(n) for n in namespaces}
    if since is not None:
        params.update(
            list="recentchanges",
            rcnamespace="|".join(str(n) for n in sorted(watched | {2})),
            rcprop="title|ids|timestamp|user|loginfo",
            rctype="edit|new|log",
            rcdir="newer",
            rcstart=_rc_time(since),
            rclimit="max",
        )
    changes: list[Change] = []
    own: list[Change] = []
    control: dict[str, PageState] = {}
    server_time: datetime | None = None
    with wiki_errors("asking the wiki what changed"):
        for data in query_all(site, **params):
            server_time = server_time or _ts(data.get("curtimestamp"))
            query = data.get("query", {})
            for rc in query.get("recentchanges", []):
                change = _change(rc)
                if change.namespace in watched:
                    changes.append(change)
                elif change.title.startswith(own_prefix):
                    own.append(change)
            for page in query.get("pages", []):
                control[page["title"]] = _control(page)
            # Control pages come once; later batches only continue the change list.
            params.pop("titles", None)
    return Probe(server_time or datetime.now(timezone.utc), tuple(changes), control,
                 tuple(own) if since is not None else None)


def _change(rc: dict[str, Any]) -> Change:
    return Change(
        title=rc["title"], namespace=int(rc["ns"]), kind=rc.get("type", "edit"),
        revid=rc.get("revid") or None, user=rc.get("user", ""),
        timestamp=_ts(rc.get("timestamp")) or datetime.now(timezone.utc),
        log_type=rc.get("logtype"), rcid=rc.get("rcid"),
        target=(rc.get("logparams") or {}).get("target_title") if rc.get("logtype") == "move" else None,
    )


def _control(page: dict[str, Any]) -> PageState:
    revs = page.get("revisions") or []
    if page.get("missing") or not revs:
        return PageState(page["title"], False, "", None, None)
    content = revs[0].get("slots", {}).get("main", {}).get("content", "")
    return PageState(page["title"], True, content, revs[0].get("revid"), revs[0].get("timestamp"))


def list_pages(site: WikiSite, namespace: int, prefix: str = "") -> dict[str, PageInfo]:
    """All pages of ``namespace`` whose title (without namespace) starts with ``prefix``."""
    params = {
        "generator": "allpages", "gapnamespace": str(namespace), "gaplimit": "max",
        "prop": "info",
    }
    if prefix:
        params["gapprefix"] = prefix
    found: dict[str, PageInfo] = {}
    with wiki_errors(f"listing pages in namespace {namespace}"):
        for data in query_all(site, **params):
            for page in data.get("query", {}).get("pages", []):
                if page.get("missing"):
                    continue
                found[page["title"]] = PageInfo(
                    page["title"], int(page["ns"]), int(page["pageid"]), int(page["lastrevid"]),
                    _ts(page.get("touched")), bool(page.get("redirect")),
                )
    return found


def redirect_targets(site: WikiSite, titles: Iterable[str]) -> dict[str, str]:
    """Where each of ``titles`` that is a redirect points (a moved page), 500 titles a
    request; titles that are not redirects are left out."""
    wanted = list(dict.fromkeys(titles))
    out: dict[str, str] = {}
    with wiki_errors("following moved pages"):
        for start in range(0, len(wanted), site.batch_size):
            batch = "|".join(wanted[start : start + site.batch_size])
            for data in query_all(site, titles=batch, redirects="1"):
                out.update({r["from"]: r["to"] for r in data.get("query", {}).get("redirects", [])})
    return out


def read_prefix(site: WikiSite, namespace: int, prefix: str) -> dict[str, str]:
    """Title and text of every page of ``namespace`` starting with ``prefix``, in one request
    (more only past 500 pages): the bot's on-wiki message pages."""
    params = {"generator": "allpages", "gapnamespace": str(namespace), "gapprefix": prefix,
              "gaplimit": "max", "prop": "revisions", "rvprop": "content", "rvslots": "main"}
    found: dict[str, str] = {}
    with wiki_errors("reading the message pages"):
        for data in query_all(site, **params):
            for page in data.get("query", {}).get("pages", []):
                revs = page.get("revisions") or []
                if revs:
                    found[page["title"]] = revs[0].get("slots", {}).get("main", {}).get("content", "")
    return found


def fetch_pages(site: WikiSite, titles: Iterable[str]) -> dict[str, PageState]:
    """Content and latest revision of ``titles``, 500 pages a request (bots).

    Contributors are a separate, smaller request (:func:`fetch_contributors`):
    MediaWiki lists them for at most 100 pages a request, and most pages do
    not need them."""
    wanted = list(dict.fromkeys(titles))
    result: dict[str, PageState] = {}
    size = site.batch_size
    with wiki_errors("reading pages"):
        for start in range(0, len(wanted), size):
            result.update(_fetch_batch(site, wanted[start : start + size]))
    return result


def _fetch_batch(site: WikiSite, batch: list[str]) -> dict[str, PageState]:
    pages: dict[str, dict[str, Any]] = {}
    aliases: dict[str, str] = {}
    params = {"titles": "|".join(batch), "prop": "revisions",
              "rvprop": "ids|timestamp|user|content|contentmodel", "rvslots": "main"}
    for data in query_all(site, **params):
        query = data.get("query", {})
        for norm in query.get("normalized", []):
            aliases[norm["from"]] = norm["to"]
        for page in query.get("pages", []):
            merged = pages.setdefault(page["title"], {})
            for key, value in page.items():
                if not (key == "revisions" and not value):
                    merged.setdefault(key, value)
    out = {title: _fetched(page) for title, page in pages.items()}
    for alias, title in aliases.items():
        if title in out:
            out[alias] = out[title]
    return out


def _fetched(page: dict[str, Any]) -> PageState:
    revs = page.get("revisions") or []
    namespace = int(page.get("ns", 0))
    if page.get("missing") or page.get("invalid") or not revs:
        return PageState(page["title"], False, "", None, None, namespace=namespace)
    rev = revs[0]
    main = rev.get("slots", {}).get("main", {})
    return PageState(
        page["title"], True, main.get("content", ""), rev.get("revid"), rev.get("timestamp"),
        main.get("contentmodel"), namespace=namespace, page_id=page.get("pageid"),
        user=None if rev.get("userhidden") else rev.get("user"), parent=rev.get("parentid"),
    )


def read_bases(site: WikiSite, titles: Iterable[str]) -> dict[str, PageState]:
    """``titles`` as the writer needs them (:data:`bots.site.WRITER_VIEW`: text,
    revision and author, content model, redirect flag, bots/nobots
    transclusions), 500 pages a request for bots, by title as given and as
    normalised: the bases of the writer's saves, whose checks then cost no
    request of their own."""
    wanted = list(dict.fromkeys(titles))
    out: dict[str, PageState] = {}
    with wiki_errors("reading pages"):
        for start in range(0, len(wanted), site.batch_size):
            out.update(_bases_batch(site, wanted[start : start + site.batch_size]))
    return out


def _bases_batch(site: WikiSite, batch: list[str]) -> dict[str, PageState]:
    pages: dict[str, dict[str, Any]] = {}
    aliases: dict[str, str] = {}
    for data in query_all(site, titles="|".join(batch), **WRITER_VIEW):
        query = data.get("query", {})
        aliases.update({n["from"]: n["to"] for n in query.get("normalized", [])})
        for page in query.get("pages", []):
            merged = pages.setdefault(page["title"], {})
            for key, value in page.items():
                if key == "templates":  # continued listings add up
                    merged.setdefault(key, []).extend(value)
                elif key not in merged or (value and not merged[key]):
                    merged[key] = value
    out = {title: writer_state(page) for title, page in pages.items()}
    out.update({alias: out[title] for alias, title in aliases.items() if title in out})
    return out


def fetch_contributors(site: WikiSite, titles: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Contributors of pages already read (MediaWiki answers for 100 pages a request)."""
    wanted = list(dict.fromkeys(titles))
    out: dict[str, list[str]] = {}
    with wiki_errors("reading page contributors"):
        for start in range(0, len(wanted), 100):
            batch = "|".join(wanted[start : start + 100])
            for data in query_all(site, titles=batch, prop="contributors", pclimit="max"):
                for page in data.get("query", {}).get("pages", []):
                    names = out.setdefault(page["title"], [])
                    names += [c["name"] for c in page.get("contributors", []) if "name" in c]
    return {title: tuple(dict.fromkeys(names)) for title, names in out.items()}


def user_groups(site: WikiSite, users: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Group memberships of ``users`` (one request for up to 50 names)."""
    names = list(dict.fromkeys(users))
    result: dict[str, tuple[str, ...]] = {}
    with wiki_errors("reading user groups"):
        for start in range(0, len(names), 50):
            batch = names[start : start + 50]
            for data in query_all(site, list="users", ususers="|".join(batch), usprop="groups"):
                for user in data.get("query", {}).get("users", []):
                    result[user["name"]] = tuple(user.get("groups", ()))
    return result
