"""Which grant a title given by a person names, or why it names none.

``grantbot run --grant``, the on-wiki run requests and ``grantbot status
--grant`` take a title typed by a person.  A typo, a page that is no grant,
or a grant's own page instead of its report must never become a row of
the status page (nor a detail page written over a real grant's, since a
grant's detail page is named after its base title).  So a title is
resolved the way the grant listing sees pages: a report page matching
``[grants]`` (prefixes, report pattern, explicit titles), reached from its
talk page, a subpage of it, or the grant's own page; and on the wiki, it
must exist.  Anything else is refused with the reason in one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bots.changes import fetch_pages, list_pages
from bots.errors import WikiError
from jobs.config import GrantsConfig
from jobs.context import RunContext
from jobs.grants import Grant, GrantNames, grant_for_report, is_report
from jobs.refresh import GRANT_LIST, names_for
from jobs.state.settings import Settings


@dataclass(frozen=True)
class Target:
    """A resolved title: the grant's report page, or why there is none."""

    report: str | None
    why: str = ""


def refused(why: str) -> Target:
    return Target(None, why)


def expected(config: GrantsConfig, names: GrantNames) -> str:
    """What a grant title looks like under this configuration, for messages."""
    where = f"{names.report_ns}:" + (f"{'|'.join(config.prefixes)}..." if config.prefixes else "...")
    return f"a grant report ({where} matching [grants] report_pattern {config.report_pattern!r})"


def report_in(title: str, config: GrantsConfig, names: GrantNames,
              known: Mapping[str, Grant]) -> str | Target:
    """The report ``title`` names without asking the wiki: the report itself,
    its talk page or a subpage of either, or a known grant's own or talk page.
    Returns the base title to look under on the wiki when ``title`` may be a
    grant page the state does not know yet."""
    ns, _, rest = title.partition(":")
    if ns not in (names.report_ns, names.talk_ns) or not rest:
        return refused(f"{title!r} is not in the {names.report_ns} namespace: expected "
                       + expected(config, names))
    for grant in known.values():
        if title in (grant.report_title, grant.talk_title, grant.grant_title):
            return Target(grant.report_title)
    subject = f"{names.report_ns}:{rest}"
    parts = rest.split("/")
    for end in range(len(parts), 0, -1):  # the page, then its parents
        candidate = f"{names.report_ns}:{'/'.join(parts[:end])}"
        if candidate in config.titles or is_report(candidate, config, names):
            return Target(candidate)
    return subject


def resolve_grant(ctx: RunContext, title: str) -> Target:
    """The grant report ``title`` names on the wiki, or why it names none."""
    cfg, names = ctx.config.grants, names_for(ctx)
    try:
        title, _ = ctx.site.normalize(title)
    except WikiError:
        return refused(f"{title!r} is not a valid page title")
    listed = Settings(ctx.state.engine).get(GRANT_LIST) or []  # the last full sweep's grants
    known = {t: grant_for_report(t, cfg, names) for t in listed}
    found = report_in(title, cfg, names, known)
    if isinstance(found, str):
        found = _grant_page(ctx, found, cfg, names)
    if found.report is None:
        return found
    page = fetch_pages(ctx.site, [found.report]).get(found.report)
    if page is None or not page.exists:
        return refused(f"{found.report} does not exist on the wiki")
    return found


def _grant_page(ctx: RunContext, title: str, cfg: GrantsConfig, names: GrantNames) -> Target:
    """A grant's own page: its one report below it on the wiki."""
    _, _, rest = title.partition(":")
    listed = list_pages(ctx.site, cfg.namespace, rest + "/")
    reports = sorted(t for t in listed if is_report(t, cfg, names))
    if len(reports) == 1:
        return Target(reports[0])
    if reports:
        return refused(f"{title} has {len(reports)} reports ({', '.join(reports[:3])}): "
                       "name one of them")
    return refused(f"{title} is not {expected(cfg, names)}, and no report of it exists")


def stored_target(title: str, reports: Iterable[str], config: GrantsConfig,
                  talk_pages: Mapping[str, str]) -> Target:
    """``status --grant``: the grant the state database knows by ``title`` (its
    report, talk or own page), without the wiki; ``talk_pages``: talk page ->
    report, as the state recorded them."""
    known = sorted(reports)
    if title in known:
        return Target(title)
    if title in talk_pages:
        return Target(talk_pages[title])
    for report in known:
        ns = report.partition(":")[0]
        grant = grant_for_report(report, config, GrantNames(ns, ns))
        if title == grant.grant_title or title.startswith(report + "/"):
            return Target(report)
    return refused(f"{title!r} is not a grant the state database knows ({len(known)} grants; "
                   "check the title, or run a sweep first)")
