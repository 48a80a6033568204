"""Page histories: the revisions a blame needs, and who a grant's people are.

MediaWiki returns several revisions of a page only for one page per
request, so :func:`fetch_revisions` asks per talk page, and only for the
revisions after the newest one the state already processed (most sweeps:
one or two, in one request).  :func:`report_facts` answers "who wrote this
report, who does it name, which of these accounts are bots?" in ONE query
(revisions, user links and user groups together), asked only when a
reminder is about to be posted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bots.changes import query_all
from bots.errors import WikiError
from bots.site import WikiSite, wiki_errors
from parsers.authorship import ReportEdit
from parsers.blame import Revision


@dataclass(frozen=True)
class ReportFacts:
    edits: tuple[ReportEdit, ...]  # oldest first
    named: tuple[str, ...]  # accounts whose user pages the report links
    bots: frozenset[str]  # of the accounts asked about, those in the group "bot"


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)


def _revision(rev: dict[str, Any]) -> Revision:
    content = rev.get("slots", {}).get("main", {}).get("content", "")
    user = None if rev.get("userhidden") else rev.get("user")
    return Revision(int(rev["revid"]), user, _time(rev["timestamp"]), content or "")


def fetch_revisions(site: WikiSite, title: str, after: int | None = None) -> list[Revision]:
    """The revisions of ``title`` newer than ``after`` (all of them when None), oldest first.

    If ``after`` no longer exists (deleted, suppressed) the whole history is read."""
    params = {"titles": title, "prop": "revisions", "rvprop": "ids|user|timestamp|content",
              "rvslots": "main", "rvlimit": "max", "rvdir": "newer"}
    if after is not None:
        params["rvstartid"] = str(after)
    found: list[Revision] = []
    try:
        with wiki_errors(f"reading the history of {title}"):
            for data in query_all(site, **params):
                for page in data.get("query", {}).get("pages", []):
                    found += [_revision(r) for r in page.get("revisions", [])]
    except WikiError:
        if after is None:
            raise
        return fetch_revisions(site, title)
    return [r for r in found if after is None or r.revid > after]


def report_facts(site: WikiSite, title: str, users: Iterable[str]) -> ReportFacts:
    """The report's edits (sizes and flags, no content), the accounts it links, and
    which of ``users`` are bots: one query, more only for very long histories."""
    names = list(dict.fromkeys(users))[:50]
    params = {"titles": title, "prop": "revisions|links", "rvprop": "ids|user|size|flags",
              "rvlimit": "max", "rvdir": "newer", "plnamespace": "2", "pllimit": "max"}
    if names:
        params.update(list="users", ususers="|".join(names), usprop="groups")
    revisions: list[dict[str, Any]] = []
    named: list[str] = []
    bots: set[str] = set()
    with wiki_errors(f"reading who wrote {title}"):
        for data in query_all(site, **params):
            query = data.get("query", {})
            for page in query.get("pages", []):
                revisions += page.get("revisions", [])
                named += [link["title"].split(":", 1)[-1] for link in page.get("links", [])]
            bots |= {u["name"] for u in query.get("users", []) if "bot" in u.get("groups", ())}
    return ReportFacts(_edits(revisions), tuple(dict.fromkeys(named)), frozenset(bots))


def _edits(revisions: list[dict[str, Any]]) -> tuple[ReportEdit, ...]:
    edits, size = [], 0
    for n, rev in enumerate(sorted(revisions, key=lambda r: r["revid"])):
        new = int(rev.get("size", 0))
        user = None if rev.get("userhidden") else rev.get("user")
        edits.append(ReportEdit(user, max(new - size, 0), bool(rev.get("minor")), n == 0))
        size = new
    return tuple(edits)
