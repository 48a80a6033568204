"""Opt-in reviewer nudges on a real local MediaWiki: only there, only once per interval."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from jobs.config import load_config
from jobs.context import open_context
from jobs.sweep import sweep
from localwiki import LocalWiki
from localwiki.seed import SAMPLES
from localwiki.seed.samples_en import COSIGNED
from parsers.markers import reminder_markers
from publishing.nudges import KIND
from wikipages import local_config, revisions, text_of

pytestmark = pytest.mark.wiki

STATUS = "User:GrantBot/Grant status"


def run(config: Path, when: datetime) -> None:
    assert sweep(open_context(load_config(config), now=lambda: when)).result == "ok"


def owing(wiki: LocalWiki) -> list[str]:
    """Reviewers the per-reviewer view says owe a reply."""
    view = text_of(wiki, f"{STATUS}/By reviewer")
    names = []
    for part in re.split(r"(?m)^== ", view)[1:]:
        name = re.sub(r"</?nowiki>", "", part.split(" ==", 1)[0])
        if not part.split("\n", 2)[1].startswith("0 "):
            names.append(name)
    return names


def test_an_opted_in_reviewer_gets_one_short_nudge_per_interval(seeded: LocalWiki, tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    probe.mkdir()
    run(local_config(seeded, probe), datetime.now(timezone.utc))
    owed = owing(seeded)
    assert owed, "the samples have a reviewer who owes a reply"
    reviewer, others = owed[0], owed[1:]
    talk = f"User talk:{reviewer}"
    seeded.edit_as_human(talk, "Welcome to my talk page.", "start")
    config = local_config(seeded, tmp_path, f'[reminders]\nreviewer_nudges = ["{reviewer}"]\n')
    later = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=40)
    run(config, later)
    text = text_of(seeded, talk)
    assert text.startswith("Welcome to my talk page.")  # appended, nothing lost
    nudges = [m for m in reminder_markers(text) if m.kind == KIND]
    assert len(nudges) == 1
    section = text.split("== Grant replies waiting for you (", 1)[1]
    assert re.search(r"Hello, \d+ grant talk (thread is|threads are) waiting for your answer", section)
    assert "[[:Grants talk:" in section and "the grantee replied on" in section
    assert COSIGNED.split("/")[1] not in section  # accepted report: nothing owed there
    assert revisions(seeded, talk)[0]["user"] == "GrantBot"
    # the same day again, even with the state lost: the page's marker holds it back
    (tmp_path / "again").mkdir()
    again = local_config(seeded, tmp_path / "again", f'[reminders]\nreviewer_nudges = ["{reviewer}"]\n')
    run(again, later + timedelta(hours=3))
    run(config, later + timedelta(days=3))  # inside the interval
    assert len([m for m in reminder_markers(text_of(seeded, talk)) if m.kind == KIND]) == 1
    run(config, later + timedelta(days=15))  # the next interval
    assert len([m for m in reminder_markers(text_of(seeded, talk)) if m.kind == KIND]) == 2
    # reviewers who did not opt in: nothing on their talk pages; nobody nudged on a grant talk page
    assert all(text_of(seeded, f"User talk:{name}") == "" for name in others)
    for spec in SAMPLES:
        if spec.title.startswith("Grants talk:"):
            assert KIND not in {m.kind for m in reminder_markers(text_of(seeded, spec.title))}


def test_a_nobots_page_is_left_alone(seeded: LocalWiki, tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    probe.mkdir()
    run(local_config(seeded, probe), datetime.now(timezone.utc))
    reviewer = owing(seeded)[0]
    talk = f"User talk:{reviewer}"
    seeded.edit_as_human(talk, "{{nobots}} Please write to me by email.", "no bots")
    config = local_config(seeded, tmp_path, f'[reminders]\nreviewer_nudges = ["{reviewer}"]\n')
    run(config, datetime.now(timezone.utc) + timedelta(days=40))
    assert text_of(seeded, talk) == "{{nobots}} Please write to me by email."
