"""Following grant pages that people move.

A moved report (usually with its talk page: MediaWiki moves both) used to
become a new grant with no history, while the old one showed nothing: its
items vanished without a word, and reminders already sent no longer
counted.  A talk page moved on its own left its grant reading the redirect.

Moves are found where a full listing looks anyway (every move is a log
entry, and log entries make the sweep list every page): the move log rows
among the recent changes say where a page went, and a grant the listing
no longer finds, or a talk page that is now a redirect, is looked up in one
request (:func:`bots.changes.redirect_targets`).  A moved report's state is
re-keyed (:func:`jobs.state.moves.move_grant`); a talk page moved on its
own is followed (remembered in the settings: the grant's talk page is the
new title while the old one is a redirect).  Both are said in the run
summary, and the old grant's detail page says where it went
(:mod:`jobs.retire`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from bots.changes import Change, redirect_targets
from bots.site import WikiSite
from jobs.grants import Grant
from jobs.state.moves import move_grant

TALK_MOVES = "sweep.talk-moves"  # report title -> the talk page it was moved to


@dataclass(frozen=True)
class Moves:
    reports: dict[str, str] = field(default_factory=dict)  # old report title -> new
    talks: dict[str, str] = field(default_factory=dict)  # report title -> its talk page's new title

    def notes(self) -> list[str]:
        return ([f"moved: {old} -> {new} (its items and reminders follow)" for old, new in self.reports.items()]
                + [f"talk page of {key} moved to {new}: followed" for key, new in self.talks.items()])


def with_talk_moves(grants: Mapping[str, Grant], settings: Mapping[str, Any]) -> dict[str, Grant]:
    """The grants with the talk pages they were moved to."""
    moved = settings.get(TALK_MOVES) or {}
    return {k: dataclasses.replace(g, talk_title=moved[k]) if k in moved else g for k, g in grants.items()}


def find(site: WikiSite, known: Iterable[str], grants: Mapping[str, Grant], redirects: set[str],
         changes: Iterable[Change], talk_namespace: str) -> Moves:
    """Reports that went from ``known`` to a listed grant, and talk pages moved on their own."""
    logged = {c.title: c.target for c in changes if c.log_type == "move" and c.target}
    lost = [k for k in known if k not in grants]
    talks = [g.talk_title for g in grants.values() if g.talk_title in redirects]
    ask = [t for t in lost + talks if t not in logged]
    targets = {**(redirect_targets(site, ask) if ask else {}), **logged}
    reports = {old: new for old in lost if (new := _follow(old, targets)) in grants}
    moved_talks = {}
    for key, grant in grants.items():
        new = _follow(grant.talk_title, targets)
        if grant.talk_title in redirects and new != grant.talk_title and new.startswith(f"{talk_namespace}:"):
            moved_talks[key] = new
    return Moves(reports, moved_talks)


def _follow(title: str, targets: Mapping[str, str]) -> str:
    """Where ``title`` ends up after a chain of moves (a loop stops where it started)."""
    seen = {title}
    while title in targets and targets[title] not in seen:
        title = targets[title]
        seen.add(title)
    return title


def follow(engine: Engine, settings: Mapping[str, Any], grants: Mapping[str, Grant],
           old_grants: Mapping[str, Grant], moves: Moves, now: datetime
           ) -> tuple[dict[str, Grant], dict[str, Any], Moves]:
    """Re-key the state of what moved since the last listing.  Returns the grants with
    their talk pages' moves applied, the settings to save, and the moves that are new."""
    for old, new in moves.reports.items():
        before, after = old_grants[old], grants[new]
        move_grant(engine, old, new, {before.report_title: after.report_title,
                                      before.talk_title: after.talk_title}, now)
    followed = dict(settings.get(TALK_MOVES) or {})
    fresh = {k: t for k, t in moves.talks.items() if followed.get(k) != t}
    for key, talk in fresh.items():
        move_grant(engine, key, key, {followed.get(key, grants[key].talk_title): talk}, now)
    save = {TALK_MOVES: moves.talks} if followed != moves.talks else {}
    return with_talk_moves(grants, {TALK_MOVES: moves.talks}), save, Moves(moves.reports, fresh)
