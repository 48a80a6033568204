"""The answer type the answer matchers share (:mod:`parsers.answers`, :mod:`parsers.settle`),
apart so both can build answers without importing each other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from parsers.items import DraftItem, Unit

EXCERPT = 160


@dataclass(frozen=True)
class Answer:
    by: str | None
    at: datetime | None
    excerpt: str
    location: str
    commitment: bool
    reason: str
    unit: int


def excerpt(units: list[Unit]) -> str:
    text = " ".join(u.plain for u in units)
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def after(unit: Unit, item: DraftItem) -> bool:
    """Written after the item: later on the page and not older than it."""
    if unit.start <= item.unit.start:
        return False
    if unit.timestamp and item.unit.timestamp and unit.timestamp < item.unit.timestamp:
        return False
    return True
