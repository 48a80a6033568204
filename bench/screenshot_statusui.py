"""Screenshots of what program officers and grantees see, from a real sweep of the sample grants.

Builds a throwaway local wiki (or uses ``--wiki-dir``), seeds the sample
grants, marks one item "answered" on a talk page the way a grantee would,
runs one grantbot sweep a day after seeding (so reminders are due), then
has headless Chromium (Debian ``chromium``) photograph: the status page,
the per-reviewer view, one grant's detail page, and a reminder in English
and in Spanish, then the same status page, per-reviewer view and detail page in Spanish.
Prints each image's path and the seconds it took.

    .venv/bin/python bench/screenshot_statusui.py --out-dir docs
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]


def shoot(chromium: str, url: str, out: Path, profile: Path, size: str) -> float:
    started = time.perf_counter()
    subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size}",
                    f"--screenshot={out}", url], check=True, capture_output=True, timeout=120)
    return time.perf_counter() - started


def correct_one_item(wiki, talk: str, grantee: str, now: datetime) -> None:  # type: ignore[no-untyped-def]
    """The grantee says on the page that the newest open item was handled by email."""
    from parsers.analysis import analyse_talk_page

    text = wiki.api_session("human").call(action="query", prop="revisions", titles=talk, rvprop="content",
                                          rvslots="main")["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]
    first = analyse_talk_page(text, grantees=[grantee]).open_items[-1].id
    stamp = f"{now:%H:%M}, {now.day} {now:%B %Y} (UTC)"
    wiki.edit_as_human(talk, text + f"\n== Notes for the bot ==\nWe sent this by email. {{{{grantbot|answered|{first}}}}} "
                       f"[[User:{grantee}|{grantee}]] {stamp}\n", "answered by email")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=Path("docs"))
    parser.add_argument("--wiki-dir", type=Path, help="build the wiki here (default: a temporary one)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium not found: apt-get install -y --no-install-recommends chromium", file=sys.stderr)
        return 2
    from jobs.config import load_config
    from jobs.context import open_context
    from jobs.sweep import sweep
    from localwiki import LocalWiki
    from localwiki.seed import seed_wiki
    from localwiki.seed.samples_en import UNANSWERED
    from localwiki.seed.samples_intl import SPANISH

    scratch = Path(tempfile.mkdtemp(prefix="grantbot-shots-"))
    wiki = LocalWiki.ensure(args.wiki_dir or scratch / "wiki")
    try:
        started = time.perf_counter()
        seeded_at = datetime.now(timezone.utc).replace(microsecond=0)
        seed_wiki(wiki, seeded_at)
        wiki.start()
        wiki.register_pywikibot()
        import pywikibot.config

        pywikibot.config.put_throttle = 0  # a local wiki needs no politeness
        correct_one_item(wiki, f"Grants talk:{UNANSWERED}", "Owen Pritchard", seeded_at)
        config = scratch / "grantbot.toml"
        config.write_text(f'[wiki]\nlocal_dir = "{wiki.directory}"\n[roles]\nreviewers = ["Ingrid Solberg", '
                          f'"Ravi Menon"]\n[state]\nurl = "sqlite:///{scratch / "state.sqlite"}"\n')
        now = seeded_at + timedelta(days=1)
        summary = sweep(open_context(load_config(config), now=lambda: now))
        print(f"wiki seeded and swept in {time.perf_counter() - started:.1f} s: {summary.lines()[0]}")
        status = "User:GrantBot/Grant status"
        shots = [
            (status, "status-page.png", "1700,1000"),
            (f"{status}/By reviewer", "status-by-reviewer.png", "1300,900"),
            (f"{status}/Grants:{UNANSWERED.removesuffix('/Report')}", "status-detail.png", "1500,700"),
            (f"Grants talk:{UNANSWERED}", "reminder-en.png", "1300,900"),
            (f"Grants talk:{SPANISH}", "reminder-es.png", "1300,900"),
        ]
        # The same grants and state on a Spanish status page (the reminders posted today hold
        # back any other): headers, legend, summary, views and detail pages in its language.
        spanish = scratch / "grantbot-es.toml"
        # (its own state database: one that saw the English pages would retire them)
        spanish.write_text(config.read_text().replace("[wiki]\n", '[wiki]\nlang = "es"\n')
                           .replace("state.sqlite", "state-es.sqlite")
                           + '[status]\npage = "User:GrantBot/Estado"\njson_page = "User:GrantBot/Estado.json"\n')
        sweep(open_context(load_config(spanish), now=lambda: now))
        shots += [("User:GrantBot/Estado", "status-page-es.png", "1700,1000"),
                  ("User:GrantBot/Estado/By reviewer", "status-by-reviewer-es.png", "1300,900"),
                  (f"User:GrantBot/Estado/Grants:{UNANSWERED.removesuffix('/Report')}", "status-detail-es.png",
                   "1500,700")]
        args.out_dir.mkdir(parents=True, exist_ok=True)
        for title, name, size in shots:
            url = wiki.page_url(title)
            out = (args.out_dir / name).resolve()
            seconds = shoot(chromium, url, out, scratch / "profile", size)
            print(f"{out}: {out.stat().st_size} bytes in {seconds:.2f} s ({url})")
    finally:
        wiki.destroy() if args.wiki_dir is None else wiki.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
