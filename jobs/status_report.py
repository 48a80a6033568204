"""``grantbot status``: what the state database knows, without touching the wiki."""

from __future__ import annotations

from datetime import datetime, timezone

from rich.console import Console
from rich.table import Table

from jobs.config import Config
from jobs.refresh import GRANT_LIST
from jobs.state import open_state
from jobs.state.settings import Settings


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def status_page_url(config: Config) -> str:
    """The status page's address, worked out without asking the wiki."""
    title = config.status.page
    if config.wiki.user:
        title = config.with_bot(config.wiki.user).status.page
    try:
        if config.wiki.local_dir is not None:
            from localwiki import LocalWiki

            wiki = LocalWiki.open(config.wiki.local_dir)
            return wiki.page_url(config.with_bot(wiki.bot_user).status.page)
        import urllib.parse

        import pywikibot.family

        family = pywikibot.family.Family.load(config.wiki.family)
        code = config.wiki.code or config.wiki.family
        path = "/wiki/" + urllib.parse.quote(title.replace(" ", "_"), safe="/:")
        return str(family.base_url(code, path))
    except Exception:  # noqa: BLE001 - an address is a convenience; the title will do
        return title


def print_status(config: Config, *, grant: str | None = None, limit: int = 10,
                 console: Console | None = None, now: datetime | None = None) -> None:
    console = console or Console()
    now = now or datetime.now(timezone.utc)
    store = open_state(config.state.resolved_url())
    try:
        runs = Table(title="Last runs")
        for column in ("id", "kind", "started", "finished", "outcome", "grants", "requests",
                       "edits", "errors"):
            runs.add_column(column)
        for run in store.recent_runs(limit):
            runs.add_row(str(run.id), run.kind, _when(run.started_at), _when(run.finished_at),
                         run.outcome or "running or crashed", str(run.grants),
                         str(run.api_requests), str(run.edits),
                         run.errors.splitlines()[0][:60] if run.errors else "")
        console.print(runs)
        grants = [grant] if grant else Settings(store.engine).get(GRANT_LIST, [])
        table = Table(title="Open items" + (f" of {grant}" if grant else " per grant"))
        for column in ("grant", "open", "oldest (days)", "reminders") + (
            ("item", "asked by", "asked", "section") if grant else ()
        ):
            table.add_column(column)
        for title in grants:
            items = [i for i in store.items_for(title) if i.status == "open"]
            reminders = len(store.reminders_for(title))
            ages = [(now - i.asked_at).days for i in items if i.asked_at]
            if grant:
                for item in items:
                    table.add_row(title, "", "", "", item.text[:70], item.asked_by or "?",
                                  _when(item.asked_at), " › ".join(item.section))
                table.add_row(title, str(len(items)), str(max(ages, default=0)), str(reminders),
                              "", "", "", "")
            else:
                table.add_row(title, str(len(items)), str(max(ages)) if ages else "-",
                              str(reminders))
        console.print(table)
        console.print(f"status page: {status_page_url(config)}")
    finally:
        store.close()
