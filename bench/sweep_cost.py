"""What a sweep costs the wiki: HTTP requests by API action, edits, time, memory.

Builds a throwaway local wiki with N synthetic grants (plus the samples),
then measures three sweeps: the first, one with nothing changed, and one
after a person edited one talk page.  Requests are counted at the HTTP
level (a hook on pywikibot's session), so pywikibot's own login and token
requests are included.

    .venv/bin/python bench/sweep_cost.py --grants 200
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grants", type=int, default=200, help="synthetic grants to seed")
    parser.add_argument("--no-reminders", action="store_true", help="measure without reminders")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="grantbot-bench-"))
    from localwiki import LocalWiki
    from localwiki.seed import seed_wiki

    wiki = LocalWiki.create(tmp / "wiki")
    try:
        started = time.perf_counter()
        seed_wiki(wiki, datetime.now(timezone.utc).replace(microsecond=0), synthetic=args.grants)
        wiki.start()
        print(f"seeded {args.grants} synthetic grants + samples in {time.perf_counter() - started:.1f} s")
        os.environ["PYWIKIBOT_DIR"] = str(wiki.pywikibot_dir)
        config = tmp / "grantbot.toml"
        config.write_text(
            f'[wiki]\nlocal_dir = "{wiki.directory}"\n'
            f'[reminders]\nenabled = {"false" if args.no_reminders else "true"}\n'
            f'[state]\nurl = "sqlite:///{tmp / "state.sqlite"}"\n'
        )
        rows = [measure("first sweep", config)]
        rows.append(measure("nothing changed", config))
        from _wiki import first_talk_page

        talk = first_talk_page(wiki)
        wiki.edit_as_human(talk, "== A late note ==\nThanks! [[User:Alice|Alice]] "
                           "10:00, 1 November 2026 (UTC)\n", "bench edit")
        rows.append(measure("one talk page edited", config))
        print()
        print(f"{'sweep':24} {'requests':>8} {'reads':>6} {'edits':>6} {'fetched':>8} "
              f"{'seconds':>8}  by action")
        for name, summary, counter, seconds in rows:
            actions = ", ".join(f"{k}={v}" for k, v in sorted(counter.by_action.items()))
            print(f"{name:24} {counter.total:8} {counter.total - counter.writes:6} "
                  f"{summary.edits:6} {summary.fetched:8} {seconds:8.2f}  {actions}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (max RSS of this process): {peak:.0f} MB")
    finally:
        wiki.destroy()
    return 0


def measure(name: str, config: Path) -> tuple:  # type: ignore[type-arg]
    from _wiki import timed_sweep

    summary, counter, seconds = timed_sweep(config)
    return name, summary, counter, seconds


if __name__ == "__main__":
    raise SystemExit(main())
