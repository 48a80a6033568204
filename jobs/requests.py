"""The on-wiki run-request page (``User:<bot>/Run``).

People who may not run the bot from a shell ask for a refresh by adding a
line naming a grant.  Checked every minute by ``grantbot serve`` with one
request when nothing changed.  Who asked is read from the page history,
not from a signature (signatures can be typed by anyone): each revision's
added lines belong to that revision's author.  Requests from users who are
neither listed nor in an allowed group are logged and removed, not run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bots.changes import user_groups
from jobs.context import RunContext
from jobs.grants import is_report, report_for_page
from jobs.refresh import names_for
from jobs.state import RunKind
from jobs.state.bulk import load_sweep_state
from jobs.sweep import RunSummary, known_grants, run_grant
from jobs.state.settings import Settings
from parsers.roles import normalise_user
from parsers.runrequests import added_lines, parse_request_line, remove_lines

SEEN_REVID = "requests.revid"
MAX_REVISIONS = 50


@dataclass(frozen=True)
class Asked:
    user: str
    line: str
    target: str  # as written (normalised title)
    at: datetime
    revid: int


def serve_requests(ctx: RunContext) -> list[RunSummary]:
    """Run what allowed users asked for since the last check; tidy the page."""
    settings = Settings(ctx.state.engine)
    title = ctx.config.requests.page
    page = ctx.site.current(title)
    last = settings.get(SEEN_REVID)
    if not page.exists or page.revid == last:
        return []
    asked = _asked_since(ctx, title, last)
    allowed = _allowed_users(ctx, {a.user for a in asked})
    summaries: list[RunSummary] = []
    handled: set[str] = set()
    ran_for: list[str] = []
    ignored: list[str] = []
    for request in asked:
        record, new = ctx.state.record_request(
            request.user, request.target, request.at, ctx.now(), source_revid=request.revid
        )
        handled.add(request.line)
        if not new and record.served_at is not None:
            continue
        report = resolve_target(ctx, request.target)
        run_id = None
        if normalise_user(request.user) not in allowed:
            outcome = f"ignored: {request.user} may not request runs"
            ignored.append(request.user)
        elif report is None:
            outcome = f"ignored: {request.target} is not a watched grant report"
        else:
            summary = run_grant(ctx, report, wait=60.0, kind=RunKind.REQUEST)
            summaries.append(summary)
            outcome, run_id = f"{summary.result}: {report}", summary.run_id
            ran_for.append(f"{request.user} ({report})")
        ctx.state.serve_request(record.id, ctx.now(), outcome, run_id)
        ctx.note(f"run request from {request.user} for {request.target}: {outcome}")
    new_revid = _tidy(ctx, title, handled, ran_for, ignored) or page.revid
    settings.set(SEEN_REVID, new_revid, ctx.now())
    return summaries


def resolve_target(ctx: RunContext, target: str) -> str | None:
    """The report title a request names (report, its talk page, or the grant page)."""
    cfg, names = ctx.config.grants, names_for(ctx)
    if is_report(target, cfg, names):
        return target
    report = report_for_page(target, cfg, names)
    if report:
        return report
    if target.startswith(names.report_ns + ":"):
        for grant in known_grants(ctx, load_sweep_state(ctx.state.engine)).values():
            if grant.grant_title == target:
                return grant.key
    return None


def _asked_since(ctx: RunContext, title: str, last: int | None) -> list[Asked]:
    """Request lines added after revision ``last``, with who added them."""
    history = [r for r in ctx.site.revisions(title, limit=MAX_REVISIONS)
               if last is None or r.revid > last]
    asked: list[Asked] = []
    for rev in reversed(history):  # oldest first
        before = _text_of(ctx, rev.parentid) if rev.parentid else ""
        _, after = ctx.site.revision(rev.revid)
        for line in added_lines(before, after):
            request = parse_request_line(line)
            if request is not None and rev.user != ctx.site.user:
                asked.append(Asked(rev.user, line, request.title, rev.timestamp, rev.revid))
    return asked


def _text_of(ctx: RunContext, revid: int) -> str:
    _, text = ctx.site.revision(revid)
    return text


def _allowed_users(ctx: RunContext, users: set[str]) -> set[str]:
    cfg = ctx.config.requests
    allowed = {normalise_user(u) for u in cfg.allowed_users}
    unknown = [u for u in users if normalise_user(u) not in allowed]
    if unknown and cfg.allowed_groups:
        groups = user_groups(ctx.site, unknown)
        allowed |= {normalise_user(u) for u, g in groups.items()
                    if set(g) & set(cfg.allowed_groups)}
    return allowed


def _tidy(ctx: RunContext, title: str, handled: set[str], ran_for: list[str],
          ignored: list[str]) -> int | None:
    """Remove the handled lines; the summary says for whom the bot ran."""
    if not handled:
        return None
    parts = []
    if ran_for:
        parts.append("ran for " + ", ".join(ran_for))
    if ignored:
        parts.append("ignored requests from " + ", ".join(sorted(set(ignored)))
                     + " (not allowed)")
    summary = "Run requests: " + ("; ".join(parts) or "removed handled lines")
    outcome = ctx.writer.rewrite(title, lambda text: remove_lines(text, handled), summary)
    return outcome.revid

