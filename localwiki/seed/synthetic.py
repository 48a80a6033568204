"""Generated grants in bulk for sweep benchmarks (``grantbot wiki seed --synthetic N``).

Deterministic (a fixed random seed) so two runs of a benchmark see the same
pages; the mix of answered, open and promised items is spread across
programs so discovery and parsing meet every shape at scale.
"""

from __future__ import annotations

import random

from localwiki.seed.model import PageSpec, Step

MAX_SYNTHETIC = 10000
GRANTEES = 1000  # distinct grantee accounts: beyond that, teams hold several grants
PROGRAMS = ("Conference", "Project/Rapid", "APG")
REVIEWERS = ("Mara (WMF)", "Kwame (WMF)", "Ingrid Solberg")
TOPICS = ("the venue costs", "the volunteer hours", "the photo uploads", "the survey results",
          "the travel budget", "the article count", "the outreach plan", "the printed material")


def synthetic_specs(count: int, seed: int = 1234) -> list[PageSpec]:
    if not 0 <= count <= MAX_SYNTHETIC:
        raise ValueError(f"synthetic grants: 0 to {MAX_SYNTHETIC}, not {count}")
    rng = random.Random(seed)
    specs: list[PageSpec] = []
    for n in range(count):
        program = PROGRAMS[n % len(PROGRAMS)]
        # Accounts are created one by one before the import: reuse them past
        # GRANTEES so seeding 10,000 grants does not create 10,000 accounts.
        grantee = f"Synthetic Grantee {n % GRANTEES:04d}"
        base = f"{program}/{grantee}/Synthetic activity {n:04d}/Report"
        reviewer = REVIEWERS[n % len(REVIEWERS)]
        asked = rng.uniform(10, 60)
        specs.append(_report(base, grantee, asked + 5, n))
        specs.append(_talk(base, grantee, reviewer, asked, rng, n))
    return specs


def _report(base: str, grantee: str, days_ago: float, n: int) -> PageSpec:
    status = ("submitted", "under review", "accepted")[n % 3]
    filled = "We ran the activity as planned and reached most targets.\n" if n % 4 else ""
    return PageSpec(
        f"Grants:{base}",
        (Step(grantee, days_ago, "report"),),
        ((0, f"{{{{Grant report status|status={status}}}}}\n== Summary ==\n"
             f"Activity number {n} of the synthetic set.\n== Outcomes ==\n{filled}"
             "== Lessons learned ==\n<!-- write what you would do differently -->\n"),),
    )


def _talk(base: str, grantee: str, reviewer: str, asked: float, rng: random.Random,
          n: int) -> PageSpec:
    topic_a, topic_b = rng.sample(TOPICS, 2)
    steps = [Step(reviewer, asked)]
    blocks: list[tuple[int, str]] = [
        (0, "== Review questions ==\nThanks for the report.\n"),
        (0, f"* Could you tell us more about {topic_a}? ~SIG~\n"),
    ]
    shape = n % 4
    if shape in (1, 2):  # answered inline
        steps.append(Step(grantee, asked - rng.uniform(1, 9)))
        blocks.append((1, f"*: Of course: {topic_a} went as budgeted. ~SIG~\n"))
    blocks.append((0, f"* Please share a short note on {topic_b}. ~SIG~\n"))
    if shape == 2:  # both answered, second by a promise
        steps.append(Step(grantee, asked - 9.5))
        blocks.append((len(steps) - 1, f"*: We will send the note on {topic_b} next week. ~SIG~\n"))
    if shape == 3:  # reviewer follows up later, nobody answers
        steps.append(Step(reviewer, max(asked - 9.8, 0.5)))
        blocks.append((len(steps) - 1, ":Just checking in on these two points. ~SIG~\n"))
    return PageSpec(f"Grants talk:{base}", tuple(steps), tuple(blocks))
