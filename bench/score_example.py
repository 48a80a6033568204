"""Run ``grantbot questions`` on the annotated example and score it.

Usage: python bench/score_example.py SHARED_DIR [--out DIR]

SHARED_DIR is the shared reference folder (its examples/ holds the annotated
page, its expected.json and score.py).  Prints the scorer's summary and the
time the command took.  Not a test: the shared folder is not available to CI.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from score_grant_talk import grantbot_command, run_scorer  # noqa: E402

TITLE = "Grants talk:Conference/WMCL/Iberoconf 2019/Report"
SLUG = "iberoconf-2019-report.talk"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shared_dir")
    ap.add_argument("--out", help="folder for the prediction (default: a temporary folder)")
    args = ap.parse_args(argv)
    examples = os.path.join(args.shared_dir, "examples")
    page = os.path.join(examples, SLUG + ".wikitext")
    if not os.path.isfile(page):
        print(f"no example page at {page}", file=sys.stderr)
        return 2
    out = args.out or tempfile.mkdtemp(prefix="grantbot-score-")
    os.makedirs(out, exist_ok=True)
    cmd = grantbot_command()
    began = time.perf_counter()
    with open(os.path.join(out, SLUG + ".json"), "w", encoding="utf-8") as handle:
        subprocess.run(cmd + ["questions", page, "--title", TITLE, "--json"], stdout=handle, check=True)
    elapsed = time.perf_counter() - began
    print(f"grantbot questions: {elapsed:.2f} s (prediction in {out})")
    return run_scorer(os.path.join(examples, "score.py"), out)


if __name__ == "__main__":
    sys.exit(main())
