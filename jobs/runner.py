"""One run: discover grants, ask what changed, fetch only that, parse, decide,
render, post only what changed, record state.

Entry points:

* :func:`sweep`: the scheduled (or ``grantbot run``) pass over every grant.
* :func:`run_grant`: ``grantbot run --grant TITLE``, a full refetch of one grant.
* :func:`scheduled_sweep` / :func:`check_requests`: what ``grantbot serve``'s
  jobs call with a config path (see :mod:`jobs.service`).

Leases keep runs apart across processes: ``sweep`` for whole sweeps, and
``grant:<report title>`` around each grant's refresh-and-remind, so a manual
run and a sweep never process the same grant at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bots.errors import GrantbotError, LeaseBusyError, ShutoffError
from bots.metrics import RequestCounter, count_requests
from jobs.context import RunContext, log
from jobs.grants import Grant, grant_for_report
from jobs.publish import Outcomes, load_row, publish_status, remind, reminder_due
from jobs.refresh import Plan, plan_sweep, refresh_grants, save_plan
from jobs.state import RunKind

SWEEP_LEASE = "sweep"
LEASE_TTL = timedelta(minutes=30)
Progress = Callable[[str, int, int], None]  # (stage, done, total)


def grant_lease(report_title: str) -> str:
    return f"grant:{report_title}"


@dataclass
class RunSummary:
    kind: str
    run_id: int | None = None
    grants: int = 0
    fetched: int = 0
    requests: int = 0
    outcomes: Outcomes = field(default_factory=Outcomes)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stopped: bool = False
    result: str = "ok"

    @property
    def edits(self) -> int:
        return self.outcomes.edited

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.outcomes.by_kind().items()))
        out = [
            f"{self.kind}: {self.result}; {self.grants} grants, {self.fetched} refreshed, "
            f"{self.requests} API requests, {self.edits} edits"
            + (f" ({kinds})" if kinds else "") + f", {self.outcomes.reminders} reminders",
        ]
        out += [f"  skipped {s}" for s in self.skipped]
        out += [f"  error: {e}" for e in self.errors]
        return out


def _quiet(stage: str, done: int, total: int) -> None:
    return None


@contextmanager
def _recorded_run(ctx: RunContext, kind: RunKind) -> Iterator[tuple[RunSummary, RequestCounter]]:
    """Start/finish the run record whatever happens; count HTTP requests."""
    run_id = ctx.state.start_run(kind, ctx.now())
    summary = RunSummary(kind.value, run_id)
    with count_requests() as counter:
        try:
            yield summary, counter
        except ShutoffError as exc:
            summary.result, summary.stopped = "shut off", True
            summary.errors.append(str(exc))
        except GrantbotError as exc:
            summary.result = "failed"
            summary.errors.append(str(exc))
            raise
        finally:
            summary.requests = counter.total
            ctx.state.finish_run(
                run_id, ctx.now(), outcome=summary.result, grants=summary.grants,
                api_requests=summary.requests, edits=summary.edits, errors=summary.errors,
            )


def _start_writer(ctx: RunContext, plan: Plan) -> None:
    """Arm the writer from the probe's copy of the shutoff page (no extra request)."""
    page = plan.probe.control.get(ctx.writer.shutoff_title)
    ctx.writer.begin_run((page.exists, page.text) if page else (False, ""))


def sweep(ctx: RunContext, *, full: bool = False, progress: Progress = _quiet,
          kind: RunKind = RunKind.SWEEP) -> RunSummary:
    with _recorded_run(ctx, kind) as (summary, _counter):
        with ctx.leases.hold(SWEEP_LEASE, ctx.holder, LEASE_TTL) as lease:
            plan = plan_sweep(ctx, full=full)
            summary.grants = len(plan.grants)
            _start_writer(ctx, plan)
            changed = [g for key, g in plan.grants.items() if key in plan.changed]
            done = _refresh(ctx, changed, summary, progress, lease.renew)
            if not summary.stopped:
                _remind_all(ctx, plan.grants, summary, progress)
            rows = [load_row(ctx, g) for g in plan.grants.values()]
            progress("publish", 0, 1)
            publish_status(ctx, rows, summary.outcomes)
            progress("publish", 1, 1)
            if not summary.stopped and len(done) == len(changed):
                save_plan(ctx, plan)
    return summary


def _refresh(ctx: RunContext, grants: list[Grant], summary: RunSummary, progress: Progress,
             renew: Callable[[], bool]) -> list[str]:
    """Refresh grants in fetch-sized batches, checking for a stop between batches."""
    done: list[str] = []
    step = max(1, ctx.site.batch_size // 2)  # two pages per grant
    for start in range(0, len(grants), step):
        if ctx.should_stop():
            summary.stopped, summary.result = True, "stopped"
            break
        batch = []
        for grant in grants[start : start + step]:
            if ctx.leases.acquire(grant_lease(grant.key), ctx.holder, LEASE_TTL, ctx.now()):
                batch.append(grant)
            else:
                summary.skipped.append(f"{grant.key}: another run is processing it")
        try:
            problems = refresh_grants(ctx, batch)
        finally:
            for grant in batch:
                ctx.leases.release(grant_lease(grant.key), ctx.holder)
        summary.errors += [f"{k}: {v}" for k, v in problems.items()]
        done += [g.key for g in batch]
        summary.fetched += len(batch)
        progress("fetch", min(start + step, len(grants)), len(grants))
        renew()
    return done


def _remind_all(ctx: RunContext, grants: dict[str, Grant], summary: RunSummary,
                progress: Progress) -> None:
    """Reminders for every grant: the state picks candidates, one batch read
    fetches their talk pages, each is decided again on its page's markers."""
    rows = {key: load_row(ctx, grant) for key, grant in grants.items()}
    due = [g for key, g in grants.items() if reminder_due(ctx, g, rows[key])]
    pages = ctx.site.read_pages([g.talk_title for g in due]) if due else {}
    for n, grant in enumerate(due, 1):
        if ctx.should_stop():
            summary.stopped, summary.result = True, "stopped"
            return
        if not ctx.leases.acquire(grant_lease(grant.key), ctx.holder, LEASE_TTL, ctx.now()):
            summary.skipped.append(f"{grant.key}: another run is processing it (no reminder)")
            continue
        try:
            remind(ctx, grant, rows[grant.key], summary.outcomes, pages.get(grant.talk_title))
        except GrantbotError as exc:
            summary.errors.append(f"{grant.key}: {exc}")
        finally:
            ctx.leases.release(grant_lease(grant.key), ctx.holder)
        progress("remind", n, len(due))


def run_grant(ctx: RunContext, report_title: str, *, wait: float = 0.0,
              kind: RunKind = RunKind.MANUAL) -> RunSummary:
    """Refresh one grant now: full refetch, reminders per policy, status pages."""
    grant = grant_for_report(report_title, ctx.config.grants)
    with _recorded_run(ctx, kind) as (summary, _counter):
        summary.grants = 1
        try:
            with ctx.leases.hold(grant_lease(grant.key), ctx.holder, LEASE_TTL, wait=wait):
                plan = plan_sweep_for_control(ctx)
                _start_writer(ctx, plan)
                summary.errors += list(refresh_grants(ctx, [grant]).values())
                summary.fetched = 1
                remind(ctx, grant, load_row(ctx, grant), summary.outcomes)
        except LeaseBusyError as exc:
            summary.result = "busy"
            summary.errors.append(f"not run: {exc}")
            return summary
        rows = [load_row(ctx, g) for g in known_grants(ctx, extra=grant)]
        publish_status(ctx, rows, summary.outcomes, details_for=[grant.key])
    return summary


def plan_sweep_for_control(ctx: RunContext) -> Plan:
    """Only the control pages (shutoff), for runs that do not sweep."""
    from bots.changes import probe

    result = probe(ctx.site, since=None, namespaces=(),
                   control_titles=(ctx.writer.shutoff_title,))
    return Plan({}, frozenset(), result, False)


def known_grants(ctx: RunContext, extra: Grant | None = None) -> list[Grant]:
    from jobs.refresh import GRANT_LIST
    from jobs.state.settings import Settings

    titles = set(Settings(ctx.state.engine).get(GRANT_LIST, []))
    if extra is not None:
        titles.add(extra.key)
    return [grant_for_report(t, ctx.config.grants) for t in sorted(titles)]


# ---------------------------------------------------------------- service jobs

def scheduled_sweep(config_path: str, should_stop: Callable[[], bool] | None = None) -> Any:
    from jobs.config import load_config
    from jobs.context import open_context

    ctx = open_context(load_config(config_path), should_stop=should_stop or (lambda: False),
                       holder="scheduler")
    try:
        summary = sweep(ctx)
    except LeaseBusyError as exc:
        log.info("sweep not started: %s", exc)
        return None
    finally:
        ctx.state.close()
    for line in summary.lines():
        log.info(line)
    return summary.result


def check_requests(config_path: str, should_stop: Callable[[], bool] | None = None) -> Any:
    from jobs.config import load_config
    from jobs.context import open_context
    from jobs.requests import serve_requests

    ctx = open_context(load_config(config_path), should_stop=should_stop or (lambda: False),
                       holder="scheduler-requests")
    try:
        summaries = serve_requests(ctx)
    finally:
        ctx.state.close()
    for summary in summaries:
        for line in summary.lines():
            log.info(line)
    return len(summaries)
