"""Security checks against the local wiki, through the real command line.

Secrets must never reach output an operator pastes into a bug report
(stdout, stderr, log files, ``--simulate`` diffs); a wrong password must
fail fast with one line; a configuration cannot widen what the bot may
edit; and run requests from people who are not allowed change nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bots.errors import NotAllowedError
from localwiki import LocalWiki
from localwiki.seed.samples_en import UNANSWERED
from jobs.config import load_config
from jobs.context import open_context
from jobs.sweep import sweep
from wikipages import local_config, revisions

pytestmark = pytest.mark.wiki

WRONG = "grantbot:0123456789abcdefghijklmnopqrstuv"


def secrets_of(wiki: LocalWiki) -> list[str]:
    data = json.loads((wiki.directory / "secrets.json").read_text())
    return [str(v) for v in data.values()]


def cli(args: list[str], wiki: LocalWiki, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("grantbot")
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYWIKIBOT_DIR": str(wiki.pywikibot_dir), **(env or {})},
    )


def log_files(*roots: Path) -> list[Path]:
    """Every file a run may have logged to (pywikibot logs, our own, the server's)."""
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and (path.suffix in (".log", ".txt") or "log" in path.parts):
                found.append(path)
    return found


def test_simulate_and_failed_login_never_show_a_secret(seeded: LocalWiki, tmp_path: Path) -> None:
    config = local_config(seeded, tmp_path)
    simulated = cli(["run", "--simulate", "-v", "--config", str(config)], seeded)
    assert simulated.returncode == 0, simulated.stderr[-2000:]
    assert "@@" in simulated.stdout or "simulated" in simulated.stdout  # diffs were printed

    wrong = tmp_path / "wrong.toml"
    wrong.write_text(
        f'[wiki]\nfamily = "{seeded.family}"\ncode = "{seeded.family}"\nuser = "GrantBot"\n'
        f'password_env = "GRANTBOT_TEST_SECRET"\n[state]\nurl = "sqlite:///{tmp_path / "w.sqlite"}"\n'
    )
    # A pywikibot dir without the simulate run's session cookies, or the
    # cookies would log the bot in whatever the password says.
    fresh_dir = tmp_path / "pywikibot"
    fresh_dir.mkdir()
    (fresh_dir / "user-config.py").write_text((seeded.pywikibot_dir / "user-config.py").read_text())
    failed = cli(["run", "-v", "--config", str(wrong)], seeded,
                 {"GRANTBOT_TEST_SECRET": WRONG, "PYWIKIBOT_DIR": str(fresh_dir)})
    assert failed.returncode == 1

    texts = {"simulate stdout": simulated.stdout, "simulate stderr": simulated.stderr,
             "login stdout": failed.stdout, "login stderr": failed.stderr}
    for path in log_files(seeded.directory, seeded.pywikibot_dir, tmp_path):
        texts[str(path)] = path.read_text(errors="replace")
    assert len(texts) > 4, "no log file was written: the check would prove nothing"
    for secret in secrets_of(seeded) + [WRONG.split(":")[1]]:
        for where, text in texts.items():
            assert secret not in text, f"a secret appears in {where}"


def test_wrong_bot_password_on_the_command_line_is_one_line_and_fast(
    fresh_wiki: LocalWiki, tmp_path: Path
) -> None:
    config = tmp_path / "g.toml"
    config.write_text(
        f'[wiki]\nfamily = "{fresh_wiki.family}"\ncode = "{fresh_wiki.family}"\nuser = "GrantBot"\n'
        f'password_env = "GRANTBOT_TEST_SECRET"\n[state]\nurl = "sqlite:///{tmp_path / "s.sqlite"}"\n'
    )
    began = time.monotonic()
    result = cli(["run", "--config", str(config)], fresh_wiki, {"GRANTBOT_TEST_SECRET": WRONG})
    took = time.monotonic() - began
    print(f"wrong password: exit {result.returncode} in {took:.1f} s: {result.stderr.strip()}")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("grantbot: ") and "log" in lines[0].lower()
    assert "Traceback" not in result.stderr + result.stdout
    assert WRONG.split(":")[1] not in result.stderr + result.stdout
    assert took < 20


def test_broken_config_names_the_key(fresh_wiki: LocalWiki, tmp_path: Path) -> None:
    config = local_config(fresh_wiki, tmp_path, "[reminders]\ninterval_days = \"soon\"\n")
    result = cli(["run", "--config", str(config)], fresh_wiki, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "reminders.interval_days" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("key", ["[status]\npage", "[status]\njson_page", "[requests]\npage"])
def test_config_cannot_send_the_bot_outside_its_pages(
    seeded: LocalWiki, tmp_path: Path, key: str
) -> None:
    before = _revisions(seeded, "Main Page")
    config = local_config(seeded, tmp_path, f'{key} = "Main Page"\n')
    if key.startswith("[requests]"):
        seeded.edit_as_human("Main Page", f"Requests:\n* [[Grants:{UNANSWERED}]]\n", "bait")
        before = _revisions(seeded, "Main Page")
        from jobs.requests import serve_requests

        ctx = open_context(load_config(config))
        with pytest.raises(NotAllowedError) as err:
            serve_requests(ctx)
    else:
        ctx = open_context(load_config(config))
        with pytest.raises(NotAllowedError) as err:
            sweep(ctx)
        assert ctx.state.recent_runs(1)[0].outcome == "failed"
    assert "Main Page" in str(err.value) and "\n" not in str(err.value)
    assert _revisions(seeded, "Main Page") == before
    ctx.state.close()


def test_cli_refuses_a_status_page_outside_the_allowlist(seeded: LocalWiki, tmp_path: Path) -> None:
    before = _revisions(seeded, "Main Page")
    config = local_config(seeded, tmp_path, '[status]\npage = "Main Page"\n')
    result = cli(["run", "--config", str(config)], seeded)
    assert result.returncode == 2  # the configuration named the page: a configuration error
    assert result.stderr.strip().count("\n") == 0 and "refusing to edit 'Main Page" in result.stderr  # the page or its detail subpage
    assert _revisions(seeded, "Main Page") == before


def test_scheduled_request_check_ignores_people_who_may_not_ask(
    seeded: LocalWiki, tmp_path: Path
) -> None:
    from jobs.runner import check_requests

    config = local_config(seeded, tmp_path, '[requests]\nallowed_users = []\nallowed_groups = ["sysop"]\n')
    page = "User:GrantBot/Run"
    seeded.edit_as_human(page, f"Requests:\n* [[Grants:{UNANSWERED}]]\n", "please run")
    talk_before = _revisions(seeded, f"Grants talk:{UNANSWERED}")
    assert check_requests(str(config)) == 0
    assert _revisions(seeded, f"Grants talk:{UNANSWERED}") == talk_before


def _revisions(wiki: LocalWiki, title: str) -> list[int]:
    return [r["revid"] for r in revisions(wiki, title)]
