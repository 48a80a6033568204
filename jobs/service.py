"""``grantbot serve``: the long-running APScheduler 3.x service.

Jobs live in an ``SQLAlchemyJobStore`` in the state database (table
``apscheduler_jobs``), so a restart neither loses the schedule nor, thanks
to ``misfire_grace_time`` and ``coalesce``, floods the wiki with every run it
missed while down: one catch-up run at most.  The store pickles a reference
to the job callable, so jobs are always :func:`run_job` with plain string
arguments (the target's dotted path and the config path); ``run_job`` imports
the target at run time.  That keeps the store valid across code changes.

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

from bots.errors import ConfigError, GrantbotError
from jobs.config import Config, load_config

SWEEP_TARGET = "jobs.runner:scheduled_sweep"
REQUESTS_TARGET = "jobs.runner:check_requests"
JOBSTORE_TABLE = "apscheduler_jobs"

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
        JobSpec("sweep", sweep_target, CronTrigger.from_crontab(config.schedule.sweep, tz)),
        JobSpec("requests", requests_target, CronTrigger.from_crontab(config.schedule.requests, tz)),
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
    **scheduler_kwargs: Any,
) -> BaseScheduler:
    """A scheduler whose job store is the state database, with ``jobs`` added."""
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
        resolve_target(job.target)  # fail now, not at the first run
        scheduler.add_job(
            run_job,
            trigger=job.trigger,
            args=[job.target, str(config.path)],
            id=job.id,
            name=job.id,
            replace_existing=True,
        )
    return scheduler


def serve(
    config_path: str | os.PathLike[str],
    *,
    jobs: Sequence[JobSpec] | None = None,
    sweep_target: str = SWEEP_TARGET,
    requests_target: str = REQUESTS_TARGET,
) -> int:
    """Run the scheduler until SIGTERM/SIGINT; returns the exit code (0)."""
    from jobs.state import open_state

    # The CLI may have configured logging already; basicConfig then does nothing.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = load_config(config_path)
    open_state(config.state.resolved_url()).close()  # schema before the job store
    if jobs is None:
        jobs = default_jobs(config, sweep_target, requests_target)
    _clear_stop()
    scheduler = build_scheduler(config, jobs)
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
        log.info("serving jobs %s", ", ".join(j.id for j in jobs))
        scheduler.start()  # blocks until shutdown
        for thread in stopper:
            thread.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _clear_stop()
    log.info("service stopped")
    return 0
