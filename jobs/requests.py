"""The on-wiki run-request page (``User:<bot>/Run``).

People who may not run the bot from a shell ask for a refresh by adding a
line naming a grant.  ``grantbot serve`` checks every minute, with one
request when nothing changed.

The page as it is now is the queue (never only its last revisions: a busy
page must not lose requests), and who asked is the editor of the revision
that added the line (:func:`parsers.runrequests.carry`, never a signature).
Each request is recorded in the state database as soon as it is seen, so
it is served even if its line goes away, and answered on the page in the
bot's block (done, or refused and why, with a hidden key): a lost state
database therefore never runs a request twice.  Exactly the answered lines
are removed, by position.

While the shutoff page says stop, requests are recorded but neither run
nor answered, and the page is not edited; they are served once it lifts.
One check holds the ``requests`` lease, so two checks never serve the same
request, and all its edits (the runs' and the page's) share
``[safety] max_edits_per_run``: what does not fit waits for the next check.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from bots.changes import fetch_pages, user_groups
from bots.errors import LeaseBusyError, ShutoffError
from bots.history import fetch_revisions
from bots.site import PageState
from bots.writer import Writer
from jobs.context import RunContext
from jobs.state import RequestRecord, RunKind
from jobs.state.settings import Settings
from jobs.sweep import RunSummary, run_grant
from jobs.targets import resolve_grant
from parsers.roles import normalise_user
from parsers.runrequests import (
    Line, Origin, PageRequest, answer_lines, answer_marker, answered_keys, carry,
    page_requests, remove_at, request_key,
)
from publishing.blocks import apply_block
from publishing.safety import shutoff_says_stop

SEEN_REVID = "requests.revid"
LINES = "requests.lines"  # the page's lines with the revision that added each
LEASE = "requests"
LEASE_TTL = timedelta(minutes=30)
MAX_ANSWERS = 50  # answers kept on the page, newest last


@dataclass(frozen=True)
class Answer:
    key: str
    user: str
    target: str
    revid: int | None
    outcome: str


@dataclass
class Check:
    """What one check did: runs, answers, and the edits it may still make."""

    budget: int | None  # edits left for runs; None: no limit
    allowed: set[str]  # normalised names of the users who may request runs
    summaries: list[RunSummary] = dataclasses.field(default_factory=list)
    answers: list[Answer] = dataclasses.field(default_factory=list)
    ran_for: list[str] = dataclasses.field(default_factory=list)
    ignored: list[str] = dataclasses.field(default_factory=list)
    done: dict[str, str] = dataclasses.field(default_factory=dict)  # report -> outcome
    full: bool = False  # the budget ran out: the rest waits


def serve_requests(ctx: RunContext) -> list[RunSummary]:
    """Serve what allowed users asked for; answer every request on the page."""
    title = ctx.config.requests.page
    pages = fetch_pages(ctx.site, [title, ctx.writer.shutoff_title])
    page, shutoff = pages.get(title), pages.get(ctx.writer.shutoff_title)
    settings = Settings(ctx.state.engine)
    if page is None or not page.exists:
        return []
    if page.revid == settings.get(SEEN_REVID) and not ctx.state.pending_requests():
        return []
    try:
        with ctx.leases.hold(LEASE, ctx.holder, LEASE_TTL):
            stop = shutoff is not None and shutoff_says_stop(shutoff.exists, shutoff.text)
            return _check(ctx, settings, page, stop)
    except LeaseBusyError as exc:
        ctx.note(f"run requests not checked now: {exc}")
        return []


def _check(ctx: RunContext, settings: Settings, page: PageState, stop: bool) -> list[RunSummary]:
    lines, revid = _attributed(ctx, settings, page)
    bot = normalise_user(ctx.site.user)
    on_page = [r for r in page_requests(lines)
               if r.origin.user is not None and normalise_user(r.origin.user) != bot]
    queued = _queue(ctx, on_page, answered_keys("\n".join(x.text for x in lines)))
    if stop:
        ctx.note(f"run requests: {ctx.writer.shutoff_title} says stop; "
                 f"{len(ctx.state.pending_requests())} request(s) wait for it to lift")
        return []
    pending = ctx.state.pending_requests()
    check = Check(_run_budget(ctx), _allowed_users(ctx, {r.requested_by for r in pending}))
    for record in pending:
        if ctx.should_stop() or check.full:
            break
        _serve_one(ctx, record, check)
    waiting = {r.id for r in ctx.state.pending_requests()}
    remove = [index for index, record_id in queued if record_id not in waiting]
    new_revid = _tidy(ctx, lines, remove, check)
    settings.set(SEEN_REVID, new_revid or revid, ctx.now())
    return check.summaries


def _attributed(ctx: RunContext, settings: Settings,
                page: PageState) -> tuple[tuple[Line, ...], int | None]:
    """The page's lines with who added each, and the revision they are of: read
    from the history after the revision the state last processed (all of it
    with a fresh state)."""
    stored = settings.get(LINES) or {}
    last: int | None = stored.get("revid")
    lines = tuple(Line(t, Origin(r, u, datetime.fromisoformat(at)))
                  for t, r, u, at in stored.get("lines", []))
    if last == page.revid:
        return lines, last
    revisions = fetch_revisions(ctx.site, page.title, after=last)
    if revisions and last is not None and revisions[0].revid <= last:
        lines = ()  # the stored revision is gone: the whole history was read
    for rev in revisions:
        lines = carry(lines, rev.text, Origin(rev.revid, rev.user, rev.timestamp))
    if revisions:
        last = revisions[-1].revid
        settings.set(LINES, {"revid": last, "lines": [
            [x.text, x.origin.revid, x.origin.user, x.origin.at.isoformat()] for x in lines]},
            ctx.now())
    return lines, last


def _queue(ctx: RunContext, on_page: list[PageRequest],
           answered: frozenset[str]) -> list[tuple[int, int]]:
    """Record every request on the page (the same user asking for the same
    grant in the same second is one request); those the page already
    answered (a state database lost since) are recorded as served.
    Returns (line number, request id) for each request line."""
    queued: list[tuple[int, int]] = []
    for request in on_page:
        assert request.origin.user is not None
        record, _new = ctx.state.record_request(
            request.origin.user, request.title, request.origin.at, ctx.now(),
            source_revid=request.origin.revid)
        if record.served_at is None and request.key in answered:
            ctx.state.serve_request(record.id, ctx.now(), "answered on the page earlier")
        queued.append((request.index, record.id))
    return queued


def _run_budget(ctx: RunContext) -> int | None:
    """Edits the runs of one check may make: the run's cap, less one for the page's answer."""
    cap = ctx.config.safety.max_edits_per_run
    return None if cap == 0 else max(cap - 1, 0)


def _serve_one(ctx: RunContext, record: RequestRecord, check: Check) -> None:
    """Run one queued request (or refuse it) and record the answer."""
    run_id = None
    if normalise_user(record.requested_by) not in check.allowed:
        outcome = f"refused: {record.requested_by} may not request runs"
        check.ignored.append(record.requested_by)
    else:
        target = resolve_grant(ctx, record.target)
        if target.report is None:
            outcome = f"refused: {target.why}"
        elif target.report in check.done:
            outcome = check.done[target.report]
        else:
            summary = _run(ctx, target.report, check)
            if summary is None:
                return  # stays queued: the check's edits ran out, or the wiki said stop
            outcome, run_id = f"done: run {summary.run_id} {summary.result}", summary.run_id
            check.done[target.report] = outcome
            check.ran_for.append(f"{record.requested_by} ({target.report})")
    ctx.state.serve_request(record.id, ctx.now(), outcome, run_id)
    ctx.note(f"run request from {record.requested_by} for {record.target}: {outcome}")
    key = request_key(record.source_revid, record.target)
    check.answers.append(Answer(key, record.requested_by, record.target, record.source_revid, outcome))


def _run(ctx: RunContext, report: str, check: Check) -> RunSummary | None:
    """``run_grant`` with what is left of the check's edit budget; None when it
    could not do its work (budget spent, shut off, grant busy): run it later."""
    if check.budget is not None and check.budget <= 0:
        check.full = True
        return None
    policy = dataclasses.replace(ctx.writer.policy, max_edits=check.budget or 0)
    run_ctx = dataclasses.replace(ctx, writer=Writer(ctx.site, policy))
    summary = run_grant(run_ctx, report, wait=60.0, kind=RunKind.REQUEST)
    check.summaries.append(summary)
    if check.budget is not None:
        check.budget -= run_ctx.writer.edits
        if run_ctx.writer.stopped and run_ctx.writer.edits >= policy.max_edits:
            check.full = True
            return None
    if summary.result in ("shut off", "busy"):
        check.full = summary.result == "shut off"
        return None
    return summary


def _allowed_users(ctx: RunContext, users: set[str]) -> set[str]:
    cfg = ctx.config.requests
    allowed = {normalise_user(u) for u in cfg.allowed_users}
    unknown = [u for u in users if normalise_user(u) not in allowed]
    if unknown and cfg.allowed_groups:
        groups = user_groups(ctx.site, unknown)
        allowed |= {normalise_user(u) for u, g in groups.items()
                    if set(g) & set(cfg.allowed_groups)}
    return allowed


def answer_text(answer: Answer) -> str:
    """One answer line: who asked for what in which revision, and what came of it."""
    revision = f"[[Special:Diff/{answer.revid}|revision {answer.revid}]]" if answer.revid else "?"
    target = answer.target.replace("<", "&lt;")
    return (f"* <nowiki>{target}</nowiki> asked by [[User:{answer.user}|{answer.user}]] "
            f"({revision}): {answer.outcome} {answer_marker(answer.key)}")


def answers_block(text: str, answers: list[Answer]) -> str:
    """The bot's block of the run page: the newest answers, old ones first."""
    kept = (answer_lines(text) + [answer_text(a) for a in answers])[-MAX_ANSWERS:]
    return "\n".join(["Answers to run requests (newest last):", *kept])


def _tidy(ctx: RunContext, lines: tuple[Line, ...], remove: list[int], check: Check) -> int | None:
    """Remove exactly the handled lines and add the answers, in one edit
    (none while the shutoff page says stop)."""
    if not remove and not check.answers:
        return None
    try:
        ctx.writer.begin_run()
    except ShutoffError as exc:
        ctx.note(f"run requests: not answered on the page now ({exc})")
        return None
    base = "\n".join(x.text for x in lines)
    parts = []
    if check.ran_for:
        parts.append("ran for " + ", ".join(check.ran_for))
    if check.ignored:
        parts.append("ignored requests from " + ", ".join(sorted(set(check.ignored)))
                     + " (not allowed)")
    refused = sum(a.outcome.startswith("refused") for a in check.answers) - len(check.ignored)
    if refused:
        parts.append(f"refused {refused} (see the answers)")
    summary = "Run requests: " + ("; ".join(parts) or "removed handled lines")
    outcome = ctx.writer.rewrite(
        ctx.config.requests.page,
        lambda text: apply_block(remove_at(text, base, remove), answers_block(text, check.answers)),
        summary)
    return outcome.revid
