"""grantbot's sweeps against a straightforward pywikibot loop doing the same analysis.

For each N it builds a throwaway local wiki with N synthetic grants (plus the
13 samples) and measures, each phase in a fresh subprocess so that no phase
inherits another's memory peak or pywikibot caches:

* grantbot's first sweep, a sweep with nothing changed, and a sweep after a
  person added a section to one talk page;
* the naive loop at the same three moments: ``site.allpages(namespace=200)``,
  each report page's and talk page's text read one by one, grantbot's own
  ``analyse_report_page``/``analyse_talk_page`` on them, a plain status
  table saved to one page.  The naive loop keeps no state, posts no detail
  pages and no reminders, and takes the report's last editor as the grantee
  (free with the text) instead of the top contributors.

grantbot runs with reminders disabled so both sides do the same kind of
work; it still writes its detail subpages and JSON copy, so the table shows
read requests (everything but login and edit) beside the totals.  Requests
are counted at the HTTP level (``bots.metrics.count_requests``), login and
pywikibot's own paraminfo/token requests included.  Peak memory is the max
RSS of the phase's process (``os.wait4``), imports included.

    .venv/bin/python bench/compare_naive.py [--grants 100 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PHASE_TIMEOUT = 1200  # seconds; a phase that takes longer is a bug worth stopping
NAIVE_STATUS = "User:GrantBot/Naive status"
MOMENTS = ("first sweep", "nothing changed", "one talk page edited")


# ------------------------------------------------------------------ child side

def _child_result(counter: Any, seconds: float, edits: int, extra: dict[str, Any]) -> None:
    print(json.dumps({
        "requests": counter.total, "reads": counter.reads, "writes": counter.writes,
        "by_action": counter.by_action, "edits": edits, "seconds": seconds,
        "self_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **extra,
    }))


def phase_grantbot(config: Path) -> None:
    from _wiki import timed_sweep

    summary, counter, seconds = timed_sweep(config)
    _child_result(counter, seconds, summary.edits,
                  {"grants": summary.grants, "fetched": summary.fetched, "result": summary.result})


def phase_naive(wiki_dir: Path) -> None:
    """The loop a bot author would write first: no state, one page at a time."""
    from bots.localwiki import LocalWiki
    from bots.metrics import count_requests
    from jobs.config_schema import DEFAULT_REPORT_PATTERN
    from parsers.analysis import analyse_talk_page
    from parsers.report import analyse_report_page

    wiki = LocalWiki.open(wiki_dir)
    report_re = re.compile(DEFAULT_REPORT_PATTERN)
    rows: list[tuple[str, int, int, int]] = []
    with count_requests() as counter:
        started = time.perf_counter()
        site = wiki.pywikibot_site("bot")
        for page in site.allpages(namespace=200):
            rest = page.title(with_ns=False)
            if not report_re.search(rest):
                continue
            report = analyse_report_page(page.text, title=page.title())
            talk_page = page.toggleTalkPage()
            talk_text = talk_page.text  # "" when the talk page does not exist
            grantee = page.latest_revision.user if page.exists() else None
            talk = analyse_talk_page(talk_text, title=talk_page.title(), lang=site.lang, tz="UTC",
                                     reviewer_patterns=(r"\(WMF\)$",),
                                     grantees=(grantee,) if grantee else (),
                                     ignored=(site.username(),))
            rows.append((page.title(), len(talk.open_items), len(talk.items),
                         len(report.empty_sections)))
        import pywikibot

        out = pywikibot.Page(site, NAIVE_STATUS)
        out.text = _naive_table(rows)
        before = counter.writes
        out.save(summary=f"Status of {len(rows)} grants", minor=False, quiet=True)
        seconds = time.perf_counter() - started
    _child_result(counter, seconds, counter.writes - before, {"grants": len(rows), "fetched": len(rows)})


def _naive_table(rows: list[tuple[str, int, int, int]]) -> str:
    lines = ['{| class="wikitable sortable"', "! Report !! Open items !! Items !! Empty sections"]
    for title, open_items, items, empty in sorted(rows):
        lines += ["|-", f"| [[{title}]] || {open_items} || {items} || {empty}"]
    return "\n".join(lines + ["|}"]) + "\n"


# ------------------------------------------------------------------ parent side

def run_phase(kind: str, wiki_dir: Path, config: Path) -> dict[str, Any]:
    """One phase in a fresh interpreter; its own max RSS from ``wait4``."""
    env = dict(os.environ, PYWIKIBOT_DIR=str(wiki_dir / "pywikibot"))
    proc = subprocess.Popen(
        [sys.executable, __file__, "--phase", kind, "--wiki-dir", str(wiki_dir), "--config", str(config)],
        stdout=subprocess.PIPE, env=env,
    )
    assert proc.stdout is not None
    started = time.perf_counter()
    output = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"phase {kind} failed with exit {proc.returncode}: {output[-2000:]}")
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["rss_mb"] = usage.ru_maxrss / 1024
    result["process_seconds"] = time.perf_counter() - started
    return result


def measure(n: int, detail: str) -> list[tuple[str, str, dict[str, Any]]]:
    from _wiki import append_as_human, first_talk_page, seeded_wiki, write_config

    rows: list[tuple[str, str, dict[str, Any]]] = []
    with seeded_wiki(n) as (wiki, tmp, seed_seconds):
        print(f"N={n}: seeded {n} synthetic grants + 13 samples in {seed_seconds:.1f} s "
              f"(MediaWiki {wiki._meta.get('mw_version', '?')})", flush=True)
        config = write_config(wiki, tmp, reminders=False, detail=detail)
        for moment in MOMENTS:
            if moment == "one talk page edited":
                append_as_human(wiki, first_talk_page(wiki))
            for kind in ("grantbot", "naive"):
                result = run_phase(kind, wiki.directory, config)
                rows.append((moment, kind, result))
                print(f"  {moment:22} {kind:8} {result['requests']:6} requests "
                      f"{result['seconds']:7.2f} s {result['rss_mb']:6.0f} MB", flush=True)
    return rows


def print_table(n: int, rows: list[tuple[str, str, dict[str, Any]]]) -> None:
    print(f"\n### N = {n} synthetic grants (+13 samples)\n")
    print("| sweep | bot | requests | reads | edits | grants fetched | seconds | peak RSS MB | by action |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for moment, kind, r in rows:
        actions = ", ".join(f"{k}={v}" for k, v in sorted(r["by_action"].items()))
        print(f"| {moment} | {kind} | {r['requests']} | {r['reads']} | {r['edits']} | {r['fetched']} "
              f"| {r['seconds']:.2f} | {r['rss_mb']:.0f} | {actions} |")
    print("\n| sweep | requests naive/grantbot | reads naive/grantbot | time naive/grantbot |")
    print("| --- | ---: | ---: | ---: |")
    by = {(m, k): r for m, k, r in rows}
    for moment in MOMENTS:
        g, v = by[(moment, "grantbot")], by[(moment, "naive")]
        print(f"| {moment} | {_ratio(v['requests'], g['requests'])} | {_ratio(v['reads'], g['reads'])} "
              f"| {_ratio(v['seconds'], g['seconds'])} |")
    first, quiet = by[("first sweep", "grantbot")], by[("nothing changed", "grantbot")]
    naive = by[("first sweep", "naive")]
    peak = max(r["rss_mb"] for m, k, r in rows if k == "grantbot")
    print(f"\ntargets at N = {n}:")
    print(f"- nothing-changed sweep <= 3 requests: {quiet['requests']} "
          f"-> {'met' if quiet['requests'] <= 3 else 'NOT met'}")
    print(f"- first sweep <= 1/20 of the naive loop's requests: {first['requests']} vs {naive['requests']} "
          f"(1/{naive['requests'] / max(1, first['requests']):.1f}) -> "
          f"{'met' if first['requests'] * 20 <= naive['requests'] else 'NOT met'}; "
          f"reads only: {first['reads']} vs {naive['reads']} (1/{naive['reads'] / max(1, first['reads']):.1f})")
    print(f"- grantbot peak memory <= 300 MB: {peak:.0f} MB -> {'met' if peak <= 300 else 'NOT met'}")


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grants", type=int, nargs="+", default=[100, 1000],
                        help="synthetic grant counts to measure (each 0-1000)")
    parser.add_argument("--detail", choices=("sections", "subpages"), default="sections",
                        help="where grantbot puts per-grant details: sections of the one status "
                             "page (like the naive loop's single page) or a subpage per grant")
    parser.add_argument("--phase", choices=("grantbot", "naive"), help=argparse.SUPPRESS)
    parser.add_argument("--wiki-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        signal.alarm(PHASE_TIMEOUT)
        if args.phase == "grantbot":
            phase_grantbot(args.config)
        else:
            phase_naive(args.wiki_dir)
        return 0
    print(f"grantbot details as {args.detail}; reminders off for both bots")
    results = [(n, measure(n, args.detail)) for n in args.grants]
    for n, rows in results:
        print_table(n, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
