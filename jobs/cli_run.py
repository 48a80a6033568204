"""``grantbot run``, ``grantbot status``, ``grantbot serve`` and ``grantbot db``.

Every command takes ``--config FILE`` (default ``grantbot.toml``, or
``$GRANTBOT_CONFIG``).  Errors become one line on stderr, no traceback, and
the exit code the README documents: 2 for bad input or configuration
(including a title that is no grant and an unusable state database), 1 when
the wiki or the database server failed, 3 when another run holds what this
one needs; a run the shutoff page stopped did what it should and exits 0.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from bots.errors import GrantbotError, LeaseBusyError
from jobs.cli_errors import state_failure

CONFIG_OPTION = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), envvar="GRANTBOT_CONFIG",
    default="grantbot.toml", show_default=True, help="grantbot TOML configuration file.",
)


BUSY = 3  # another run holds what this one needs


@contextmanager
def _errors() -> Iterator[None]:
    """Every failure as one line on stderr and the documented exit code."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except LeaseBusyError as exc:
        click.echo(f"grantbot: {exc}", err=True)
        sys.exit(BUSY)
    except GrantbotError as exc:
        if isinstance(exc.__cause__, SQLAlchemyError):  # opening or upgrading the state failed
            exc = state_failure(exc.__cause__)
        click.echo(f"grantbot: {exc}", err=True)
        sys.exit(exc.exit_code)
    except SQLAlchemyError as exc:
        error = state_failure(exc)
        click.echo(f"grantbot: {error}", err=True)
        sys.exit(error.exit_code)


def _progress() -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
    """A rich progress bar on a terminal, plain log lines otherwise."""
    if not sys.stderr.isatty():
        def plain(stage: str, done: int, total: int) -> None:
            logging.getLogger("grantbot.run").info("%s: %d/%d", stage, done, total)
        return plain, lambda: None
    from rich.progress import Progress

    bar = Progress(transient=True)
    tasks: dict[str, Any] = {}
    bar.start()

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return update, bar.stop


@click.command()
@CONFIG_OPTION
@click.option("--grant", "grant", metavar="TITLE", help="Refresh one grant (its report page title).")
@click.option("--simulate", is_flag=True, help="Make no edit; print the diffs instead.")
@click.option("--full", is_flag=True, help="List every grant page instead of asking what changed.")
@click.option("--wait", type=float, default=0.0, show_default=True,
              help="Seconds to wait when another run holds the grant.")
@click.option("-v", "--verbose", is_flag=True, help="Log each step.")
def run(config_path: str, grant: str | None, simulate: bool, full: bool, wait: float,
        verbose: bool) -> None:
    """Run one sweep now, or refresh one grant with --grant."""
    from jobs.config import load_config
    from jobs.context import open_context
    from jobs.sweep import run_grant, sweep

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(message)s")
    if not verbose:
        # pywikibot writes its own progress, retry notices and tracebacks to
        # stderr; without -v a failed run shows one line there: ours.
        logging.getLogger("pywiki").addFilter(_critical_only)
    with _errors():
        ctx = open_context(load_config(config_path), simulate=simulate, holder="manual")
        progress, done = _progress()
        try:
            if grant:
                summary = run_grant(ctx, _resolved(ctx, grant), wait=wait)
            else:
                summary = sweep(ctx, full=full, progress=progress)
        finally:
            done()
            ctx.state.close()
        for outcome in summary.outcomes.edits:
            click.echo(outcome.describe())
            if outcome.diff:
                click.echo(outcome.diff)
        for line in summary.lines():
            click.echo(line)
        click.echo(f"status page: {_page_url(ctx, ctx.config.status.page)}")
        sys.exit(exit_code(summary.result))


def exit_code(result: str) -> int:
    """0 for a run that did its work or was told to stop (shut off, stopped);
    3 when another run held the grant; 1 when the wiki failed or refused a save."""
    return {"busy": BUSY, "failed": 1, "errors": 1}.get(result, 0)


def _critical_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.CRITICAL


def _report_title(title: str) -> str:
    """A title as typed, normalised; a bare name is taken as a Grants page."""
    from parsers.runrequests import normalise_title

    title = normalise_title(title)
    return title if ":" in title else f"Grants:{title}"


def _resolved(ctx: Any, grant: str) -> str:
    """The report ``--grant`` names on the wiki; InputError (exit 2) for anything else."""
    from bots.errors import InputError
    from jobs.targets import resolve_grant

    target = resolve_grant(ctx, _report_title(grant))
    if target.report is None:
        raise InputError(f"--grant {grant!r}: {target.why}; nothing was run or published")
    return target.report


def _page_url(ctx: Any, title: str) -> str:
    try:
        return str(ctx.site.page(title).full_url())
    except Exception:  # noqa: BLE001 - a URL is a nicety, never a reason to fail
        return title


@click.command()
@CONFIG_OPTION
@click.option("--grant", "grant", metavar="TITLE", help="Show one grant's open items.")
@click.option("--runs", "limit", type=int, default=10, show_default=True, help="How many runs.")
def status(config_path: str, grant: str | None, limit: int) -> None:
    """Last runs and open items per grant, from the state database (no wiki access)."""
    from jobs.config import load_config
    from jobs.status_report import print_status

    with _errors():
        config = load_config(config_path)
        print_status(config, grant=_stored_grant(config, grant) if grant else None, limit=limit)


def _stored_grant(config: Any, grant: str) -> str:
    """The grant of the state database ``--grant`` names; InputError (exit 2) if none."""
    from bots.errors import InputError
    from jobs.refresh import GRANT_LIST
    from jobs.state import open_state
    from jobs.state.settings import Settings
    from jobs.targets import stored_target

    with open_state(config.state.resolved_url()) as store:
        pages = store.pages_seen().values()
        reports = set(Settings(store.engine).get(GRANT_LIST) or []) | {
            p.grant for p in pages if p.grant}
        talk = {p.title: p.grant for p in pages if p.kind == "talk" and p.grant}
    target = stored_target(_report_title(grant), reports, config.grants, talk)
    if target.report is None:
        raise InputError(f"--grant {grant!r}: {target.why}")
    return target.report


@click.command()
@CONFIG_OPTION
@click.option("-v", "--verbose", is_flag=True, help="Also log every scheduler run.")
def serve(config_path: str, verbose: bool) -> None:
    """Run the scheduler (sweeps and run-request checks) until SIGTERM/SIGINT."""
    from jobs.service import serve as serve_forever

    with _errors():
        sys.exit(serve_forever(config_path, verbose=verbose))


@click.group()
def db() -> None:
    """State database maintenance."""


@db.command("upgrade")
@CONFIG_OPTION
def db_upgrade(config_path: str) -> None:
    """Create or upgrade the state database schema (runs do this by themselves)."""
    from jobs.config import load_config
    from jobs.state import current_revision, open_state, safe_url, state_warnings

    with _errors():
        config = load_config(config_path)
        store = open_state(config.state.resolved_url())
        click.echo(f"state database {safe_url(store.engine.url)} at schema revision "
                   f"{current_revision(store.engine)}")
        store.close()
        for warning in state_warnings(config.state.url):
            click.echo(f"grantbot: warning: {warning}", err=True)
