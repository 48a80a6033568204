"""How long a fresh local wiki takes: template copy + accounts + server ready.

Target: under 2 s per wiki, so destructive tests can each have their own.
The first run may also build the template (install.php, once per MediaWiki
version); that is timed separately and excluded from the average.

    .venv/bin/python bench/wiki_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from localwiki import LocalWiki
from localwiki.install import template_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    template_dir()
    print(f"template ready (built or found) in {time.perf_counter() - started:.2f} s")

    create_times, start_times, totals = [], [], []
    with tempfile.TemporaryDirectory(prefix="grantbot-bench-") as tmp:
        for run in range(args.runs):
            t0 = time.perf_counter()
            wiki = LocalWiki.create(Path(tmp) / f"wiki{run}")
            t1 = time.perf_counter()
            wiki.start()
            t2 = time.perf_counter()
            wiki.api_session("bot")  # a real login proves the wiki is usable
            t3 = time.perf_counter()
            wiki.destroy()
            create_times.append(t1 - t0)
            start_times.append(t2 - t1)
            totals.append(t3 - t0)
            print(f"run {run + 1}: create {t1 - t0:.2f} s, start {t2 - t1:.2f} s, "
                  f"usable (bot logged in) {t3 - t0:.2f} s")
    mean = statistics.mean(totals)
    print(f"mean over {args.runs} runs: create {statistics.mean(create_times):.2f} s, "
          f"start {statistics.mean(start_times):.2f} s, total {mean:.2f} s "
          f"(target < 2 s: {'met' if mean < 2 else 'MISSED'})")


if __name__ == "__main__":
    main()
