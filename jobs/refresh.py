"""The sweep's first stages: probe and plan, fetch, analyse, save.

The cost model: a quiet sweep is one ``action=query`` (:func:`plan_sweep`
with a watermark) and decides from the state loaded once
(:class:`~jobs.state.bulk.SweepState`); the first sweep, or one after moves
and deletions, lists the namespaces with ``lastrevid`` (a request per
namespace and prefix) and compares with the state.  Content is fetched
only for grants with a changed report or talk page, 500 pages a request,
contributors only for reports the state has no contributors for; each batch
of grants is analysed in memory and saved in one transaction.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bots.changes import Change, Probe, fetch_contributors, fetch_pages, list_pages, probe
from bots.site import PageState
from jobs import moves, watermark
from jobs.context import RunContext
from jobs.grants import Grant, GrantNames, grant_for_report, grants_from_titles, report_for_page
from jobs.serialize import to_json
from jobs.moves import Moves, with_talk_moves
from jobs.state.bulk import PageWrite, SweepState, load_analyses, outdated_titles, save_batch, save_settings
from jobs.state.records import PageRecord
from parsers.analysis import ANALYSIS_VERSION, analyse_talk_page, read_talk_page
from parsers.model import ReportAnalysis, ReviewerItem, TalkAnalysis, TalkPage
from parsers.report import analyse_report_page
from parsers.roles import Roles, normalise_user
from publishing.outcomes import EditOutcome
from publishing.safety import refusal
from parsers.signatures import find_user_links

GRANT_LIST = "sweep.grants"
ANALYSED_WITH = "sweep.analysis-version"  # every stored analysis is this parser's (a clean sweep's)
FAILED = "failed."  # + report title: why the grant could not be processed (None once it could)
TITLE_BYTES = 255  # MediaWiki's limit on a title without its namespace, in UTF-8 bytes


@dataclass(frozen=True)
class Plan:
    grants: dict[str, Grant]  # every grant the status page lists, by report title
    changed: frozenset[str]  # report titles whose pages must be fetched again
    probe: Probe
    listing: str | None = None  # why every page was listed (None: recent changes only)
    changes: tuple[Change, ...] = ()  # the recent changes acted on (not seen before)
    moves: Moves = dataclasses.field(default_factory=Moves)  # pages people moved (followed)


@dataclass(frozen=True)
class Analysed:
    """One grant after this sweep fetched and analysed it (kept in memory)."""

    grant: Grant
    report: ReportAnalysis | None
    talk: TalkAnalysis | None
    contributors: tuple[str, ...] | None  # None: not asked for (nobody but reviewers spoke)
    refusal: str | None = None  # why the talk page does not want the bot's reminders (nobots, opt-out)
    parsed: TalkPage | None = None  # the talk page as read, for verification within the batch

    def slim(self) -> Analysed:
        """What the later stages need once the analysis is saved: open items only
        (answered ones are most of them, and a sweep keeps every grant's), and
        not the parsed page (only the batch's verification reads it)."""
        if self.talk is None:
            return dataclasses.replace(self, parsed=None)
        return dataclasses.replace(self, talk=dataclasses.replace(self.talk, items=self.talk.open_items),
                                   parsed=None)


def names_for(ctx: RunContext) -> GrantNames:
    return GrantNames.for_site(ctx.config.grants, ctx.site.namespace_name)


def plan_sweep(ctx: RunContext, state: SweepState, *, full: bool = False) -> Plan:
    """Probe the wiki (one request) and decide which grants to fetch."""
    reason = watermark.listing_reason(ctx.config, state.settings, ctx.now(), full)
    cfg, names = ctx.config.grants, names_for(ctx)
    result = probe(
        ctx.site, since=None if reason else watermark.since(state.settings),
        namespaces=(cfg.namespace, cfg.talk_namespace),
        control_titles=(ctx.writer.shutoff_title, ctx.config.requests.page),
    )
    changes = tuple(watermark.unseen(result.changes, state.settings, state.pages))
    known = with_talk_moves({t: grant_for_report(t, cfg, names) for t in state.settings.get(GRANT_LIST) or []},
                            state.settings)
    if reason is None and not known:
        reason = "no grant list stored"
    if reason is None and watermark.structural(changes):
        reason = "pages were moved, deleted or imported"
    if reason is not None:
        grants, changed, moves = _full_listing(ctx, state, names, known, changes)
        return Plan(grants, frozenset(changed), result, reason, changes, moves)
    grants = dict(known)
    changed: set[str] = set()
    by_talk = {g.talk_title: g.report_title for g in grants.values()}
    for change in changes:
        if change.kind == "log":
            continue  # a patrol or a protection: the page's text did not change
        report = by_talk.get(change.title) or report_for_page(change.title, cfg, names)
        if report is None:
            continue
        grants.setdefault(report, grant_for_report(report, cfg, names))
        changed.add(report)
    changed |= _stale(ctx, state, grants.values(), changed)
    return Plan(dict(sorted(grants.items())), frozenset(changed), result, None, changes)


def _full_listing(ctx: RunContext, state: SweepState, names: GrantNames, known: Mapping[str, Grant],
                  changes: Iterable[Change]) -> tuple[dict[str, Grant], set[str], Moves]:
    """Every grant the wiki has (redirects left by moves are not grants), with the
    moves since the last listing followed."""
    cfg = ctx.config.grants
    revids: dict[str, int] = {}
    redirects: set[str] = set()
    # With nothing stored, every grant is fetched anyway: talk revisions add nothing.
    for ns in (cfg.namespace, cfg.talk_namespace) if state.pages else (cfg.namespace,):
        for prefix in cfg.prefixes or ("",):
            for title, info in list_pages(ctx.site, ns, prefix).items():
                revids[title] = info.revid
                if info.redirect:
                    redirects.add(title)
    grants = grants_from_titles([t for t in revids if t not in redirects], cfg, names)
    found = moves.find(ctx.site, known, grants, redirects, changes, names.talk_ns)
    grants, remember, found = moves.follow(ctx.state.engine, state.settings, grants, known, found, ctx.now())
    save_settings(ctx.state.engine, remember, ctx.now())
    changed = set()
    for grant in grants.values():
        for title in (grant.report_title, grant.talk_title):
            record = state.pages.get(title)
            if record is None or record.last_revid != revids.get(title):
                changed.add(grant.key)
    changed |= _stale(ctx, state, grants.values(), changed)
    return grants, changed, found


def _stale(ctx: RunContext, state: SweepState, grants: Iterable[Grant], changed: set[str]) -> set[str]:
    """Grants whose stored analysis is missing or from an older parser version
    (asked of the database, not of every grant's record, and only when the last
    clean sweep ran another version: the query reads every stored analysis)."""
    current = state.settings.get(ANALYSED_WITH) == ANALYSIS_VERSION
    outdated = frozenset() if current else outdated_titles(ctx.state.engine, ANALYSIS_VERSION)
    return {grant.key for grant in grants if grant.key not in changed and any(
        title not in state.recorded or title in outdated for title in (grant.report_title, grant.talk_title))}


StoredContributors = tuple[int | None, tuple[str, ...] | None]  # (revision analysed, contributors)


def stored_contributors(ctx: RunContext, state: SweepState, grants: Iterable[Grant]
                        ) -> dict[str, StoredContributors]:
    """What the state knows of the reports' contributors: report title -> (the
    revision analysed, its contributors, None when they were never asked for).
    Read before :func:`fetch`, which may run on a reader thread and reads no state."""
    titles = [g.report_title for g in grants if g.report_title in state.recorded]
    out: dict[str, StoredContributors] = {}
    for title, (revid, data) in load_analyses(ctx.state.engine, titles).items():
        stored = data.get("contributors") if isinstance(data, dict) else None
        out[title] = (revid, None if stored is None else tuple(stored))
    return out


@dataclass(frozen=True)
class Fetched:
    """A batch as read from the wiki: both pages of each grant, the reports' contributors."""

    pages: dict[str, PageState]
    contributors: dict[str, tuple[str, ...]]


def fetch(ctx: RunContext, grants: list[Grant], stored: Mapping[str, StoredContributors]) -> Fetched:
    """Both pages of each grant (reports and talk pages share full batches),
    and the contributors of the reports where they matter.  Wiki reads only
    (``stored``: :func:`stored_contributors`), so the sweep runs it ahead.

    A report's contributors are the grantee side: whom a reminder pings, and
    who answers for the grant.  They change nothing when nobody signed the
    talk page, nor, with reminders off, when every user it links to is a
    reviewer or the bot, unless authorship is verified: verification reads unsigned
    text as its writer's, so it needs every grant's people, and asking now, with
    the batch, spares the second analysis a later answer would force
    (:mod:`jobs.verify`).  They come from the report itself when it has
    one revision, from the state when the report's revision is the one analysed
    before, else from the wiki (100 pages a request)."""
    pages = fetch_pages(ctx.site, [t for g in grants for t in (g.report_title, g.talk_title)])
    roles = Roles.build(ctx.config.roles.reviewers, ctx.config.roles.reviewer_patterns)
    bot = normalise_user(ctx.site.user)
    pings = ctx.config.reminders.enabled
    verifying = ctx.config.safety.verify_authorship
    needed, contributors = [], {}
    for grant in grants:
        report, talk = pages.get(grant.report_title), pages.get(grant.talk_title)
        if report is None or not report.exists or talk is None or not talk.exists:
            continue
        users = {link.user for link in find_user_links(talk.text, ctx.lang)}
        only_reviewers = all(normalise_user(u) == bot or roles.is_reviewer(u) for u in users)
        if not verifying and (not users or (only_reviewers and not pings)):
            continue
        revid, known = stored.get(grant.report_title, (None, None))
        if known is not None and report.revid is not None and report.revid == revid:
            contributors[grant.report_title] = known
        else:
            needed.append(grant.report_title)
    contributors.update(sole_authors(pages, needed))
    needed = [t for t in needed if t not in contributors]
    if needed:
        contributors.update(fetch_contributors(ctx.site, needed))
    return Fetched(pages, contributors)


def sole_authors(pages: Mapping[str, PageState], titles: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Contributors known without asking: a page whose latest revision has no
    parent has one revision, so its one registered author is the whole list
    (what ``prop=contributors`` would answer; an IP or a hidden name is asked for)."""
    found = {}
    for title in titles:
        page = pages.get(title)
        if page is not None and page.parent == 0 and page.user and not _is_ip(page.user):
            found[title] = (page.user,)
    return found


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def grantees_for(ctx: RunContext, grant: Grant, contributors: tuple[str, ...] | None) -> tuple[str, ...]:
    """Configured grantees, else the report page's authors who are not reviewers or bots."""
    configured = ctx.config.roles.grantees.get(grant.report_title)
    if configured:
        return tuple(configured)
    bot = normalise_user(ctx.site.user)
    roles = Roles.build(ctx.config.roles.reviewers, ctx.config.roles.reviewer_patterns)
    return tuple(n for n in contributors or () if normalise_user(n) != bot and not roles.is_reviewer(n))


def title_problems(ctx: RunContext, grants: Iterable[Grant]) -> dict[str, str]:
    """Grants whose detail page title the wiki would refuse.  It is the status page's
    title, a slash and the grant's title, both titles the wiki accepts, so only its
    length can fail: checked by arithmetic (the status page's namespace read once)."""
    grants = list(grants)
    spec = ctx.status_spec
    if not spec.detail_subpages or not grants:
        return {}
    title, namespace = ctx.site.normalize(spec.title)
    stem = title.partition(":")[2] if namespace else title
    out: dict[str, str] = {}
    for grant in grants:
        size = len(f"{stem}/{grant.grant_title}".encode("utf-8"))
        if size > TITLE_BYTES:
            out[grant.key] = (f"its detail page title would be {size} bytes long, over the wiki's "
                              f"limit of {TITLE_BYTES}")
    return out


def first_line(exc: BaseException) -> str:
    """One line about an error, its kind when it has no message (a summary line each)."""
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def analyse_batch(ctx: RunContext, batch: list[Grant], pages: Mapping[str, PageState],
                  contributors: Mapping[str, tuple[str, ...]]) -> tuple[list[Analysed], dict[str, str]]:
    """Each grant analysed on its own: one grant's failure (a configuration
    mistake, a page no rule foresaw) is reported for it and never stops the others."""
    done, failed = [], {}
    for grant in batch:
        try:
            done.append(analyse(ctx, grant, pages.get(grant.report_title), pages.get(grant.talk_title),
                                contributors.get(grant.report_title)))
        except Exception as exc:  # noqa: BLE001 - isolation is the point; the reason is reported
            failed[grant.key] = f"analysis failed: {first_line(exc)}"
    return done, failed


def analyse(ctx: RunContext, grant: Grant, report: PageState | None, talk: PageState | None,
            contributors: tuple[str, ...] | None) -> Analysed:
    """The pure analyses of one grant's two pages (parsers/ as they are)."""
    report_analysis = None
    if report is not None and report.exists:
        report_analysis = analyse_report_page(report.text, title=grant.report_title)
    talk_analysis = parsed = None
    if talk is not None and talk.exists:
        parsed = read_talk_page(talk.text, lang=ctx.lang, tz=ctx.tz)
        talk_analysis = analyse_talk(ctx, grant, talk.text, contributors, parsed=parsed)
    refused = (refusal(talk.text, ctx.site.user, ctx.writer.policy.optout_kind)
               if talk is not None and talk.exists else None)
    return Analysed(grant, report_analysis, talk_analysis, contributors, refused, parsed)


def analyse_talk(ctx: RunContext, grant: Grant, text: str, contributors: tuple[str, ...] | None,
                 adjust: Callable[[TalkPage], TalkPage] | None = None, *,
                 parsed: TalkPage | None = None) -> TalkAnalysis:
    """The talk page's analysis; ``adjust`` rewrites the parsed page (jobs.verify);
    ``parsed``: the page as :func:`read_talk_page` read ``text``, when already read."""
    roles = ctx.config.roles
    return analyse_talk_page(
        text, title=grant.talk_title, lang=ctx.lang, tz=ctx.tz,
        reviewers=roles.reviewers, reviewer_patterns=roles.reviewer_patterns,
        grantees=grantees_for(ctx, grant, contributors), ignored=(ctx.site.user,), adjust=adjust,
        parsed=parsed,
    )


def save(ctx: RunContext, pages: Mapping[str, PageState], done: list[Analysed]) -> dict[str, PageRecord]:
    """One transaction for a batch: both pages of each grant and its items."""
    writes: list[PageWrite] = []
    items: dict[str, tuple[ReviewerItem, ...]] = {}
    for a in done:
        report, talk = pages.get(a.grant.report_title), pages.get(a.grant.talk_title)
        if report is not None:
            writes.append(_page_write(a.grant, report, "report", {
                "report": to_json(a.report),
                "contributors": None if a.contributors is None else list(a.contributors),
                "exists": report.exists}))
        if talk is not None:
            writes.append(_page_write(a.grant, talk, "talk", {
                "talk": to_json(a.talk), "exists": talk.exists, "refusal": a.refusal}))
            items[a.grant.key] = a.talk.items if a.talk else ()
    return save_batch(ctx.state.engine, writes, items, ctx.now())


def _page_write(grant: Grant, page: PageState, kind: str, analysis: object) -> PageWrite:
    title = grant.report_title if kind == "report" else grant.talk_title
    return PageWrite(title, kind, grant.key, page.revid, page.time, page.page_id, analysis,
                     ANALYSIS_VERSION)


def plan_settings(ctx: RunContext, plan: Plan, settings: Mapping[str, Any],
                  edits: Iterable[EditOutcome], clean: bool) -> dict[str, object]:
    """What a complete sweep remembers: the grant list, where the next window starts
    (and the change rows it will see again), the bot's own revisions, the last listing,
    and, when no grant failed (``clean``), that every stored analysis is this parser's."""
    mark, seen = watermark.next_mark((*plan.probe.changes, *(plan.probe.own or ())), plan.probe.server_time)
    out: dict[str, object] = {
        GRANT_LIST: sorted(plan.grants), watermark.WATERMARK: mark.isoformat(), watermark.SEEN: seen,
        watermark.OWN: watermark.own_revisions(settings, edits, ctx.now(), mark),
        ANALYSED_WITH: ANALYSIS_VERSION if clean else None,
    }
    if plan.listing is not None:
        out[watermark.FULL_AT] = ctx.now().isoformat()
        out[watermark.GRANTS_CONFIG] = watermark.grants_digest(ctx.config)
    return out
