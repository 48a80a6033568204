#!/usr/bin/env python3
"""One comment written as a single very long line, analysed whole.

Usage: .venv/bin/python bench/long_line.py [--mb 1] [--profile]

Why: talk pages carry pasted logs, tables flattened by tools and reviewers
who never press Enter; a 180 KB line once took a minute because every full
stop and every user link searched the rest of the line.  This builds a page
whose middle comment is one line of about ``--mb`` MB (sentences, questions,
user mentions, links, templates, a few timestamps quoted inside the text),
signed at its end, with ordinary comments around it, and times
``analyse_talk_page`` on it (the whole analysis: threads, items, answers).
Target: under 5 s for 1 MB.  It also times a quarter and a half of the size,
so the growth (linear or not) shows.  ``--profile`` prints the 15 costliest
functions of the full-size run.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.analysis import analyse_talk_page  # noqa: E402

PIECES = (
    "The venue for session {n} was booked in advance.",
    "Could you explain why item {n} cost more than planned?",
    "As [[User:Helper {m}|Helper {m}]] said, the photos are on Commons.",
    "Please upload the receipts for line {n}.",
    "See [[Grants:Project/Example/Report#Budget|the budget table]] and {{tl|done}} for details.",
    "The volunteers (about {n} of them) wrote e.g. three articles each, etc.",
    "On 3 March 2024 we met [[User talk:Helper {m}|again]] to plan the next steps!",
    "Visit [https://example.org/report/{n} the report] for the raw numbers, as promised in the proposal.",
    "A note left at 10:{mm}, 4 May 2024 (UTC) by the venue manager is copied here.",
)


def long_line_page(size: int) -> str:
    """A talk page whose second comment is one line of about ``size`` characters."""
    parts: list[str] = []
    total = n = 0
    while total < size:
        piece = PIECES[n % len(PIECES)].format(n=n, m=n % 17, mm=f"{n % 60:02d}")
        parts.append(piece)
        total += len(piece) + 1
        n += 1
    line = " ".join(parts)
    return (
        "== Report review ==\n"
        "Here is the report, questions welcome. [[User:Grantee One|Grantee One]] 09:00, 1 June 2024 (UTC)\n"
        f":{line} [[User:Reviewer (WMF)|Reviewer (WMF)]] ([[User talk:Reviewer (WMF)|talk]]) "
        "10:00, 2 June 2024 (UTC)\n"
        "::The receipts for line 4 are uploaded now. [[User:Grantee One|Grantee One]] 11:00, 3 June 2024 (UTC)\n"
    )


def timed(text: str) -> tuple[float, int]:
    started = time.perf_counter()
    analysis = analyse_talk_page(text, title="Grants talk:Project/Example/Report", reviewers=("Reviewer (WMF)",),
                                 grantees=("Grantee One",))
    return time.perf_counter() - started, len(analysis.items)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)
    size = int(args.mb * 1_000_000)
    for fraction in (0.25, 0.5, 1.0):
        text = long_line_page(int(size * fraction))
        seconds, items = timed(text)
        longest = max(len(line) for line in text.split("\n"))
        print(f"{len(text) / 1e6:6.2f} MB page, longest line {longest / 1e6:.2f} MB: "
              f"{seconds:6.2f} s, {items} items")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(timed, long_line_page(size))
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)
    text = long_line_page(size)
    seconds, _ = timed(text)
    verdict = "OK" if seconds < 5 else "TOO SLOW"
    print(f"target: a {len(text) / 1e6:.2f} MB single-line comment in < 5 s: {seconds:.2f} s {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
