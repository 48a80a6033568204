"""Page histories: the revisions a blame needs, and who a grant's people are.

MediaWiki lists several revisions of a page only for one page per
request, so :func:`fetch_revisions` asks per talk page, and only for the
revisions after the newest one the state already processed (most sweeps:
one or two, in one request).  Many short histories are cheaper by revision
id: :func:`walk_histories` steps back from each page's newest revision along
the parent ids, one request per step for all pages together.  :func:`report_facts` answers "who wrote this
report, who does it name, which of these accounts are bots?" in ONE query
(revisions, user links and user groups together), asked only when a
reminder is about to be posted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def walk_histories(site: WikiSite, heads: Mapping[str, tuple[Revision, int, int | None]],
                   steps: int = 5) -> dict[str, list[Revision]]:
    """The revisions of many pages newer than each one's ``after``, oldest first,
    walking parent ids back from the newest revision (already read) for all pages
    at once: one request per step back, whatever the number of pages.

    ``heads``: title -> (its newest revision, that revision's parent id, after).
    A page whose walk does not reach ``after`` (or the first revision, for
    None) within ``steps`` requests, or meets a deleted revision, is left out:
    :func:`fetch_revisions` reads it alone."""
    chains = {title: [newest] for title, (newest, _, _) in heads.items()}
    parent = {title: p for title, (_, p, _) in heads.items()}
    stop = {title: after or 0 for title, (_, _, after) in heads.items()}
    lost: set[str] = set()  # a revision on the way is deleted or suppressed
    for _ in range(steps):
        todo = {t: p for t, p in parent.items() if p > stop[t] and t not in lost}
        if not todo:
            break
        found = _revisions_by_id(site, list(todo.values()))
        for title, revid in todo.items():
            if revid in found:
                revision, parent[title] = found[revid]
                chains[title].append(revision)
            else:
                lost.add(title)
    return {t: chains[t][::-1] for t in heads if parent[t] == stop[t] and t not in lost}


def _revisions_by_id(site: WikiSite, revids: list[int]) -> dict[int, tuple[Revision, int]]:
    """Revisions by id, with their parent ids (500 a request for bots)."""
    found: dict[int, tuple[Revision, int]] = {}
    wanted = sorted(set(revids))
    size = site.batch_size
    with wiki_errors("reading page histories"):
        for start in range(0, len(wanted), size):
            params = {"revids": "|".join(map(str, wanted[start : start + size])), "prop": "revisions",
                      "rvprop": "ids|user|timestamp|content", "rvslots": "main"}
            for data in query_all(site, **params):
                for page in data.get("query", {}).get("pages", []):
                    for rev in page.get("revisions", []):
                        found[int(rev["revid"])] = (_revision(rev), int(rev.get("parentid") or 0))
    return found


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
