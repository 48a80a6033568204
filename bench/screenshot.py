"""Screenshot of the rendered status page, for eyeballing the colour cues.

Starts a throwaway local wiki (or uses ``--wiki-dir``), saves a status page
and one detail page built from synthetic grants through the real writer,
then has headless Chromium (Debian ``chromium``) photograph both.  Prints
the timings and the image paths.

    .venv/bin/python bench/screenshot.py --out /tmp/status.png
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


def sample_rows(now: datetime) -> list:  # type: ignore[type-arg]
    from publishing.statuspage import GrantRow
    from parsers.model import (
        ItemKind, ItemStatus, ReportAnalysis, ReportSection, ReviewerItem, TalkAnalysis,
        ThreadStatus, WaitingOn,
    )

    def item(ident: str, days: int, text: str, status: ItemStatus = ItemStatus.OPEN) -> ReviewerItem:
        return ReviewerItem(
            ident, ItemKind.QUESTION, text, "Program Officer (WMF)", now - timedelta(days=days),
            ("Feedback", "Budget"), "Feedback", status, None, None, None, None, False,
            "no reply from the grantee side after the question", days,
        )

    def talk(items: tuple[ReviewerItem, ...], waiting: WaitingOn) -> TalkAnalysis:
        thread = ThreadStatus(("Feedback",), 0, "Grantee", now - timedelta(days=4),
                              now - timedelta(days=4), now - timedelta(days=9), waiting)
        return TalkAnalysis(None, "en", ("Program Officer (WMF)",), ("Grantee",), items, (thread,))

    report = ReportAnalysis(None, (("status", "submitted"),),
                            (ReportSection(("Outcomes",), "Outcomes", "empty"),))
    return [
        GrantRow("Grants:Village photo walks 2024", "Grants talk:Village photo walks 2024/Report",
                 "Grants:Village photo walks 2024/Report",
                 talk((item("a", 31, "Could you explain the travel costs {{and this}}?"),
                       item("b", 16, "Please upload the attendance sheet.")), WaitingOn.GRANTEE),
                 report, 1, now),
        GrantRow("Grants:Library editathon", "Grants talk:Library editathon/Report",
                 "Grants:Library editathon/Report",
                 talk((item("c", 5, "How many new articles were created?"),), WaitingOn.GRANTEE),
                 report, 0, now),
        GrantRow("Grants:Oral history recordings", "Grants talk:Oral history recordings/Report",
                 "Grants:Oral history recordings/Report", talk((), WaitingOn.REVIEWER), None, 0, now),
        GrantRow("Grants:School workshops", "Grants talk:School workshops/Report",
                 "Grants:School workshops/Report", talk((), WaitingOn.NOBODY), None, 2, now),
        GrantRow("Grants:Missing talk", "Grants talk:Missing talk/Report",
                 note="talk page does not exist"),
    ]


def shoot(chromium: str, url: str, out: Path, profile: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1600,900",
         f"--screenshot={out}", url],
        check=True, capture_output=True, timeout=120,
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("status-page.png"))
    parser.add_argument("--wiki-dir", type=Path, help="reuse this local wiki (default: a temporary one)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium not found: apt-get install -y --no-install-recommends chromium", file=sys.stderr)
        return 2

    from localwiki import LocalWiki

    scratch = Path(tempfile.mkdtemp(prefix="grantbot-shot-"))
    started = time.perf_counter()
    wiki = LocalWiki.ensure(args.wiki_dir or scratch / "wiki").start()
    try:
        wiki.register_pywikibot()
        import pywikibot.config

        pywikibot.config.put_throttle = 0  # a local wiki needs no politeness
        pywikibot.config.minthrottle = 0
        from publishing import statuspage as sp
        from bots.site import WikiSite
        from bots.writer import Writer

        now = datetime.now(timezone.utc).replace(microsecond=0)
        site = WikiSite(wiki.pywikibot_site("bot"))
        writer = Writer(site)
        spec = sp.StatusPageSpec(title=f"User:{site.user}/Grant status")
        rows = sample_rows(now)
        outcomes = [writer.write_block(spec.title, sp.render_table(rows, spec, now), sp.edit_summary(rows))]
        detail = spec.detail_title(rows[0].grant_title)
        outcomes.append(writer.write_block(detail, sp.render_detail(rows[0], spec, now), "details"))
        print(f"wiki ready and pages saved in {time.perf_counter() - started:.2f} s")
        for outcome in outcomes:
            print(" ", outcome.describe())
        for title, out in ((spec.title, args.out), (detail, args.out.with_name(args.out.stem + "-detail.png"))):
            seconds = shoot(chromium, wiki.page_url(title), out.resolve(), scratch / "profile")
            print(f"{out}: {out.stat().st_size} bytes in {seconds:.2f} s ({wiki.page_url(title)})")
    finally:
        if args.wiki_dir is None:
            wiki.destroy()
        else:
            wiki.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
