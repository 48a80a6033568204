"""The APScheduler service: persisted jobs, no overlap, clean SIGTERM."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bots.errors import ConfigError, WikiUnavailableError
from jobs.config import load_config
from jobs.service import (
    JobSpec,
    build_scheduler,
    default_jobs,
    run_job,
    stop_file,
    sweep_overdue,
)
from jobs.state import RunRecord, current_revision, open_state
from jobs.state.engine import SCHEMA_HEAD

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


def tiny_job(config_path: str, should_stop: Callable[[], bool] | None = None) -> None:
    """A job standing in for a sweep: records a run, works in steps ("grants"),
    and stops between steps when asked."""
    config = load_config(config_path)
    with open_state(config.state.url) as store:
        # The first run is short; later ones are long, so a SIGTERM surely
        # lands in the middle of one.
        planned = 8 if not store.recent_runs() else 100
        run_id = store.start_run("sweep", datetime.now(timezone.utc))
        steps = 0
        outcome = "ok"
        for steps in range(1, planned + 1):
            time.sleep(0.2)
            if should_stop is not None and should_stop():
                outcome = "stopped"
                break
        store.finish_run(run_id, datetime.now(timezone.utc), outcome=outcome, grants=steps)


def failing_job(config_path: str) -> None:
    raise RuntimeError("the wiki is on fire")


def wiki_down_job(config_path: str) -> None:
    raise WikiUnavailableError("the wiki answered 503 three times")


def plain_job(config_path: str) -> str:
    return f"ran with {config_path}"


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "grantbot.toml"
    path.write_text(
        f'[wiki]\nlocal_dir = "{tmp_path / "wiki"}"\n'
        f'[state]\nurl = "sqlite:///{tmp_path / "state.sqlite"}"\n'
        '[schedule]\nsweep = "15 */6 * * *"\nrequests = "*/2 * * * *"\n'
        "misfire_grace_seconds = 900\n",
        encoding="utf-8",
    )
    return path


def test_default_jobs_persisted_with_safe_settings(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))
    open_state(config.state.url).close()
    jobs = default_jobs(config, "test_service:plain_job", "test_service:plain_job")
    old = JobSpec("retired", "test_service:plain_job", IntervalTrigger(hours=1))
    # A restart replaces the jobs instead of duplicating them, and drops the
    # ones no longer configured.
    for specs in ([*jobs, old], jobs, jobs):
        scheduler = build_scheduler(config, specs, BackgroundScheduler)
        scheduler.start(paused=True)
        try:
            stored = {job.id: job for job in scheduler.get_jobs()}
        finally:
            scheduler.shutdown(wait=False)
    assert set(stored) == {"sweep", "requests"}
    sweep = stored["sweep"]
    assert sweep.coalesce is True and sweep.max_instances == 1
    assert sweep.misfire_grace_time == 900
    assert sweep.args == ("test_service:plain_job", str(config.path))
    assert isinstance(sweep.trigger, CronTrigger)
    fields = {f.name: str(f) for f in sweep.trigger.fields}
    assert fields["hour"] == "*/6" and fields["minute"] == "15"
    engine = sa.create_engine(config.state.url)
    with engine.connect() as conn:
        ids = conn.execute(sa.text("SELECT id FROM apscheduler_jobs ORDER BY id")).scalars().all()
    engine.dispose()
    assert ids == ["requests", "sweep"]


def test_bad_target_fails_at_build(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))
    bad = [JobSpec("sweep", "no_such_module_xyz:run", IntervalTrigger(seconds=60))]
    with pytest.raises(ConfigError, match="no_such_module_xyz"):
        build_scheduler(config, bad, BackgroundScheduler)
    with pytest.raises(ConfigError, match="module:function"):
        build_scheduler(config, [JobSpec("x", "nocolon", IntervalTrigger(seconds=60))],
                        BackgroundScheduler)


def test_run_job_passes_should_stop_only_when_accepted(tmp_path: Path) -> None:
    assert run_job("test_service:plain_job", "/x.toml") == "ran with /x.toml"
    flag = stop_file()
    flag.parent.mkdir(exist_ok=True)
    flag.touch()
    try:  # a stopping service starts nothing new
        assert run_job("test_service:plain_job", "/x.toml") is None
    finally:
        flag.unlink()


def test_missed_run_is_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write_config(tmp_path)
    text = path.read_text().replace("misfire_grace_seconds = 900", "misfire_grace_seconds = 1")
    path.write_text(text)
    config = load_config(path)
    open_state(config.state.url).close()
    long_ago = datetime.now(timezone.utc) - timedelta(minutes=5)
    jobs = [JobSpec("late", "test_service:plain_job", DateTrigger(run_date=long_ago))]
    scheduler = build_scheduler(config, jobs, BackgroundScheduler)
    caplog.set_level(logging.WARNING, logger="grantbot.service")
    scheduler.start()
    try:
        deadline = time.monotonic() + 10
        while "missed" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        scheduler.shutdown(wait=True)
    assert "job late missed its run" in caplog.text


def test_expected_failure_is_one_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="grantbot.service")
    assert run_job("test_service:wiki_down_job", "/x.toml") is None
    (record,) = caplog.records
    assert "503" in record.getMessage() and record.exc_info is None


def test_failed_run_is_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = load_config(write_config(tmp_path))
    open_state(config.state.url).close()
    jobs = [JobSpec("boom", "test_service:failing_job", IntervalTrigger(seconds=30))]
    scheduler = build_scheduler(config, jobs, BackgroundScheduler)
    caplog.set_level(logging.ERROR, logger="grantbot.service")
    scheduler.start()
    try:
        scheduler.get_job("boom").modify(next_run_time=datetime.now(timezone.utc))
        deadline = time.monotonic() + 10
        while "failed" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        scheduler.shutdown(wait=True)
    assert "job boom failed" in caplog.text and "the wiki is on fire" in caplog.text


SERVE = """
import sys
from apscheduler.triggers.interval import IntervalTrigger
from jobs.service import JobSpec, serve
jobs = [JobSpec("tiny", "test_service:tiny_job", IntervalTrigger(seconds=1))]
sys.exit(serve(sys.argv[1], jobs=jobs))
"""


SERVE_SCHEDULE = """
import sys
from jobs.config import load_config
from jobs.service import default_jobs, serve
jobs = default_jobs(load_config(sys.argv[1]), "test_service:tiny_job", "test_service:plain_job")
sys.exit(serve(sys.argv[1], jobs=jobs))
"""


@contextmanager
def running_service(config_path: Path, script: str = SERVE) -> Iterator[subprocess.Popen[str]]:
    """``serve`` with the tiny job on a 1 s interval (or ``script``), in a child process."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(REPO)])}
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(config_path)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def stop(proc: subprocess.Popen[str], sig: signal.Signals) -> tuple[str, float]:
    """Send ``sig``; return the output and how long the service took to exit."""
    assert proc.poll() is None, proc.communicate()[0]
    proc.send_signal(sig)
    signalled = time.monotonic()
    output, _ = proc.communicate(timeout=30)
    return output, time.monotonic() - signalled


def test_service_runs_without_overlap_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    config_path = write_config(tmp_path)
    url = load_config(config_path).state.url
    with running_service(config_path) as proc:
        deadline = time.monotonic() + 30
        runs: list[RunRecord] = []
        while time.monotonic() < deadline:  # wait until a second run is under way
            time.sleep(0.2)
            if Path(url.removeprefix("sqlite:///")).exists():
                with open_state(url, migrate=False) as store:
                    if current_revision(store.engine) != SCHEMA_HEAD:
                        continue  # the service is still creating the schema
                    runs = store.recent_runs()
                if len(runs) >= 2 and runs[0].finished_at is None:
                    break
        assert len(runs) >= 2, "the job did not run twice in 30 s"
        output, stopped_after = stop(proc, signal.SIGTERM)
    assert proc.returncode == 0, output
    assert stopped_after < 15  # did not sit out the 20 s run
    with open_state(url, migrate=False) as store:
        runs = sorted(store.recent_runs(100), key=lambda r: r.started_at)
    assert all(r.finished_at is not None for r in runs), output  # the last one finished
    for earlier, later in zip(runs, runs[1:]):
        assert earlier.finished_at is not None
        assert earlier.finished_at <= later.started_at  # never two at once
    assert runs[0].outcome == "ok" and runs[0].grants == 8
    assert runs[-1].outcome == "stopped" and runs[-1].grants < 100  # stopped between steps
    assert "skipped one run" in output  # the 1 s trigger fired while a 1.6 s run was going
    assert not stop_file(proc.pid).exists()
    # quiet by default: no line per scheduler run, only what matters
    assert "Running job" not in output and "executed successfully" not in output, output


def test_sigint_also_stops(tmp_path: Path) -> None:
    with running_service(write_config(tmp_path)) as proc:
        time.sleep(2.5)
        output, _ = stop(proc, signal.SIGINT)
    assert proc.returncode == 0, output
    assert "SIGINT received" in output


def test_start_lines_say_what_is_served(tmp_path: Path) -> None:
    with running_service(write_config(tmp_path), SERVE_SCHEDULE) as proc:
        time.sleep(3)
        output, _ = stop(proc, signal.SIGTERM)
    assert proc.returncode == 0, output
    assert f"wiki: local wiki in {tmp_path / 'wiki'}; account: (from the login)" in output
    assert f"state: sqlite:///{tmp_path / 'state.sqlite'}" in output
    assert "last sweep: never" in output
    assert "next requests: " in output and "next sweep: " in output


def test_overdue_sweep_is_decided_by_the_schedule_interval() -> None:
    every_six_hours = CronTrigger.from_crontab("15 */6 * * *", timezone.utc)
    now = datetime(2031, 1, 1, 13, 0, tzinfo=timezone.utc)
    assert sweep_overdue(None, every_six_hours, now)  # never swept: sweep now
    assert sweep_overdue(now - timedelta(hours=6, minutes=1), every_six_hours, now)
    assert not sweep_overdue(now - timedelta(hours=5), every_six_hours, now)
    weekly = CronTrigger.from_crontab("30 2 * * 1", timezone.utc)
    assert not sweep_overdue(now - timedelta(days=6), weekly, now)
    assert sweep_overdue(now - timedelta(days=8), weekly, now)


def _sweeps(url: str) -> list[RunRecord]:
    with open_state(url, migrate=False) as store:
        return store.recent_runs(50, kind="sweep")


def test_restart_catches_up_an_overdue_sweep_once(tmp_path: Path) -> None:
    config_path = write_config(tmp_path)  # sweeps at 15 past every sixth hour
    url = load_config(config_path).state.url
    seven_hours_ago = datetime.now(timezone.utc) - timedelta(hours=7)
    with open_state(url) as store:  # the service was down through a scheduled sweep
        run_id = store.start_run("sweep", seven_hours_ago)
        store.finish_run(run_id, seven_hours_ago + timedelta(minutes=2), outcome="ok")

    with running_service(config_path, SERVE_SCHEDULE) as proc:
        deadline = time.monotonic() + 20
        while len(_sweeps(url)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        output, _ = stop(proc, signal.SIGTERM)
    assert proc.returncode == 0, output
    assert len(_sweeps(url)) == 2, output  # caught up at start, not hours later
    assert "catching up" in output

    # restarted again right away: the last sweep is fresh, nothing to catch up
    with running_service(config_path, SERVE_SCHEDULE) as proc:
        time.sleep(4)
        output, _ = stop(proc, signal.SIGTERM)
    assert proc.returncode == 0, output
    assert len(_sweeps(url)) == 2, output
    assert "catching up" not in output and "next sweep: " in output


def test_scheduler_lines_only_when_verbose() -> None:
    from jobs.service import _log_setup

    noisy = [logging.getLogger(name) for name in ("apscheduler", "pywiki", "alembic")]
    before = [logger.level for logger in noisy]
    try:
        _log_setup(verbose=False)
        assert all(not logger.isEnabledFor(logging.INFO) for logger in noisy)
        assert logging.getLogger("grantbot.service").isEnabledFor(logging.WARNING)
        _log_setup(verbose=True)
        assert all(logger.isEnabledFor(logging.INFO) for logger in noisy)
    finally:
        for logger, level in zip(noisy, before):
            logger.setLevel(level)
