#!/usr/bin/env python3
"""Time the thread parser on the 518 KB en-big page against mwparserfromhell.parse.

Usage: .venv/bin/python bench/parse_speed.py /work/shared/benchmarks/talkpages [--repeat N]

Target: under 1 s and at most 3x mwparserfromhell on the same text.  Best of
N runs each, in a fresh process state (caches of compiled regexes warmed by
one untimed call, as in a long-running bot).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import mwparserfromhell  # noqa: E402

from parsers.threads import parse_talk_page  # noqa: E402


def best_of(n: int, fn) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    text = (Path(argv[0]) / "cases" / "en-big-parsoid" / "input.wikitext").read_text(encoding="utf-8")
    parse_talk_page("warm up [[User:X]] 10:00, 1 May 2020 (UTC)")
    ours = best_of(repeat, lambda: parse_talk_page(text))
    theirs = best_of(repeat, lambda: mwparserfromhell.parse(text))
    page = parse_talk_page(text)
    print(f"page: {len(text.encode('utf-8'))} bytes, {len(page.comments)} comments, {len(page.headings)} headings")
    print(f"parse_talk_page:        {ours:.3f} s")
    print(f"mwparserfromhell.parse: {theirs:.3f} s")
    print(f"ratio: {ours / theirs:.2f}x  (target < 1 s and <= 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
