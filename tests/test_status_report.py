from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console

from jobs.config import load_config
from jobs.state import open_state
from jobs.status_report import print_status, status_page_url

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


def test_status_lists_runs_and_the_status_page_address(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_text(
        '[wiki]\nfamily = "meta"\ncode = "meta"\nuser = "GrantBot"\n'
        f'[state]\nurl = "sqlite:///{tmp_path / "s.sqlite"}"\n'
    )
    config = load_config(path)
    store = open_state(config.state.resolved_url())
    run = store.start_run("sweep", NOW)
    store.finish_run(run, NOW, outcome="ok", grants=7, api_requests=3, edits=1)
    store.close()
    console = Console(record=True, width=200)
    print_status(config, console=console, now=NOW)
    out = console.export_text()
    assert "sweep" in out and " 7 " in out and " 3 " in out
    assert status_page_url(config) == "https://meta.wikimedia.org/wiki/User:GrantBot/Grant_status"
    assert "https://meta.wikimedia.org/wiki/User:GrantBot/Grant_status" in out
