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


CUT_WORDS = 6  # a reply cut off by the end of the page says nothing below this many words


def said_before_cut(group: list[Unit]) -> str:
    """A reply's text without the words the page's end cut off before they said anything
    ("As for the snacks, the" names a subject and answers nothing)."""
    last = group[-1]
    sentences = split_sentences(last.plain) if last.cut else []
    if sentences and len(sentences[-1].plain.split()) < CUT_WORDS:
        return " ".join([u.plain for u in group[:-1]] + [s.plain for s in sentences[:-1]])
    return " ".join(u.plain for u in group)


def says_nothing(unit: Unit) -> bool:
    """A grantee reply cut off by the end of the page before it says anything ("I co")."""
    if not unit.cut or unit.side != "grantee":
        return False
    complete = [s for s in split_sentences(unit.plain) if s.plain.rstrip().endswith((".", "?", "!", "…"))]
    return not complete and len(unit.plain.split()) < CUT_WORDS
