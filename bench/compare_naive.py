"""grantbot's sweeps beside a competent pywikibot loop and a naive one, same analysis.

For each N it builds a throwaway local wiki with N synthetic grants (plus the
13 samples) and measures, each phase in a fresh subprocess so that no phase
inherits another's memory peak or pywikibot caches, three moments: the
first sweep, a sweep with nothing changed, and a sweep after a person added
a section to one talk page.  Three bots:

* ``grantbot``, reminders off (the loops post none), as configured by
  default otherwise (per-grant details as sections, the views, the JSON
  copy, authorship verification), and, unless ``--no-lean``, configured to
  publish what the loop publishes (``detail = "none"``, ``views = false``,
  no JSON copy: one table), with and without verification;
* ``loop``: the competent operator's loop (``bench/competent_loop.py``):
  ``site.allpages``, ``site.preloadpages`` 500 pages a request, one status
  save only when the table changed, later runs one ``site.recentchanges``
  query and a JSON state file;
* ``naive``: ``site.allpages(namespace=200)`` and each report and talk page
  read one request each at every run, no state (skipped above
  ``--naive-max`` grants: it makes two requests per grant per run).

The bot is logged in once before the phases (as a deployed bot keeps its
session), so the first phase does not pay a login the others skip.
Per phase: HTTP requests (``bots.metrics.count_requests``, login and
pywikibot's own requests included), wall and CPU seconds of the phase
(imports excluded), peak RSS of the process (``os.wait4``, imports
included), SQL statements (grantbot), and the largest page the bot left on
the wiki with the number of pages it maintains.

    .venv/bin/python bench/compare_naive.py [--grants 100 1000 3000 10000]
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
LOOP_STATUS = "User:GrantBot/Loop status"
GRANTBOT_PAGES = "GrantBot/Grant status"
MOMENTS = ("first sweep", "nothing changed", "one talk page edited")
BOTS = ("grantbot", "loop", "naive")


# ------------------------------------------------------------------ child side

def _child_result(counter: Any, seconds: float, cpu: float, edits: int,
                  extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "requests": counter.total, "reads": counter.reads, "writes": counter.writes,
        "by_action": counter.by_action, "edits": edits, "seconds": seconds, "cpu": cpu,
        "self_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **extra,
    }


def phase_grantbot(config: Path) -> dict[str, Any]:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from _wiki import timed_sweep

    statements: list[int] = []
    event.listen(Engine, "before_cursor_execute", lambda *args: statements.append(1))
    cpu = time.process_time()
    summary, counter, seconds = timed_sweep(config)
    return _child_result(counter, seconds, time.process_time() - cpu, summary.edits,
                         {"grants": summary.grants, "fetched": summary.fetched, "result": summary.result,
                          "errors": summary.errors[:3], "sql": len(statements)})


def phase_loop(wiki_dir: Path, state_file: Path) -> dict[str, Any]:
    from bots.metrics import count_requests
    from competent_loop import run_loop
    from jobs.config_schema import DEFAULT_REPORT_PATTERN
    from localwiki import LocalWiki

    wiki = LocalWiki.open(wiki_dir)
    with count_requests() as counter:
        cpu, started = time.process_time(), time.perf_counter()
        result = run_loop(wiki.pywikibot_site("bot"), state_file, DEFAULT_REPORT_PATTERN)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return _child_result(counter, seconds, cpu, result.pop("edits"), {**result, "result": "ok", "sql": 0})


def phase_naive(wiki_dir: Path) -> dict[str, Any]:
    """The loop a bot author would write first: no state, one page at a time."""
    from localwiki import LocalWiki
    from bots.metrics import count_requests
    from jobs.config_schema import DEFAULT_REPORT_PATTERN
    from parsers.analysis import analyse_talk_page
    from parsers.report import analyse_report_page

    wiki = LocalWiki.open(wiki_dir)
    report_re = re.compile(DEFAULT_REPORT_PATTERN)
    rows: list[tuple[str, int, int, int]] = []
    with count_requests() as counter:
        started, cpu = time.perf_counter(), time.process_time()
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
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return _child_result(counter, seconds, cpu, counter.writes - before,
                         {"grants": len(rows), "fetched": len(rows), "result": "ok", "sql": 0})


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
    output = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"phase {kind} failed with exit {status}: {output[-2000:]}")
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["rss_mb"] = usage.ru_maxrss / 1024
    return result


def page_sizes(wiki: Any, prefix: str) -> tuple[int, int]:
    """(pages, largest page in bytes) of the bot's pages starting with ``prefix``."""
    data = wiki.api_session("human").call(
        action="query", generator="allpages", gapnamespace="2", gapprefix=prefix,
        gaplimit="max", prop="info")
    pages = data.get("query", {}).get("pages", [])
    return len(pages), max((int(p.get("length", 0)) for p in pages), default=0)


# grantbot as configured by default in this benchmark, and as configured to publish what the
# loop publishes (one table: no details, views or JSON copy), with and without verification.
VARIANTS = {
    "grantbot": ("", ""),
    "grantbot, table only": ('page = "User:{bot}/Table/Grant status"\njson_page = ""\nviews = false\n', ""),
    "grantbot, table only, no verification": (
        'page = "User:{bot}/Plain/Grant status"\njson_page = ""\nviews = false\n',
        "verify_authorship = false\n"),
}
PREFIXES = {"grantbot": GRANTBOT_PAGES, "grantbot, table only": "GrantBot/Table/",
            "grantbot, table only, no verification": "GrantBot/Plain/",
            "loop": LOOP_STATUS.split(":", 1)[1], "naive": NAIVE_STATUS.split(":", 1)[1]}


def warm_login(wiki_dir: Path) -> None:
    """Log the bot in once before any phase, so the phase that happens to run
    first does not pay the login the others skip (pywikibot keeps the session
    cookie in its directory, as a deployed bot does between runs)."""
    code = ("import sys; sys.path.insert(0, %r); from localwiki import LocalWiki; "
            "LocalWiki.open(%r).pywikibot_site('bot').siteinfo['general']") % (
        str(Path(__file__).resolve().parents[1]), str(wiki_dir))
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, PYWIKIBOT_DIR=str(wiki_dir / "pywikibot")))


def measure(n: int, detail: str, naive_max: int, lean: bool) -> list[tuple[str, str, dict[str, Any]]]:
    from _wiki import append_as_human, first_talk_page, seeded_wiki, write_config

    bots = [b for b in VARIANTS if lean or b == "grantbot"] + ["loop"] + (["naive"] if n <= naive_max else [])
    rows: list[tuple[str, str, dict[str, Any]]] = []
    with seeded_wiki(n) as (wiki, tmp, seed_seconds):
        print(f"N={n}: seeded {n} synthetic grants + 13 samples in {seed_seconds:.1f} s "
              f"(MediaWiki {wiki._meta.get('mw_version', '?')})", flush=True)
        configs = {name: write_config(wiki, tmp, reminders=False, name=f"grantbot{i}",
                                      detail=detail if i == 0 else "none", status=status, safety=safety)
                   for i, (name, (status, safety)) in enumerate(VARIANTS.items())}
        configs["loop"] = configs["naive"] = configs["grantbot"]  # the loops read only its directory
        warm_login(wiki.directory)
        for moment in MOMENTS:
            if moment == "one talk page edited":
                append_as_human(wiki, first_talk_page(wiki))
            for kind in bots:
                phase = kind.split(",")[0]
                result = run_phase(phase, wiki.directory, configs[kind])
                result["pages"], result["largest"] = page_sizes(wiki, PREFIXES[kind])
                rows.append((moment, kind, result))
                print(f"  {moment:22} {kind:38} {result['requests']:6} requests "
                      f"{result['seconds']:7.2f} s {result['rss_mb']:6.0f} MB {result['result']}",
                      flush=True)
    return rows


def print_table(n: int, rows: list[tuple[str, str, dict[str, Any]]]) -> None:
    print(f"\n### N = {n} synthetic grants (+13 samples)\n")
    print("| sweep | bot | requests | edits | fetched | wall s | CPU s | peak RSS MB | SQL | "
          "pages | largest KB | result | by action |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for moment, kind, r in rows:
        actions = ", ".join(f"{k}={v}" for k, v in sorted(r["by_action"].items()))
        print(f"| {moment} | {kind} | {r['requests']} | {r['edits']} | {r['fetched']} "
              f"| {r['seconds']:.2f} | {r['cpu']:.2f} | {r['rss_mb']:.0f} | {r['sql']} "
              f"| {r['pages']} | {r['largest'] / 1024:.0f} | {r['result']} | {actions} |")
    by = {(m, k): r for m, k, r in rows}
    variants = [k for k in VARIANTS if ("first sweep", k) in by]
    print("\n| sweep | bot | bot/loop requests | bot/loop wall |"
          + (" naive/bot requests |" if ("first sweep", "naive") in by else ""))
    print("| --- | --- | ---: | ---: |" + (" ---: |" if ("first sweep", "naive") in by else ""))
    for moment in MOMENTS:
        c = by[(moment, "loop")]
        for kind in variants:
            g = by[(moment, kind)]
            line = (f"| {moment} | {kind} | {_ratio(g['requests'], c['requests'])} "
                    f"| {_ratio(g['seconds'], c['seconds'])} |")
            if (moment, "naive") in by:
                line += f" {_ratio(by[(moment, 'naive')]['requests'], g['requests'])} |"
            print(line)
    _kinds(rows)
    for kind in variants:
        _targets(n, kind, by)


def _kinds(rows: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Where each first sweep's requests went: kind, count and the wiki's seconds."""
    print("\nfirst sweep, requests by kind (count / the wiki's seconds):")
    for moment, kind, r in rows:
        if moment == "first sweep":
            kinds = ", ".join(f"{k} {c} / {t:.2f}" for k, (c, t) in sorted(r["kinds"].items()))
            print(f"- {kind}: {kinds}")


def _targets(n: int, kind: str, by: dict[tuple[str, str], dict[str, Any]]) -> None:
    first, loop = by[("first sweep", kind)], by[("first sweep", "loop")]
    quiet, loop_quiet = by[("nothing changed", kind)], by[("nothing changed", "loop")]
    peak = max(r["rss_mb"] for (m, k), r in by.items() if k == kind)
    ok = all(r["result"] == "ok" for (m, k), r in by.items() if k == kind)

    def verdict(met: bool) -> str:
        return "met" if met else "NOT met"

    print(f"\ntargets at N = {n}, {kind}:")
    print(f"- first sweep wall <= 1.5x the loop's: {first['seconds']:.2f} s vs {loop['seconds']:.2f} s "
          f"-> {verdict(first['seconds'] <= 1.5 * loop['seconds'])}")
    print(f"- first sweep requests <= 1.2x the loop's: {first['requests']} vs {loop['requests']} "
          f"-> {verdict(first['requests'] <= 1.2 * loop['requests'])}")
    print(f"- nothing-changed wall <= 5x the loop's: {quiet['seconds']:.2f} s vs "
          f"{loop_quiet['seconds']:.2f} s -> {verdict(quiet['seconds'] <= 5 * loop_quiet['seconds'])}")
    print(f"- every sweep publishes (no refused save): {verdict(ok)}; largest page "
          f"{first['largest'] / 1024:.0f} KB over {first['pages']} pages")
    print(f"- peak memory: {peak:.0f} MB"
          + (f" -> {verdict(peak < 256)} (< 256 MB)" if n >= 10000 else ""))


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grants", type=int, nargs="+", default=[100, 1000],
                        help="synthetic grant counts to measure (each 0-10000)")
    parser.add_argument("--naive-max", type=int, default=1000,
                        help="run the naive loop only up to this many grants")
    parser.add_argument("--detail", choices=("sections", "subpages"), default="sections",
                        help="where grantbot puts per-grant details: sections of its status "
                             "pages or a subpage per grant")
    parser.add_argument("--no-lean", dest="lean", action="store_false",
                        help="measure grantbot only as configured by default, not also with "
                             "the loop's output (one table) with and without verification")
    parser.add_argument("--phase", choices=BOTS, help=argparse.SUPPRESS)
    parser.add_argument("--wiki-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        signal.alarm(PHASE_TIMEOUT)
        from _wiki import count_kinds

        with count_kinds() as kinds:
            if args.phase == "grantbot":
                result = phase_grantbot(args.config)
            elif args.phase == "loop":
                result = phase_loop(args.wiki_dir, args.config.parent / "loop-state.json")
            else:
                result = phase_naive(args.wiki_dir)
        print(json.dumps({**result, "kinds": kinds}))
        return 0
    print(f"grantbot details as {args.detail}; reminders off for every bot")
    for n in args.grants:
        print_table(n, measure(n, args.detail, args.naive_max, args.lean))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
