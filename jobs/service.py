"""``grantbot serve``: the long-running APScheduler 3.x service.

Jobs live in an ``SQLAlchemyJobStore`` in the state database (table
``apscheduler_jobs``), so a restart neither loses the schedule nor, thanks
to ``misfire_grace_time`` and ``coalesce``, floods the wiki with every run it
missed while down: one catch-up run at most.  The store pickles a reference
to the job callable, so jobs are always :func:`run_job` with plain string
arguments (the target's dotted path and the config path); ``run_job`` imports
the target at run time.  That keeps the store valid across code changes.

Catching up: the job store keeps a job's next run time, but a restart
replaces the jobs (so a changed schedule takes effect), which would forget a
sweep that fell due while the service was down.  So at start the service
looks at the last sweep recorded in the state database and, when it is older
than the sweep schedule's interval (or there is none), runs one at once.

Logging: at start, one line each for the wiki, account and state database
(password masked) and for the next run of each job; then only what matters
(sweep summaries, warnings, errors).  APScheduler's per-run lines ("Running
job", "executed successfully") and Alembic's schema check on every run appear
only with ``-v``.

Stopping: SIGTERM/SIGINT create this process's *stop file*.  The running
job sees it through :func:`stop_requested` (or the ``should_stop`` callable
handed to targets that accept one) between grants, finishes the current
grant, records its state and returns; the scheduler then shuts down after
waiting for it, and the process exits 0.  The flag is a file rather than a
module global because the scheduler's worker threads, the signal handler
and the runner's code share nothing else.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_SCHEDULER_STARTED,
    JobEvent,
    JobExecutionEvent,
    SchedulerEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from sqlalchemy.exc import SQLAlchemyError

from bots.errors import ConfigError, GrantbotError
from jobs.cli_errors import state_failure
from jobs.config import Config, load_config

SWEEP_TARGET = "jobs.runner:scheduled_sweep"
REQUESTS_TARGET = "jobs.runner:check_requests"
JOBSTORE_TABLE = "apscheduler_jobs"
SWEEP_JOB = "sweep"

log = logging.getLogger("grantbot.service")


@dataclass(frozen=True)
class JobSpec:
    id: str  # fixed, so restarts replace rather than duplicate
    target: str  # "module:function", called as target(config_path[, should_stop=...])
    trigger: BaseTrigger


def default_jobs(
    config: Config, sweep_target: str = SWEEP_TARGET, requests_target: str = REQUESTS_TARGET
) -> tuple[JobSpec, ...]:
    tz = ZoneInfo(config.schedule.timezone)
    return (
        JobSpec(SWEEP_JOB, sweep_target, CronTrigger.from_crontab(config.schedule.sweep, tz)),
        JobSpec("requests", requests_target, CronTrigger.from_crontab(config.schedule.requests, tz)),
    )


def schedule_interval(trigger: BaseTrigger, now: datetime) -> timedelta:
    """The time between the trigger's next two runs after ``now`` (six hours
    for ``0 */6 * * *``): how old a sweep may be before it is overdue."""
    first = trigger.get_next_fire_time(None, now)
    second = trigger.get_next_fire_time(first, first + timedelta(seconds=1)) if first else None
    if first is None or second is None:
        return timedelta.max
    return second - first  # type: ignore[no-any-return]


def sweep_overdue(last_sweep: datetime | None, trigger: BaseTrigger, now: datetime) -> bool:
    """Whether a sweep should run at start: none was ever recorded, or the
    last one started longer ago than the schedule's interval."""
    return last_sweep is None or now - last_sweep >= schedule_interval(trigger, now)


def catch_up_jobs(
    jobs: Sequence[JobSpec], last_sweep: datetime | None, now: datetime
) -> frozenset[str]:
    """The ids of the jobs to run at once at start (the sweep, if overdue)."""
    return frozenset(
        job.id for job in jobs
        if job.id == SWEEP_JOB and sweep_overdue(last_sweep, job.trigger, now)
    )


# --------------------------------------------------------------------------
# The stop flag


def stop_file(pid: int | None = None) -> Path:
    """Where the service process ``pid`` (default: this one) flags a stop."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"grantbot-{uid}" / f"stop-{pid or os.getpid()}"


def stop_requested() -> bool:
    """True once SIGTERM/SIGINT reached this service process: finish the
    current grant, record it, and return."""
    return stop_file().exists()


def _request_stop() -> None:
    path = stop_file()
    path.parent.mkdir(mode=0o700, exist_ok=True)
    path.touch()


def _clear_stop() -> None:
    stop_file().unlink(missing_ok=True)


# --------------------------------------------------------------------------
# Jobs


def resolve_target(target: str) -> Callable[..., Any]:
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise ConfigError(f"job target {target!r}: expected 'module:function'")
    try:
        func = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"job target {target!r} cannot be imported ({exc})") from None
    if not callable(func):
        raise ConfigError(f"job target {target!r} is not callable")
    return func  # type: ignore[no-any-return]


def run_job(target: str, config_path: str) -> Any:
    """What the job store references for every job (see the module docstring)."""
    if stop_requested():
        log.info("not starting %s: the service is stopping", target)
        return None
    func = resolve_target(target)
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        params = {}  # type: ignore[assignment]
    try:
        if "should_stop" in params:
            return func(config_path, should_stop=stop_requested)
        return func(config_path)
    except GrantbotError as exc:
        # Expected failures (wiki down, shutoff, bad config) are one line in
        # the log, not a traceback; the next scheduled run tries again.
        log.error("job %s failed: %s", target, exc)
        return None
    except SQLAlchemyError as exc:  # a read-only, corrupted or unreachable state database
        log.error("job %s failed: %s", target, state_failure(exc))
        return None


def _on_job_event(event: JobEvent) -> None:
    if event.code == EVENT_JOB_MISSED:
        log.warning(
            "job %s missed its run at %s (beyond the misfire grace time)",
            event.job_id, event.scheduled_run_time,  # type: ignore[attr-defined]
        )
    elif event.code == EVENT_JOB_MAX_INSTANCES:
        log.warning("job %s is still running: skipped one run (no overlap)", event.job_id)
    elif event.code == EVENT_JOB_ERROR and isinstance(event, JobExecutionEvent):
        # APScheduler's executor has already logged the traceback.
        log.error(
            "job %s failed (run scheduled at %s): %r",
            event.job_id, event.scheduled_run_time, event.exception,
        )


def build_scheduler(
    config: Config,
    jobs: Sequence[JobSpec],
    scheduler_cls: type[BaseScheduler] = BlockingScheduler,
    *,
    run_now: frozenset[str] = frozenset(),
    **scheduler_kwargs: Any,
) -> BaseScheduler:
    """A scheduler whose job store is the state database, with ``jobs`` added;
    those named in ``run_now`` run as soon as it starts, then on schedule."""
    from jobs.state import make_engine

    engine = make_engine(config.state.resolved_url())
    scheduler = scheduler_cls(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBSTORE_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=max(2, len(jobs)))},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": config.schedule.misfire_grace_seconds,
        },
        timezone=ZoneInfo(config.schedule.timezone),
        **scheduler_kwargs,
    )
    scheduler.add_listener(
        _on_job_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR | EVENT_JOB_MAX_INSTANCES
    )
    wanted = {job.id for job in jobs}

    def drop_stale_jobs(_event: SchedulerEvent) -> None:
        # The store outlives the code: a job an older configuration or
        # version scheduled would otherwise keep running forever.
        for job in scheduler.get_jobs():
            if job.id not in wanted:
                log.info("removing job %s: no longer configured", job.id)
                job.remove()

    scheduler.add_listener(drop_stale_jobs, EVENT_SCHEDULER_STARTED)
    for job in jobs:
        _add_job(scheduler, job, config, run_now=job.id in run_now)
    return scheduler


def _add_job(scheduler: BaseScheduler, job: JobSpec, config: Config, *, run_now: bool) -> None:
    resolve_target(job.target)  # fail now, not at the first run
    first: dict[str, Any] = {"next_run_time": datetime.now(timezone.utc)} if run_now else {}
    scheduler.add_job(
        run_job,
        trigger=job.trigger,
        args=[job.target, str(config.path)],
        id=job.id,
        name=job.id,
        replace_existing=True,
        **first,
    )


def _log_setup(verbose: bool) -> None:
    # The CLI may have configured logging already; basicConfig then does nothing.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet = logging.INFO if verbose else logging.WARNING
    for noisy in ("apscheduler", "pywiki", "alembic"):
        logging.getLogger(noisy).setLevel(quiet)


def _open_and_report(config: Config) -> datetime | None:
    """Create or upgrade the schema (before the job store uses the database),
    log what is served, and return when the last sweep started."""
    from jobs.state import open_state, safe_url, state_warnings

    with open_state(config.state.resolved_url()) as store:
        state_url = safe_url(store.engine.url)
        last = store.recent_runs(1, kind="sweep")
    last_sweep = last[0].started_at if last else None
    wiki = config.wiki
    where = (f"local wiki in {wiki.local_dir}" if wiki.local_dir is not None
             else f"{wiki.family}:{wiki.code or wiki.family}")
    log.info("wiki: %s; account: %s", where, wiki.user or "(from the login)")
    log.info("state: %s", state_url)
    log.info("last sweep: %s", f"{last_sweep:%Y-%m-%d %H:%M} UTC" if last_sweep else "never")
    for warning in state_warnings(config.state.url):
        log.warning("%s", warning)
    return last_sweep


def _log_next_runs(scheduler: BaseScheduler, run_now: frozenset[str]) -> None:
    for job in scheduler.get_jobs():
        when = job.next_run_time
        note = " (catching up: the last sweep is older than the schedule)" if job.id in run_now else ""
        log.info("next %s: %s%s", job.id, f"{when:%Y-%m-%d %H:%M:%S %Z}" if when else "never", note)


def serve(
    config_path: str | os.PathLike[str],
    *,
    jobs: Sequence[JobSpec] | None = None,
    sweep_target: str = SWEEP_TARGET,
    requests_target: str = REQUESTS_TARGET,
    verbose: bool = False,
) -> int:
    """Run the scheduler until SIGTERM/SIGINT; returns the exit code (0)."""
    _log_setup(verbose)
    config = load_config(config_path)
    last_sweep = _open_and_report(config)
    if jobs is None:
        jobs = default_jobs(config, sweep_target, requests_target)
    _clear_stop()
    run_now = catch_up_jobs(jobs, last_sweep, datetime.now(timezone.utc))
    scheduler = build_scheduler(config, jobs, run_now=run_now)
    scheduler.add_listener(lambda _e: _log_next_runs(scheduler, run_now), EVENT_SCHEDULER_STARTED)
    _run_until_signalled(scheduler)
    log.info("service stopped")
    return 0


def _run_until_signalled(scheduler: BaseScheduler) -> None:
    """Start the (blocking) scheduler; SIGTERM/SIGINT let the running job
    finish its grant and shut the scheduler down."""
    stopping = threading.Event()
    stopper: list[threading.Thread] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        _request_stop()
        if stopping.is_set():
            return
        stopping.set()
        log.info("%s received: finishing the current job, then exiting",
                 signal.Signals(signum).name)
        # shutdown(wait=True) blocks until the running job returns: never in
        # the signal handler itself, which interrupted the scheduler's loop.
        thread = threading.Thread(target=scheduler.shutdown, kwargs={"wait": True})
        stopper.append(thread)
        thread.start()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        scheduler.start()  # blocks until shutdown
        for thread in stopper:
            thread.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _clear_stop()
