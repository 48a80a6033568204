#!/usr/bin/env python3
"""grantbot's whole talk-page analysis against mwparserfromhell.parse alone.

Usage: .venv/bin/python bench/analysis_throughput.py /work/shared/benchmarks/talkpages
       [--repeat N] [--mb 5]

Two page sets: the talk-page benchmark's cases (``cases/*/input.wikitext``,
each analysed with its wiki's language and time zone, as the bot reads them
from siteinfo) and one generated talk page of about ``--mb`` MB, built from
threads written here (reviewer questions, inline and late answers, promises,
unsigned lines, four languages) so that item extraction and answer matching
do real work, not only the thread parser.  Prints time per set (best of N,
one untimed warm-up call first, as in a long-running bot), MB/s, the ratio
(target <= 3x mwparserfromhell) and, for the big page, the tracemalloc peak
of one call of each (memory must stay bounded: a small multiple of the text).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import signal
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import mwparserfromhell  # noqa: E402

from parsers.analysis import analyse_talk_page  # noqa: E402

Page = tuple[str, str, str, str]  # (name, text, lang, tz)
REVIEWERS = ("Mara (WMF)", "Kwame (WMF)", "Ingrid Solberg")  # the last one by name
GRANTEES = ("Tomasz Wrona", "Lucía Ferreira", "Amara Okafor", "Jean-Baptiste Morel")
QUESTIONS = {
    "en": ("Could you share the attendance figures for {t}?",
           "Please upload the receipts for {t}.",
           "How did {t} compare with the plan in your proposal?",
           "Can you explain why {t} went over budget?"),
    "es": ("¿Podrían compartir las cifras de asistencia de {t}?",
           "Por favor, suban los recibos de {t}."),
    "pt": ("Vocês poderiam explicar como foi {t}?",
           "Por favor, enviem os comprovantes de {t}."),
    "fr": ("Pourriez-vous préciser le bilan de {t} ?",
           "Merci de publier les justificatifs pour {t}."),
}
TOPICS = {
    "en": ("the venue costs", "the photo walk", "the editathon", "the survey", "the travel grants",
           "the printed flyers", "the workshop series", "the volunteer hours"),
    "es": ("el alquiler del local", "el paseo fotográfico", "la editatona", "la encuesta"),
    "pt": ("o aluguel do espaço", "a maratona de edição", "a pesquisa", "as oficinas"),
    "fr": ("la location de la salle", "le marathon d'écriture", "l'enquête", "les ateliers"),
}
ANSWERS = ("Thanks for asking: {t} went as planned, the figures are in the report now.",
           "We will upload the documents for {t} next week.",
           "Done, see the table in the Outcomes section.")


def signature(user: str, when: datetime) -> str:
    return f"[[User:{user}|{user}]] ([[User talk:{user}|talk]]) {when:%H:%M, %-d %B %Y} (UTC)"


def generated_page(target_bytes: int, seed: int = 6) -> str:
    """A long grant talk page: many review rounds, deterministic for a seed."""
    rng = random.Random(seed)
    when = datetime(2015, 1, 5, 9, 0, tzinfo=timezone.utc)
    parts: list[str] = []
    size, n = 0, 0
    while size < target_bytes:
        n += 1
        lang = rng.choice(("en", "en", "en", "es", "pt", "fr"))
        reviewer, grantee = rng.choice(REVIEWERS), rng.choice(GRANTEES)
        topics = rng.sample(TOPICS[lang], 3)
        when += timedelta(hours=rng.randint(5, 60))
        block = [f"== Review round {n} ==", "Thank you for the report, a few points:"]
        for i, topic in enumerate(topics, 1):
            block.append(f"# {rng.choice(QUESTIONS[lang]).format(t=topic)}")
        block[-1] += " " + signature(reviewer, when)
        shape = n % 5
        if shape in (0, 1):  # inline answers
            for topic in topics[:2]:
                when += timedelta(hours=rng.randint(1, 30))
                block.append(f"#: {rng.choice(ANSWERS).format(t=topic)} {signature(grantee, when)}")
        elif shape == 2:  # a mirrored responses section with bold labels
            when += timedelta(days=rng.randint(1, 9))
            block.append(f"=== Responses to round {n} ===")
            for i, topic in enumerate(topics, 1):
                block.append(f"'''Question {i}''': {rng.choice(ANSWERS).format(t=topic)}")
            block[-1] += " " + signature(grantee, when)
        elif shape == 3:  # a promise, then the reviewer again
            when += timedelta(hours=rng.randint(1, 48))
            block.append(f": We will send this by Friday. {signature(grantee, when)}")
            when += timedelta(days=rng.randint(2, 20))
            block.append(f":: Any news on {topics[0]}? {signature(reviewer, when)}")
        else:  # unanswered, plus an unsigned line
            block.append(":: I think the receipts are on Commons already")
        text = "\n".join(block) + "\n\n"
        parts.append(text)
        size += len(text.encode("utf-8"))
    return "".join(parts)


def case_pages(bench: Path) -> tuple[list[Page], int]:
    """The benchmark's inputs with each wiki's settings; counts fallbacks to en/UTC."""
    pages: list[Page] = []
    fallbacks = 0
    for case in sorted(p for p in (bench / "cases").iterdir() if (p / "input.wikitext").is_file()):
        text = (case / "input.wikitext").read_text(encoding="utf-8")
        lang, tz = "en", "UTC"
        expected = case / "expected.json"
        if expected.is_file():
            wiki = json.loads(expected.read_text(encoding="utf-8"))["wiki"]
            lang, tz = wiki_settings(bench, wiki)
        try:
            analyse_talk_page("x", lang=lang, tz=tz)
        except ValueError:
            lang, tz, fallbacks = "en", "UTC", fallbacks + 1
        pages.append((case.name, text, lang, tz))
    return pages, fallbacks


def wiki_settings(bench: Path, wiki: str) -> tuple[str, str]:
    peer = bench / "peer-data"
    try:
        config = json.loads((peer / f"{wiki}-config.json").read_text(encoding="utf-8"))
        data = json.loads((peer / f"{wiki}-data.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "en", "UTC"
    return config.get("wgContentLanguage", "en"), data.get("localTimezone", "UTC")


def best_of(n: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def analyse_all(pages: list[Page]) -> None:
    for name, text, lang, tz in pages:
        analyse_talk_page(text, title=name, lang=lang, tz=tz, reviewers=REVIEWERS[2:],
                          reviewer_patterns=(r"\(WMF\)$",))


def parse_all(pages: list[Page]) -> None:
    for _, text, _, _ in pages:
        mwparserfromhell.parse(text)


def traced_peak(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


class _TimeUp(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _TimeUp


def timed_once(fn: Callable[[], object], limit: int) -> float | None:
    """Seconds for one call, or None past ``limit`` (the 5 MB page may be slow)."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(limit)
    started = time.perf_counter()
    try:
        fn()
    except _TimeUp:
        return None
    finally:
        signal.alarm(0)
    return time.perf_counter() - started


def row(name: str, pages: list[Page], ours: float | None, theirs: float) -> str:
    mb = sum(len(p[1].encode("utf-8")) for p in pages) / 2**20
    if ours is None:
        return f"| {name} | {mb:.2f} | did not finish | - | {theirs:.3f} | {mb / theirs:.2f} | NOT met |"
    ratio = ours / theirs
    return (f"| {name} | {mb:.2f} | {ours:.3f} | {mb / ours:.2f} | {theirs:.3f} | {mb / theirs:.2f} "
            f"| {ratio:.2f}x {'met' if ratio <= 3 else 'NOT met'} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path, help="the talk-page benchmark directory")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mb", type=float, default=5.0, help="size of the generated page")
    parser.add_argument("--limit", type=int, default=240,
                        help="seconds allowed for one analysis of the big generated page")
    args = parser.parse_args()
    if not (args.bench / "cases").is_dir():
        parser.error(f"{args.bench}: no cases/ directory (expected the talk-page benchmark)")
    cases, fallbacks = case_pages(args.bench)
    analyse_talk_page("warm up [[User:X]] 10:00, 1 May 2020 (UTC)")
    mwparserfromhell.parse("warm up")
    print(f"cases: {len(cases)} pages ({fallbacks} analysed as en/UTC: language or zone not supported)")
    print()
    print("| page set | MB | analyse_talk_page s | MB/s | mwparserfromhell.parse s | MB/s | ratio (target <= 3x) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    ours = best_of(args.repeat, lambda: analyse_all(cases))
    print(row("37 benchmark cases", cases, ours, best_of(args.repeat, lambda: parse_all(cases))), flush=True)
    # Generated pages, growing: one timed call each (the scaling is the finding).
    largest: list[Page] = []
    for mb in (0.25, 0.5, 1.0, args.mb):
        pages: list[Page] = [("generated", generated_page(int(mb * 2**20)), "en", "UTC")]
        theirs = best_of(1, lambda: parse_all(pages))
        ours_once = timed_once(lambda: analyse_all(pages), args.limit)
        print(row(f"generated {mb:g} MB page", pages, ours_once, theirs)
              + ("" if ours_once is not None else f" (stopped after {args.limit} s)"), flush=True)
        if ours_once is not None:
            largest = pages
    if not largest:
        return 0
    text = largest[0][1]
    mb = len(text.encode("utf-8")) / 2**20
    result = analyse_talk_page(text, reviewers=REVIEWERS[2:], reviewer_patterns=(r"\(WMF\)$",))
    print(f"\nlargest page analysed: {mb:.2f} MB, {len(result.threads)} threads, "
          f"{len(result.items)} items ({len(result.open_items)} open)")
    ours_peak = traced_peak(lambda: analyse_all(largest))
    theirs_peak = traced_peak(lambda: parse_all(largest))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory on it: tracemalloc peak analyse_talk_page {ours_peak:.0f} MB "
          f"({ours_peak / mb:.1f}x the text), mwparserfromhell.parse {theirs_peak:.0f} MB "
          f"({theirs_peak / mb:.1f}x); max RSS of this process {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
