"""``grantbot wiki``: the embedded local MediaWiki for the demo and the tests.

A thin layer over :class:`localwiki.LocalWiki`; it never prints a
secret (``status`` shows where the password file is, not what is in it).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import click

from bots.errors import GrantbotError
from localwiki.seed.synthetic import MAX_SYNTHETIC

F = TypeVar("F", bound=Callable[..., Any])

dir_option = click.option(
    "--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Wiki directory (default: $GRANTBOT_WIKI_DIR or ./var/wiki).",
)


def _clean_errors(func: F) -> F:
    """Turn grantbot's own errors into one line and an exit code, not a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GrantbotError as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _directory(directory: Path | None) -> Path:
    from localwiki import LocalWiki

    return (directory or LocalWiki.default_dir()).resolve()


@click.group()
def wiki() -> None:
    """Run a throwaway MediaWiki with grant pages on this machine."""


@wiki.command()
@dir_option
@click.option("--port", type=int, default=None, help="Port to serve on (default: a free one).")
@_clean_errors
def up(directory: Path | None, port: int | None) -> None:
    """Create the wiki if needed (reusing an existing directory) and start it."""
    from localwiki import LocalWiki

    target = _directory(directory)
    existed = LocalWiki.exists_at(target)
    local = LocalWiki.ensure(target, port).start()
    click.echo(f"{'reused' if existed else 'created'} wiki in {local.directory}")
    click.echo(f"running at {local.url}  (API {local.api_url})")
    click.echo(f"stop with: grantbot wiki down --dir {local.directory}")


@wiki.command()
@dir_option
@_clean_errors
def down(directory: Path | None) -> None:
    """Stop the wiki's server (all its worker processes); the data stays."""
    from localwiki import LocalWiki

    target = _directory(directory)
    if not LocalWiki.exists_at(target):
        click.echo(f"no wiki in {target}")
        return
    LocalWiki.open(target).stop()
    click.echo(f"stopped wiki in {target}")


@wiki.command()
@dir_option
@_clean_errors
def status(directory: Path | None) -> None:
    """Say whether the wiki runs, where, and where its pywikibot config is."""
    from localwiki import LocalWiki

    target = _directory(directory)
    if not LocalWiki.exists_at(target):
        click.echo(f"no wiki in {target} (create one with: grantbot wiki up)")
        raise SystemExit(3)
    state = LocalWiki.open(target).status()
    click.echo(f"wiki:          {state.directory}")
    click.echo(f"state:         {'running (pid %d)' % state.pid if state.running else 'stopped'}")
    click.echo(f"url:           {state.url}")
    click.echo(f"pywikibot dir: {state.pywikibot_dir}")
    click.echo(f"password file: {state.password_file}")
    if not state.running:
        raise SystemExit(3)


@wiki.command()
@dir_option
@click.option("--synthetic", type=click.IntRange(0, MAX_SYNTHETIC), default=0,
              help="Also import N generated grants (for sweep benchmarks).")
@click.option("--no-samples", is_flag=True, help="Only the synthetic grants.")
@click.option("--force", is_flag=True, help="Seed again even if this wiki was seeded.")
@_clean_errors
def seed(directory: Path | None, synthetic: int, no_samples: bool, force: bool) -> None:
    """Import the sample grants (with real-looking history) into the wiki."""
    from localwiki import LocalWiki
    from localwiki.seed import seed_wiki

    local = LocalWiki.open(_directory(directory))
    marker = local.directory / "seeded.json"
    if marker.exists() and not force and not synthetic:
        click.echo(f"already seeded ({marker}); use --force to import again")
        return
    now = datetime.now(timezone.utc).replace(microsecond=0)
    count = seed_wiki(local, now, samples=not no_samples, synthetic=synthetic)
    marker.write_text(json.dumps({"now": now.isoformat(), "pages": count,
                                  "synthetic": synthetic}) + "\n")
    click.echo(f"imported {count} pages (ages relative to {now:%Y-%m-%d %H:%M} UTC)")


@wiki.command()
@dir_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("var/demo.toml"), show_default=True)
@_clean_errors
def config(directory: Path | None, output: Path) -> None:
    """Write a grantbot TOML pointing at this local wiki (with the sample
    grants' committee members as reviewers)."""
    from localwiki.seed.samples_en import INGRID, RAVI

    target = _directory(directory)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        "# Generated by `grantbot wiki config`: grantbot against the local wiki.\n"
        "# Every other table is left to its defaults (see grantbot.example.toml).\n"
        f"[wiki]\nlocal_dir = {json.dumps(str(target))}\n\n"
        "[roles]\n# Committee members of the sample grants; (WMF) accounts are reviewers anyway.\n"
        f"reviewers = [{json.dumps(INGRID)}, {json.dumps(RAVI)}]\n"
    )
    click.echo(f"wrote {output}")


@wiki.command()
@dir_option
@click.argument("title", default="Main Page")
@_clean_errors
def url(directory: Path | None, title: str) -> None:
    """Print the local wiki's URL of a page (default: the main page)."""
    from localwiki import LocalWiki

    click.echo(LocalWiki.open(_directory(directory)).page_url(title))
