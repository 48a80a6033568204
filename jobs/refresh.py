"""Finding what changed, fetching only that, and storing fresh analyses.

The cost model: a quiet sweep is one ``action=query`` (:func:`plan_sweep`
with a watermark); the first sweep, or one after moves and deletions,
lists the namespaces with ``lastrevid`` (a request per namespace and
prefix) and compares with the state; content is fetched only for grants
with a changed report or talk page, 500 pages a request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bots.changes import FetchedPage, Probe, fetch_pages, list_pages, probe
from jobs.context import RunContext
from jobs.grants import Grant, grant_for_report, grants_from_titles, report_for_page
from jobs.serialize import ANALYSIS_VERSION, to_json
from jobs.state.settings import Settings
from parsers.analysis import analyse_talk_page
from parsers.report import analyse_report_page
from parsers.roles import Roles, normalise_user

WATERMARK = "sweep.watermark"
GRANT_LIST = "sweep.grants"
RC_MAX_AGE = timedelta(days=80)  # MediaWiki keeps 90 days of recent changes by default
RC_OVERLAP = timedelta(seconds=2)  # recent-changes timestamps have one-second resolution


@dataclass(frozen=True)
class Plan:
    grants: dict[str, Grant]  # every grant the status page lists, by report title
    changed: frozenset[str]  # report titles whose pages must be fetched again
    probe: Probe
    full: bool  # whether the namespaces were listed


def request_page(ctx: RunContext) -> str:
    return ctx.config.requests.page


def plan_sweep(ctx: RunContext, *, full: bool = False) -> Plan:
    settings = Settings(ctx.state.engine)
    now = ctx.now()
    mark = settings.get(WATERMARK)
    since = datetime.fromisoformat(mark) - RC_OVERLAP if mark and not full else None
    if since is not None and now - since > RC_MAX_AGE:
        since = None
    grants_cfg = ctx.config.grants
    result = probe(
        ctx.site, since=since, namespaces=(grants_cfg.namespace, grants_cfg.talk_namespace),
        control_titles=(ctx.writer.shutoff_title, request_page(ctx)),
    )
    known = {t: grant_for_report(t, grants_cfg) for t in settings.get(GRANT_LIST, [])}
    if since is None or result.structural or not known:
        grants, changed = _full_listing(ctx)
        return Plan(grants, frozenset(changed), result, True)
    grants = dict(known)
    changed: set[str] = set()
    by_talk = {g.talk_title: g.report_title for g in grants.values()}
    for change in result.changes:
        report = by_talk.get(change.title) or report_for_page(change.title, grants_cfg)
        if report is None:
            continue
        grants.setdefault(report, grant_for_report(report, grants_cfg))
        changed.add(report)
    changed |= _stale(ctx, grants.values(), changed)
    return Plan(dict(sorted(grants.items())), frozenset(changed), result, False)


def _full_listing(ctx: RunContext) -> tuple[dict[str, Grant], set[str]]:
    cfg = ctx.config.grants
    revids: dict[str, int] = {}
    for ns in (cfg.namespace, cfg.talk_namespace):
        for prefix in cfg.prefixes or ("",):
            revids.update({t: info.revid for t, info in list_pages(ctx.site, ns, prefix).items()})
    grants = grants_from_titles(revids, cfg)
    seen = ctx.state.pages_seen([t for g in grants.values() for t in (g.report_title, g.talk_title)])
    changed = set()
    for grant in grants.values():
        for title in (grant.report_title, grant.talk_title):
            record = seen.get(title)
            if record is None or record.last_revid != revids.get(title):
                changed.add(grant.key)
    changed |= _stale(ctx, grants.values(), changed)
    return grants, changed


def _stale(ctx: RunContext, grants: Iterable[Grant], changed: set[str]) -> set[str]:
    """Grants whose stored analysis is missing or from an older parser version."""
    stale = set()
    grants = [g for g in grants if g.key not in changed]
    seen = ctx.state.pages_seen([t for g in grants for t in (g.report_title, g.talk_title)])
    for grant in grants:
        for title in (grant.report_title, grant.talk_title):
            record = seen.get(title)
            if record is None:
                stale.add(grant.key)
            elif record.last_revid is not None and record.analysis_version != ANALYSIS_VERSION:
                stale.add(grant.key)
    return stale


def refresh_grants(ctx: RunContext, grants: Iterable[Grant]) -> dict[str, str]:
    """Fetch, analyse and store both pages of each grant; returns problems by grant."""
    grants = list(grants)
    pages = fetch_pages(ctx.site, [g.report_title for g in grants]) if grants else {}
    if grants:
        pages.update(fetch_pages(ctx.site, [g.talk_title for g in grants], contributors=False))
    problems: dict[str, str] = {}
    for grant in grants:
        try:
            store_grant(ctx, grant, pages.get(grant.report_title), pages.get(grant.talk_title))
        except ValueError as exc:  # a configuration mistake (bad pattern, unknown language)
            problems[grant.key] = str(exc)
    return problems


def grantees_for(ctx: RunContext, grant: Grant, report: FetchedPage | None) -> tuple[str, ...]:
    """Configured grantees, else the report page's authors who are not reviewers or bots."""
    configured = ctx.config.roles.grantees.get(grant.report_title)
    if configured:
        return tuple(configured)
    if report is None:
        return ()
    bot = normalise_user(ctx.site.user)
    roles = Roles.build(ctx.config.roles.reviewers, ctx.config.roles.reviewer_patterns)
    return tuple(
        name for name in report.contributors
        if normalise_user(name) != bot and not roles.is_reviewer(name)
    )


def store_grant(
    ctx: RunContext, grant: Grant, report: FetchedPage | None, talk: FetchedPage | None
) -> None:
    now = ctx.now()
    roles = ctx.config.roles
    grantees = grantees_for(ctx, grant, report)
    if report is not None:
        analysis = analyse_report_page(report.text, title=grant.report_title) if report.exists else None
        ctx.state.record_page(
            grant.report_title, kind="report", revid=report.revid, timestamp=report.timestamp,
            now=now, page_id=report.page_id, grant=grant.key,
            analysis={"report": to_json(analysis), "contributors": list(report.contributors),
                      "exists": report.exists},
            analysis_version=ANALYSIS_VERSION,
        )
    if talk is not None:
        analysis = None
        if talk.exists:
            analysis = analyse_talk_page(
                talk.text, title=grant.talk_title, lang=ctx.lang, tz=ctx.tz,
                reviewers=roles.reviewers, reviewer_patterns=roles.reviewer_patterns,
                grantees=grantees, ignored=(ctx.site.user,),
            )
        ctx.state.record_page(
            grant.talk_title, kind="talk", revid=talk.revid, timestamp=talk.timestamp, now=now,
            page_id=talk.page_id, grant=grant.key,
            analysis={"talk": to_json(analysis), "exists": talk.exists},
            analysis_version=ANALYSIS_VERSION,
        )
        ctx.state.record_items(grant.key, analysis.items if analysis else (), now)


def save_plan(ctx: RunContext, plan: Plan) -> None:
    """Remember the grant list and the server time this sweep looked from."""
    settings = Settings(ctx.state.engine)
    now = ctx.now()
    settings.set(GRANT_LIST, sorted(plan.grants), now)
    settings.set(WATERMARK, plan.probe.server_time.isoformat(), now)
