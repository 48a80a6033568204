"""Golden cases: ``tests/cases/<name>/{input.wikitext, args.toml, expected.json}``.

Why data and not code: a new reply style or a new language is one folder
(a page written in our own words, the command-line options, and the
``grantbot questions --json`` output a careful reader expects), read by one
loader (tests/test_cases.py).  ``args.toml`` holds the options of
``grantbot questions``: ``title``, ``lang``, ``tz``, ``reviewers``,
``reviewer_patterns``, ``grantees`` (all optional).

``python -m goldencases --write`` (run from tests/) rewrites every
expected.json from the current analysis: review the diff, then bump
``parsers.analysis.ANALYSIS_VERSION`` and record it in
``tests/cases/VERSIONS`` (tests/test_cases.py says so when it is due).
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

CASES = Path(__file__).parent / "cases"
VERSIONS = CASES / "VERSIONS"


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "input.wikitext").is_file())


def case_input(name: str) -> str:
    """The input page of a case ("en_inline" or "en_inline.wikitext")."""
    return (CASES / name.removesuffix(".wikitext") / "input.wikitext").read_text(encoding="utf-8")


def case_args(name: str) -> dict:
    path = CASES / name / "args.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def actual_output(name: str) -> dict:
    """What ``grantbot questions --json`` prints for the case."""
    from jobs.cli_questions import questions_json
    from parsers.analysis import analyse_talk_page

    args = case_args(name)
    analysis = analyse_talk_page(
        case_input(name), title=args.get("title"), lang=args.get("lang", "en"), tz=args.get("tz", "UTC"),
        reviewers=args.get("reviewers", ()), reviewer_patterns=args.get("reviewer_patterns", ()),
        grantees=args.get("grantees", ()))
    return json.loads(json.dumps(questions_json(analysis), ensure_ascii=False))


def expected_output(name: str) -> dict:
    return json.loads((CASES / name / "expected.json").read_text(encoding="utf-8"))


def golden_digest() -> str:
    """One hash of every case's expected output: it changes exactly when a golden output does."""
    h = hashlib.sha256()
    for name in case_names():
        h.update(name.encode("utf-8") + b"\0")
        h.update(json.dumps(expected_output(name), sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\0")
    return h.hexdigest()


def recorded_versions() -> list[tuple[str, str]]:
    """(analysis version, golden digest) pairs, oldest first."""
    rows = []
    for line in VERSIONS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            version, digest = line.split()
            rows.append((version, digest))
    return rows


def write_all() -> None:
    for name in case_names():
        text = json.dumps(actual_output(name), ensure_ascii=False, indent=2) + "\n"
        (CASES / name / "expected.json").write_text(text, encoding="utf-8")
    print(f"wrote {len(case_names())} expected.json files; golden digest now {golden_digest()}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/goldencases.py --write")
    write_all()
