#!/usr/bin/env python3
"""Score the thread parser on the talk-page benchmark (DiscussionTools' expectations).

Usage: .venv/bin/python bench/talkpages.py /work/shared/benchmarks/talkpages [--cli] [score.py options]

Each case names its wiki; this script maps the wiki to the parser's arguments
(content language and IANA zone) using the benchmark's peer-data folder,
writes one prediction per case into a temp dir and runs the benchmark's own
score.py on it, printing its table, then the DiscussionTools comment-id
figures.

Default mode calls the parser in-process and also passes the wiki's own
user-namespace names (as a bot would read them from the wiki's siteinfo).
``--cli`` runs ``grantbot threads FILE --lang L --tz TZ --json`` instead, one
process per case, with nothing but the language and the zone: what a user
of the command line gets.
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
from parsers.variants import shown_variant  # noqa: E402


def wiki_settings(bench: Path, wiki: str) -> tuple[str, str, tuple[str, ...]]:
    peer = bench / "peer-data"
    config = json.loads((peer / f"{wiki}-config.json").read_text(encoding="utf-8"))
    data = json.loads((peer / f"{wiki}-data.json").read_text(encoding="utf-8"))
    lang = config.get("wgContentLanguage", "en")
    tz = data.get("localTimezone", "UTC")
    extra = tuple(sorted(name.replace("_", " ") for name, ns in config.get("wgNamespaceIds", {}).items()
                         if ns in (2, 3)))
    return lang, tz, extra


def predict(case: Path, lang: str, tz: str, extra: tuple[str, ...], cli: bool) -> tuple[dict, float]:
    """One case's prediction document and the seconds it took."""
    source = case / "input.wikitext"
    t0 = time.perf_counter()
    if cli:
        proc = subprocess.run([sys.executable, "-m", "jobs.cli", "threads", str(source), "--lang", lang,
                               "--tz", tz, "--json"], capture_output=True, text=True, check=True)
        return json.loads(proc.stdout), time.perf_counter() - t0
    text = source.read_text(encoding="utf-8")
    page = parse_talk_page(text, lang, tz, extra_user_namespaces=extra)
    return thread_prediction(page, tz, lang, shown_variant(text, lang)), time.perf_counter() - t0


def id_figures(expected: dict, predicted: dict) -> tuple[int, ...]:
    """(expected ids, of them produced, ids produced, of them extra, expected heading ids,
    of them produced) for one case.

    An expected id counts as produced when the prediction has it as ``id`` or
    ``legacy_id``; a produced id is extra when DiscussionTools has no such
    comment (ids of comments DiscussionTools only sees in transcluded text
    are neutral).
    """
    visible = {c["peer_id"] for c in expected["comments"] if c.get("visibility") != "not_in_wikitext"}
    hidden = {c["peer_id"] for c in expected["comments"] if c.get("visibility") == "not_in_wikitext"}
    produced = [c.get("id") for c in predicted["comments"] if c.get("id")]
    forms = set(produced) | {c["legacy_id"] for c in predicted["comments"] if c.get("legacy_id")}
    wanted = [c["peer_id"] for c in expected["comments"] if c["peer_id"] in visible]
    extra = [i for i in produced if i not in visible and i not in hidden]
    headings = [h["peer_id"] for h in expected["headings"] if h.get("peer_id")]
    heading_ids = {h.get("id") for h in predicted["headings"]}
    return (len(wanted), sum(1 for i in wanted if i in forms), len(produced), len(extra),
            len(headings), sum(1 for i in headings if i in heading_ids))


def id_differences(expected: dict, predicted: dict) -> list[str]:
    """One line per expected id not produced and per produced id DiscussionTools does not have.

    A missing id is shown beside the id produced for the same (author,
    timestamp), so a wrong parent or anchor reads at a glance.
    """
    known = {c["peer_id"] for c in expected["comments"]}
    forms = {c.get("id") for c in predicted["comments"]} | {c.get("legacy_id") for c in predicted["comments"]}
    ours = {(c["author"], c["timestamp"]): c.get("id") for c in predicted["comments"]}
    lines = [f"  missing {c['peer_id']}  (ours: {ours.get((c['author'], c['timestamp']), 'no such comment')})"
             for c in expected["comments"]
             if c.get("visibility") != "not_in_wikitext" and c["peer_id"] not in forms]
    lines += [f"  extra   {c['id']}" for c in predicted["comments"] if c.get("id") and c["id"] not in known]
    return lines


def print_id_figures(rows: list[tuple[str, tuple[int, ...]]], details: dict[str, list[str]]) -> None:
    print("\n== DiscussionTools comment ids (threads --json `id`) ==")
    for name, (want, got, made, extra, _, _) in rows:
        if got < want or extra:
            print(f"{name:44} expected {want:5}  equal {got:5}  produced {made:5}  extra {extra:4}")
            print("\n".join(details.get(name, [])))
    for label, chosen in (("all cases", rows), ("all but sr-latn", [r for r in rows if r[0] != "sr-latn"])):
        want, got, made, extra, h_want, h_got = (sum(r[1][k] for r in chosen) for k in range(6))
        print(f"OVERALL ids ({label}): equal {got}/{want} = {got / max(want, 1):.4f}; "
              f"extra {extra}/{made} = {extra / max(made, 1):.4f}; "
              f"heading ids equal {h_got}/{h_want} = {h_got / max(h_want, 1):.4f}")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    bench = Path(argv[0])
    cli = "--cli" in argv[1:]
    options = [a for a in argv[1:] if a != "--cli"]
    cases = sorted(p for p in (bench / "cases").iterdir() if (p / "expected.json").is_file())
    english: list[str] = []
    id_rows: list[tuple[str, tuple[int, ...]]] = []
    details: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as out:
        total = 0.0
        for case in cases:
            expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
            if expected["wiki"] in ("enwiki", "commonswiki"):
                english += ["--case", case.name]
            lang, tz, extra = wiki_settings(bench, expected["wiki"])
            prediction, seconds = predict(case, lang, tz, extra, cli)
            total += seconds
            id_rows.append((case.name, id_figures(expected, prediction)))
            details[case.name] = id_differences(expected, prediction)
            (Path(out) / f"{case.name}.json").write_text(json.dumps(prediction), encoding="utf-8")
        how = "grantbot threads --lang --tz --json (one process each)" if cli else "in-process parser"
        print(f"parsed {len(cases)} cases in {total:.2f} s ({how})")
        proc = subprocess.run([sys.executable, str(bench / "score.py"), out, *options])
        print("\n== English cases only (enwiki, commonswiki) ==", flush=True)
        subprocess.run([sys.executable, str(bench / "score.py"), out, *english, *options],
                       stdout=None)
        print_id_figures(id_rows, details)
        return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
