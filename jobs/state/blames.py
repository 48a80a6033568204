"""Stored page blames (:mod:`parsers.blame`): one query to load a batch, one transaction to save it.

Why stored: a talk page's history is long and never changes; with its blame
kept up to the last revision read, each revision is fetched from the wiki
once, and a later sweep asks only for the revisions after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.orm import Session

from jobs.state.bulk import CHUNK
from jobs.state.models import Item, PageBlame
from parsers.blame import Blame, from_json, to_json


def load_blames(engine: Engine, titles: Iterable[str]) -> dict[str, Blame]:
    """The stored blames of ``titles`` (unreadable ones are left out: they are rebuilt)."""
    wanted = list(dict.fromkeys(titles))
    out: dict[str, Blame] = {}
    with Session(engine) as s:
        for start in range(0, len(wanted), CHUNK):
            query = select(PageBlame.title, PageBlame.blame).where(
                PageBlame.title.in_(wanted[start : start + CHUNK]))
            for title, data in s.execute(query):
                blame = from_json(data)
                if blame is not None:
                    out[title] = blame
    return out


def save_blames(engine: Engine, blames: Mapping[str, Blame], now: datetime) -> None:
    """Replace the stored blames of these pages, in one transaction."""
    if not blames:
        return
    titles = list(blames)
    with Session(engine) as s, s.begin():
        for start in range(0, len(titles), CHUNK):
            s.execute(delete(PageBlame).where(PageBlame.title.in_(titles[start : start + CHUNK])))
        s.execute(insert(PageBlame), [
            {"title": t, "revid": b.revid or 0, "blame": to_json(b), "updated_at": now}
            for t, b in blames.items()
        ])


def item_states(engine: Engine, grants: Iterable[str]) -> dict[str, dict[str, str]]:
    """Each grant's stored items and their status: which answers would be new."""
    wanted = list(dict.fromkeys(grants))
    out: dict[str, dict[str, str]] = {}
    with Session(engine) as s:
        for start in range(0, len(wanted), CHUNK):
            query = select(Item.grant, Item.item_id, Item.status).where(
                Item.grant.in_(wanted[start : start + CHUNK]))
            for grant, item_id, status in s.execute(query):
                out.setdefault(grant, {})[item_id] = status
    return out
