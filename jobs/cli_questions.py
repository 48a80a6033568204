"""``grantbot questions FILE`` and ``grantbot report FILE``.

Why these commands: they show exactly what the bot would remind people
about, and why, on a page saved to disk, without a wiki.  Their ``--json``
output is read by external checks and the scorer, so its fields are stable:
add fields, never rename or remove them.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime

import click

from bots.errors import InputError
from jobs.cli_threads import _read, check_lang_tz


def _iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def questions_json(analysis) -> dict:
    """The stable JSON shape of a talk-page analysis."""
    return {
        "page": analysis.title,
        "language": analysis.language,
        "items": [
            {"id": i.id, "kind": i.kind.value, "text": i.text, "asked_by": i.asked_by,
             "asked_at": _iso(i.asked_at), "section": list(i.section), "anchor": i.anchor,
             "status": i.status.value, "answered_by": i.answered_by,
             "answered_at": _iso(i.answered_at), "answer_excerpt": i.answer_excerpt,
             "answer_location": i.answer_location, "commitment": i.commitment, "reason": i.reason,
             "asked_by_reason": i.asked_by_reason}
            for i in analysis.items
        ],
        "threads": [
            {"section": list(t.section), "last_comment_by": t.last_comment_by,
             "last_comment_at": _iso(t.last_comment_at), "waiting_on": t.waiting_on.value}
            for t in analysis.threads
        ],
    }


def report_json(analysis) -> dict:
    return {
        "page": analysis.title,
        "status": analysis.status,
        "status_fields": [{"name": n, "value": v} for n, v in analysis.status_fields],
        "empty_sections": [{"section": list(s.path), "anchor": s.anchor, "reason": s.reason}
                           for s in analysis.empty_sections],
    }


def _fail(exc: InputError) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(exc.exit_code)


@click.command("questions")
@click.argument("file", type=str)
@click.option("--title", default=None, help="Page title to report (e.g. \"Grants talk:…\").")
@click.option("--lang", default="en", show_default=True, help="Content language code of the wiki.")
@click.option("--tz", default="UTC", show_default=True, help="The wiki's local IANA time zone.")
@click.option("--reviewer", "reviewers", multiple=True, help="Account on the reviewer side (repeatable).")
@click.option("--reviewer-pattern", "patterns", multiple=True,
              help="Regular expression for reviewer accounts (repeatable).")
@click.option("--grantee", "grantees", multiple=True, help="Account on the grantee side (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def questions(file: str, title: str | None, lang: str, tz: str, reviewers: tuple[str, ...],
              patterns: tuple[str, ...], grantees: tuple[str, ...], as_json: bool) -> None:
    """Reviewer questions and requests in the talk page FILE ("-" for stdin), open or answered."""
    from parsers.analysis import analyse_talk_page

    try:
        check_lang_tz(lang, tz)
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise InputError(f"--reviewer-pattern {pattern!r}: invalid regular expression ({exc})") from None
        text = _read(file)
    except InputError as exc:
        _fail(exc)
        return
    analysis = analyse_talk_page(text, title=title, lang=lang, tz=tz, reviewers=reviewers,
                                 reviewer_patterns=patterns, grantees=grantees)
    if as_json:
        click.echo(json.dumps(questions_json(analysis), ensure_ascii=False))
        return
    _print_questions(analysis)


def _print_questions(analysis) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    n_open = len(analysis.open_items)
    table = Table(title=f"{analysis.title or 'page'}: {len(analysis.items)} items, {n_open} open")
    for column in ("id", "kind", "status", "section", "asked by", "item", "why"):
        table.add_column(column, overflow="fold")
    for i in analysis.items:
        status = i.status.value + (" (promise)" if i.commitment else "")
        table.add_row(i.id, i.kind.value, status, " › ".join(i.section), i.asked_by or "?",
                      i.text, i.reason)
    console.print(table)
    threads = Table(title="threads")
    for column in ("section", "last comment by", "at (UTC)", "waiting on"):
        threads.add_column(column)
    for t in analysis.threads:
        threads.add_row(" › ".join(t.section) or "(top)", t.last_comment_by or "?",
                        _iso(t.last_comment_at) or "-", t.waiting_on.value)
    console.print(threads)


@click.command("report")
@click.argument("file", type=str)
@click.option("--title", default=None, help="Page title to report (e.g. \"Grants:…/Report\").")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def report(file: str, title: str | None, as_json: bool) -> None:
    """Status fields and unfilled sections of the report page FILE ("-" for stdin)."""
    from parsers.report import analyse_report_page

    try:
        text = _read(file)
    except InputError as exc:
        _fail(exc)
        return
    analysis = analyse_report_page(text, title=title)
    if as_json:
        click.echo(json.dumps(report_json(analysis), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    fields = Table(title=f"{title or 'page'}: status fields")
    fields.add_column("field")
    fields.add_column("value")
    for name, value in analysis.status_fields:
        fields.add_row(name, value)
    console.print(fields)
    empty = Table(title=f"{len(analysis.empty_sections)} unfilled sections")
    empty.add_column("section")
    empty.add_column("why")
    for s in analysis.empty_sections:
        empty.add_row(" › ".join(s.path), s.reason)
    console.print(empty)
