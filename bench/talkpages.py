#!/usr/bin/env python3
"""Score the thread parser on the talk-page benchmark (DiscussionTools' expectations).

Usage: .venv/bin/python bench/talkpages.py /work/shared/benchmarks/talkpages [score.py options]

Each case names its wiki; this script maps the wiki to the parser's arguments
(content language and IANA zone, plus the wiki's extra user-namespace names,
as a bot would read them from the wiki's siteinfo) using the benchmark's
peer-data folder, writes one prediction per case into a temp dir and runs the
benchmark's own score.py on it, printing its table.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.threads import parse_talk_page  # noqa: E402
from jobs.cli_threads import thread_prediction  # noqa: E402


def wiki_settings(bench: Path, wiki: str) -> tuple[str, str, tuple[str, ...]]:
    peer = bench / "peer-data"
    config = json.loads((peer / f"{wiki}-config.json").read_text(encoding="utf-8"))
    data = json.loads((peer / f"{wiki}-data.json").read_text(encoding="utf-8"))
    lang = config.get("wgContentLanguage", "en")
    tz = data.get("localTimezone", "UTC")
    extra = tuple(sorted(name.replace("_", " ") for name, ns in config.get("wgNamespaceIds", {}).items()
                         if ns in (2, 3)))
    return lang, tz, extra


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    bench = Path(argv[0])
    cases = sorted(p for p in (bench / "cases").iterdir() if (p / "expected.json").is_file())
    english: list[str] = []
    with tempfile.TemporaryDirectory() as out:
        total = 0.0
        for case in cases:
            expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
            if expected["wiki"] in ("enwiki", "commonswiki"):
                english += ["--case", case.name]
            lang, tz, extra = wiki_settings(bench, expected["wiki"])
            text = (case / "input.wikitext").read_text(encoding="utf-8")
            t0 = time.perf_counter()
            page = parse_talk_page(text, lang, tz, extra_user_namespaces=extra)
            total += time.perf_counter() - t0
            (Path(out) / f"{case.name}.json").write_text(json.dumps(thread_prediction(page)), encoding="utf-8")
        print(f"parsed {len(cases)} cases in {total:.2f} s")
        proc = subprocess.run([sys.executable, str(bench / "score.py"), out, *argv[1:]])
        print("\n== English cases only (enwiki, commonswiki) ==", flush=True)
        subprocess.run([sys.executable, str(bench / "score.py"), out, *english, *argv[1:]],
                       stdout=None)
        return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
