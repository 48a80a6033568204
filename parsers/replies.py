"""The answer type the answer matchers share (:mod:`parsers.answers`, :mod:`parsers.settle`),
apart so both can build answers without importing each other, and what a reply's own words
rule out: one that only thanks, one that only asks back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from parsers.asks import Ask, classify
from parsers.items import DraftItem, Unit
from parsers.text import is_question, split_sentences

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


THANKS_ONLY_CHARS = 200  # a reply that only thanks is short


def asks_back(units: list[Unit]) -> bool:
    """A reply that only asks the reviewer something ("Thanks! Should we post it on the village
    pump?") asks for clarification: the item stays open until it is answered."""
    sentences = [s.plain for u in units for s in split_sentences(u.plain)
                 if s.plain.strip() and classify(s.plain) is not Ask.COURTESY]
    return bool(sentences) and all(is_question(s) for s in sentences)


def only_thanks(group: list[Unit]) -> bool:
    """"Thank you!" answers nothing."""
    if sum(len(u.plain) for u in group) > THANKS_ONLY_CHARS:
        return False
    kinds = {classify(s.plain) for u in group for s in split_sentences(u.plain)}
    return bool(kinds) and kinds <= {Ask.COURTESY}
