"""Run ``grantbot questions`` on every real grant talk page of the grant-talk set and score it.

Usage: python bench/score_grant_talk.py SHARED_DIR [--out DIR] [--no-grantees] [--extra-page PATH ...]

SHARED_DIR is the shared reference folder; its benchmarks/grant-talk/ holds
the pages (``pages/<slug>.wikitext`` and ``<slug>.expected.json``) and
``score.py``.  Each page is read the way the bot reads it on the wiki: with
its title and with the grantee accounts the wiki would give
(``page.grantee_accounts``; ``--no-grantees`` leaves them out, to check that
naming the grantees never makes detection worse).  Prints the scorer's
per-page table and its three scopes (all items, truncation-insensitive,
complete pages) and the time taken.  Not a test: the shared folder is not
available to CI.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time


def grantbot_command() -> list[str]:
    """The ``grantbot`` next to this Python, else the module."""
    grantbot = os.path.join(os.path.dirname(sys.executable), "grantbot")
    return [grantbot] if os.path.exists(grantbot) else [sys.executable, "-m", "jobs.cli"]


def run_scorer(score_py: str, out: str, *extra: str) -> int:
    """Run a shared ``score.py`` on the predictions in ``out``, echo what it printed, return its exit code."""
    result = subprocess.run([sys.executable, score_py, out, *extra], capture_output=True, text=True)
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    return result.returncode


def page_args(expected_path: str, with_grantees: bool) -> list[str]:
    with open(expected_path, encoding="utf-8") as handle:
        page = json.load(handle).get("page") or {}
    args = ["--title", page["title"]] if page.get("title") else []
    for account in (page.get("grantee_accounts") or []) if with_grantees else []:
        args += ["--grantee", account]
    return args


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shared_dir")
    ap.add_argument("--out", help="folder for the predictions (default: a temporary folder)")
    ap.add_argument("--no-grantees", action="store_true", help="do not pass page.grantee_accounts")
    ap.add_argument("--extra-page", action="append", default=[], help="passed on to score.py")
    args = ap.parse_args(argv)
    bench = os.path.join(args.shared_dir, "benchmarks", "grant-talk")
    pages = sorted(glob.glob(os.path.join(bench, "pages", "*.wikitext")))
    if not pages:
        print(f"no pages in {bench}/pages", file=sys.stderr)
        return 2
    out = args.out or tempfile.mkdtemp(prefix="grantbot-grant-talk-")
    os.makedirs(out, exist_ok=True)
    cmd = grantbot_command()
    began = time.perf_counter()
    for page in pages:
        slug = os.path.basename(page)[: -len(".wikitext")]
        extra = page_args(page[: -len(".wikitext")] + ".expected.json", not args.no_grantees)
        with open(os.path.join(out, slug + ".json"), "w", encoding="utf-8") as handle:
            subprocess.run(cmd + ["questions", page, *extra, "--json"], stdout=handle, check=True)
    elapsed = time.perf_counter() - began
    print(f"grantbot questions on {len(pages)} pages: {elapsed:.2f} s (predictions in {out})")
    extras = [a for p in args.extra_page for a in ("--extra-page", p)]
    return run_scorer(os.path.join(bench, "score.py"), out, *extras)


if __name__ == "__main__":
    sys.exit(main())
