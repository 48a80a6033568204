"""One run as typed stages over state loaded once.

    load state (3 queries) -> probe + plan (1 request when quiet) -> lease the
    changed grants (one transaction) -> fetch (500 pages a request; the next
    batch and its histories read while this one is analysed) -> analyse (in
    memory) -> save (one transaction per batch) -> reminders -> render and write
    the status output (only if its inputs moved) -> save the watermark and the
    grant list

Entry points: :func:`sweep` (scheduled or ``grantbot run``) and
:func:`run_grant` (``grantbot run --grant TITLE``, a full refetch of one
grant).  Leases keep runs apart across processes: ``sweep`` for whole
sweeps, and ``grant:<report title>`` around each grant's refresh and
reminder, so a manual run and a sweep never process the same grant at once.
"""

from __future__ import annotations

import dataclasses
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bots.changes import Probe, probe
from bots.errors import GrantbotError, LeaseBusyError, ShutoffError
from bots.metrics import RequestCounter, count_requests
from jobs import readahead, refresh, remind, retire, verify, watermark
from jobs.context import RunContext
from jobs.grants import Grant, grant_for_report
from jobs.leases import HeldLease
from jobs.moves import with_talk_moves
from jobs.publish import Outcomes, publish
from jobs.refresh import Analysed, Fetched, Plan, plan_settings, plan_sweep
from jobs.state import RunKind
from jobs.state.bulk import SweepState, load_sweep_state, save_settings
from jobs.state.records import PageRecord
from jobs.verify import Histories

SWEEP_LEASE = "sweep"
# A live run's leases are renewed by a heartbeat (database time, every ttl/4),
# so a run that died anywhere frees its sweep and its grants a few minutes later.
LEASE_TTL = timedelta(minutes=5)
BATCH = 500  # grants fetched, analysed and saved together (1000 pages)
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
    failed: dict[str, str] = field(default_factory=dict)  # grant -> why it could not be processed
    notes: list[str] = field(default_factory=list)  # what an operator should know (not errors)
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
        out += [f"  {n}" for n in self.notes]
        out += [f"  skipped {s}" for s in self.skipped]
        out += [f"  error: {e}" for e in self.errors]
        return out

    def stop(self) -> None:
        self.stopped, self.result = True, "stopped"

    def could_not_process(self, failed: dict[str, str]) -> None:
        """Grants that failed on their own: reported, the others carry on."""
        self.failed.update(failed)
        self.fail_on([f"{key}: could not be processed: {why}" for key, why in sorted(failed.items())])

    def fail_on(self, errors: list[str]) -> None:
        """Errors of the output stage make the run's result say so, never "ok"."""
        self.errors += errors
        if errors and self.result == "ok":
            self.result = "errors"


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


def _start_writer(ctx: RunContext, found: Probe) -> None:
    """Arm the writer from the probe's copy of the shutoff page (no extra request)."""
    page = found.control.get(ctx.writer.shutoff_title)
    ctx.writer.begin_run((page.exists, page.text) if page else (False, ""))


# ------------------------------------------------------------- the lease seam

def _hold(lease: HeldLease, grants: list[Grant], summary: RunSummary, why: str = "") -> list[Grant]:
    """The grants whose leases this run obtained (one transaction for all), under
    the sweep's lease: same holder and heartbeat, database time."""
    if not grants:
        return []
    held = lease.hold_many([grant_lease(g.key) for g in grants])
    for grant in grants:
        if grant_lease(grant.key) not in held:
            summary.skipped.append(f"{grant.key}: another run is processing it{why}")
    return [g for g in grants if grant_lease(g.key) in held]


def _release(lease: HeldLease, grants: list[Grant]) -> None:
    if grants:
        lease.release_many([grant_lease(g.key) for g in grants])


# ------------------------------------------------------------------ stages

def _refresh(ctx: RunContext, state: SweepState, grants: list[Grant], summary: RunSummary,
             progress: Progress, lease: HeldLease) -> tuple[dict[str, Analysed], dict[str, PageRecord]]:
    """Fetch, analyse and save the changed grants, a batch at a time; the next
    batch is read while this one is analysed (:mod:`jobs.readahead`), its leases
    held before its read and given back if the sweep stops or fails."""
    fresh: dict[str, Analysed] = {}
    records: dict[str, PageRecord] = {}
    batches = [grants[start : start + BATCH] for start in range(0, len(grants), BATCH)]
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grantbot-read")
    ahead: readahead.Reading | None = None
    try:
        for n, batch in enumerate(batches):
            if ctx.should_stop():
                summary.stop()
                break
            reading = ahead or readahead.start(ctx, state, reader, _hold(lease, batch, summary))
            ahead = None
            try:
                if n + 1 < len(batches):
                    ahead = readahead.start(ctx, state, reader, _hold(lease, batches[n + 1], summary))
                done = _process(ctx, state, reading.grants, records, summary, reading.pages.result(),
                                reading.histories)
            finally:
                _release(lease, reading.grants)
            fresh.update({a.grant.key: a.slim() for a in done})
            summary.fetched += len(reading.grants)
            progress("fetch", min((n + 1) * BATCH, len(grants)), len(grants))
            lease.renew()
    finally:
        reader.shutdown(wait=True, cancel_futures=True)
        if ahead is not None:
            _release(lease, ahead.grants)
    return fresh, records


def _process(ctx: RunContext, state: SweepState, batch: list[Grant], records: dict[str, PageRecord],
             summary: RunSummary, fetched: Fetched, histories: Future[Histories] | None = None) -> list[Analysed]:
    """Analyse, verify and save one fetched batch; each grant fails on its own
    (reported in the summary and remembered for the status page).  ``histories``:
    talk-page histories being read ahead (asked for after the analysis)."""
    problems = refresh.title_problems(ctx, batch)
    pages = fetched.pages
    done, failed = refresh.analyse_batch(ctx, batch, pages, fetched.contributors)
    done, unverified = verify.verify_batch(ctx, pages, done, histories.result() if histories else None)
    records.update(refresh.save(ctx, pages, done))
    failed = {**failed, **unverified, **problems}
    summary.could_not_process(failed)
    save_settings(ctx.state.engine, _failures(state.settings, failed, [a.grant.key for a in done]),
                  ctx.now())
    return done


def _failures(settings: Mapping[str, Any], failed: Mapping[str, str], processed: Iterable[str]) -> dict[str, Any]:
    """The settings that remember which grants failed, and forget those that no longer do."""
    out: dict[str, Any] = {refresh.FAILED + k: why for k, why in failed.items()}
    out.update({refresh.FAILED + k: None for k in processed
                if k not in failed and settings.get(refresh.FAILED + k)})
    return out


def _remembering(state: SweepState, failed: Mapping[str, str], fresh: Mapping[str, Analysed]) -> SweepState:
    """The state as the output stage must see it: with this run's failures."""
    return dataclasses.replace(state, settings={**state.settings, **_failures(state.settings, failed, fresh)})


def _retiring(ctx: RunContext, state: SweepState, plan: Plan, summary: RunSummary) -> SweepState:
    """Grants that left the list are remembered with why (their pages will say so),
    grants that came back are forgotten."""
    changes = retire.dropped(state.settings, state.settings.get(refresh.GRANT_LIST) or [], plan.grants,
                             ctx.config.grants, refresh.names_for(ctx), plan.moves.reports)
    if not changes:
        return state
    save_settings(ctx.state.engine, changes, ctx.now())
    summary.notes += [f"no longer followed: {k[len(retire.RETIRED):]}: {v['why']}"
                      for k, v in sorted(changes.items()) if v]
    return dataclasses.replace(state, settings={**state.settings, **changes})


def _reminders(ctx: RunContext, state: SweepState, grants: dict[str, Grant], pages: MutableMapping[str, PageRecord],
               fresh: dict[str, Analysed], summary: RunSummary, lease: HeldLease) -> None:
    found = remind.due(ctx, state, remind.candidates(ctx, state, grants, pages), fresh, pages)
    held = _hold(lease, [g for g, _ in found], summary, " (no reminder)")
    try:
        remind.remind_all(ctx, state, [(g, t) for g, t in found if g in held],
                          summary.outcomes, summary.errors)
    finally:
        _release(lease, held)
    if ctx.should_stop():
        summary.stop()


def _after_reminders(state: SweepState, pages: MutableMapping[str, PageRecord], out: Outcomes) -> SweepState:
    """The state as the output stage must see it: with this run's reminders."""
    pages.update(out.pages)
    merged = dict(state.reminders)
    for record in out.posted:
        merged[record.grant] = (*merged.get(record.grant, ()), record)
    return dataclasses.replace(state, reminders=merged)


def sweep(ctx: RunContext, *, full: bool = False, progress: Progress = _quiet,
          kind: RunKind = RunKind.SWEEP) -> RunSummary:
    with _recorded_run(ctx, kind) as (summary, _counter):
        with ctx.leases.hold(SWEEP_LEASE, ctx.holder, LEASE_TTL) as lease:
            state, plan = _plan(ctx, full, summary)
            _start_writer(ctx, plan.probe)
            changed = [g for key, g in plan.grants.items() if key in plan.changed]
            fresh, records = _refresh(ctx, state, changed, summary, progress, lease)
            state = _remembering(state, summary.failed, fresh)
            pages = ChainMap(records, state.pages)  # the stored records are read only if needed
            if not summary.stopped:
                _reminders(ctx, state, plan.grants, pages, fresh, summary, lease)
            state = _after_reminders(state, pages, summary.outcomes)
            progress("publish", 0, 1)
            summary.fail_on(publish(ctx, state, plan.grants, pages, fresh, summary.outcomes,
                                    touched=watermark.not_seen(plan.probe.own, state.settings)))
            progress("publish", 1, 1)
            if not summary.stopped and summary.fetched == len(changed):
                save_settings(ctx.state.engine, plan_settings(ctx, plan, state.settings, summary.outcomes.edits,
                                                              clean=not summary.failed), ctx.now())
            else:
                _remember_own(ctx, state, summary.outcomes)
    return summary


def _plan(ctx: RunContext, full: bool, summary: RunSummary) -> tuple[SweepState, Plan]:
    """The state and the plan; the summary says why every page was listed and what moved."""
    state = load_sweep_state(ctx.state.engine)
    plan = plan_sweep(ctx, state, full=full)
    summary.grants = len(plan.grants)
    if plan.listing:
        summary.notes.append(f"listed every grant page: {plan.listing}")
    summary.notes += plan.moves.notes()
    if plan.moves.reports or plan.moves.talks:
        state = load_sweep_state(ctx.state.engine)  # the moved grants' state was re-keyed
    if plan.changed:  # records as they were before this sweep saves new ones
        state = state.eager()
    return _retiring(ctx, state, plan, summary), plan


def run_grant(ctx: RunContext, report_title: str, *, wait: float = 0.0,
              kind: RunKind = RunKind.MANUAL) -> RunSummary:
    """Refresh one grant now: full refetch, reminders per policy, status pages."""
    names = refresh.names_for(ctx)
    grant = grant_for_report(report_title, ctx.config.grants, names)
    with _recorded_run(ctx, kind) as (summary, _counter):
        summary.grants = 1
        try:
            with ctx.leases.hold(grant_lease(grant.key), ctx.holder, LEASE_TTL, wait=wait):
                state = load_sweep_state(ctx.state.engine)
                grant = with_talk_moves({grant.key: grant}, state.settings)[grant.key]
                _start_writer(ctx, probe(ctx.site, since=None, namespaces=(),
                                         control_titles=(ctx.writer.shutoff_title,)))
                records = dict(state.pages)
                fetched = refresh.fetch(ctx, [grant], refresh.stored_contributors(ctx, state, [grant]))
                fresh = {a.grant.key: a for a in _process(ctx, state, [grant], records, summary, fetched)}
                state = _remembering(state, summary.failed, fresh)
                summary.fetched = 1
                found = remind.due(ctx, state, remind.candidates(ctx, state, {grant.key: grant}, records),
                                   fresh, records)
                remind.remind_all(ctx, state, found, summary.outcomes, summary.errors)
        except LeaseBusyError as exc:
            summary.result = "busy"
            summary.errors.append(f"not run: {exc}")
            return summary
        state = _after_reminders(state, records, summary.outcomes)
        grants = known_grants(ctx, state, extra=grant)
        summary.fail_on(publish(ctx, state, grants, records, fresh, summary.outcomes,
                                details_for=[grant.key]))
        _remember_own(ctx, state, summary.outcomes)
    return summary


def _remember_own(ctx: RunContext, state: SweepState, out: Outcomes) -> None:
    """The revisions the bot saved, so later sweeps skip them (and only them)."""
    if any(e.revid for e in out.edits):
        save_settings(ctx.state.engine, {watermark.OWN: watermark.own_revisions(
            state.settings, out.edits, ctx.now(), None)}, ctx.now())


def known_grants(ctx: RunContext, state: SweepState, extra: Grant | None = None) -> dict[str, Grant]:
    """The grants of the last complete sweep (plus ``extra``), by report title."""
    names = refresh.names_for(ctx)
    titles = set(state.settings.get(refresh.GRANT_LIST) or [])
    if extra is not None:
        titles.add(extra.key)
    return with_talk_moves({t: grant_for_report(t, ctx.config.grants, names) for t in sorted(titles)},
                           state.settings)

