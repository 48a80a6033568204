#!/usr/bin/env python3
"""Exact-match rate of the timestamp parser on the shared timestamp benchmark, per site.

Usage: .venv/bin/python bench/timestamps.py /work/shared/benchmarks/timestamps [--failures N]

Each case's site gives the parser's language and IANA zone (its ``sites``
table).  DiscussionTools cases are one timestamp each; pywikibot cases follow
pywikibot's TimeStripper selection rule (the last timestamp of a text, and
across ``<!-- -->``/link segments the latest one), applied here on top of the
parser's :func:`find_timestamps`, which finds all of them.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.timestamps import find_timestamps  # noqa: E402

_SEGMENT = re.compile(r"<!--.*?-->|\[\[.*?\]\]|\[[a-z]+://[^\]]*\]|<[^<>]*>", re.DOTALL)


def settings(sites: dict, case: dict) -> tuple[str, str]:
    override = case.get("site_override")
    if override:
        return "en", override.get("localTimezone", "UTC")
    site = sites.get(case["site"], {})
    lang = site.get("language") or next(iter(site.get("dateFormat", {"en": ""})))
    return lang.split("-")[0] if lang.startswith("sr") else lang, site.get("localTimezone", "UTC")


def predict(case: dict, lang: str, tz: str) -> str | None:
    text = case["input"]
    if case["source"] != "pywikibot":
        found = [t for t in find_timestamps(text, lang, tz) if t.value]
        return found[0].value.strftime("%Y-%m-%dT%H:%M:%SZ") if found else None
    segments = [m.group(0) for m in _SEGMENT.finditer(text)] + [_SEGMENT.sub(lambda m: " " * len(m.group(0)), text)]
    best = None
    for seg in segments:
        found = [t for t in find_timestamps(seg, lang, tz) if t.value]
        if found and (best is None or found[-1].value > best):
            best = found[-1].value
    return best.strftime("%Y-%m-%dT%H:%M:%SZ") if best else None


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    data = json.loads((Path(argv[0]) / "cases.json").read_text(encoding="utf-8"))
    show = int(argv[argv.index("--failures") + 1]) if "--failures" in argv else 0
    per_site: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures = []
    for case in data["cases"]:
        lang, tz = settings(data["sites"], case)
        got = predict(case, lang, tz)
        expected = case["expected_utc"]
        if expected:
            expected = expected.replace("+00:00", "Z")
            if len(expected) == 17:
                expected = expected[:-1] + ":00Z"
        ok = got == expected
        site = case["site"] or "dst"
        per_site[site][0] += ok
        per_site[site][1] += 1
        if not ok:
            failures.append((site, case["input"], expected, got))
    print(f"{'site':<14} {'ok':>5} {'cases':>6} {'rate':>8}")
    for site, (ok, n) in sorted(per_site.items()):
        print(f"{site:<14} {ok:>5} {n:>6} {ok / n:>8.2%}")
    english = [per_site[s] for s in ("enwiki", "commonswiki") if s in per_site]
    ok_en, n_en = sum(x[0] for x in english), sum(x[1] for x in english)
    ok_all, n_all = sum(x[0] for x in per_site.values()), sum(x[1] for x in per_site.values())
    print(f"English (enwiki+commonswiki): {ok_en}/{n_en} = {ok_en / n_en:.2%}")
    print(f"overall: {ok_all}/{n_all} = {ok_all / n_all:.2%}")
    for failure in failures[:show]:
        print("FAIL", failure)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
