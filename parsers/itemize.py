"""The reviewer's questions and requests in each unit, cut into items, with stable ids.

Why these boundaries: a bullet (or a labelled paragraph) is one item: its
follow-up sentences are about the same thing, even after a remark in
between.  A prose paragraph often carries several asks; a careful reader
separates them where a remark stands between them, or where two questions
in a row share no subject ("does it mean ...? For what purpose ...?"), and
keeps a follow-up ("If so, ...", a question on the same words, a short
request pointing back at it: "Please link them here.") with the ask it
follows.

Text that ends mid-sentence because the page ends (a cut excerpt) is not an
ask anyone can answer; it is left out.  A short note after the ask in the
same bullet ("This is done.") records that the ask was already met.

Ids hash the item's own words only (folded, no markup) plus an occurrence
count: fixing a heading's typo, moving a thread or editing other items keeps
an item's id, so nobody gets a duplicate reminder.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from parsers.asks import Ask, classify, is_withdrawal
from parsers.items import DraftItem, Unit
from parsers.model import ItemKind
from parsers.text import Sentence, content_stems, fold, normalise_for_id, split_sentences

_ASKS = (Ask.QUESTION, Ask.REQUEST)
_FOLLOW_ON = re.compile(r"^(?:if (?:so|yes|not|no)|and|or|also|for example|e\.g|in this case|tambien|tambem|"
                        r"ademas|aussi|si (?:oui|non|es asi|sim)|y |e |et |o |ou )\b")
# "First, who ...? Second, why ...?": each enumerated ask is its own item, even on the same subject.
_ENUMERATOR = re.compile(r"^(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|next|lastly|finally|"
                         r"another (?:question|point|thing)|my (?:next|other|last) question|primero|segundo|tercero|"
                         r"en (?:primer|segundo|tercer) lugar|por ultimo|finalmente|primeiro|terceiro|por fim|"
                         r"em (?:primeiro|segundo|terceiro) lugar|premierement|deuxiemement|troisiemement|"
                         r"d'abord|ensuite|enfin)\b")
# "And what will happen to ...?": a connector opening a new wh-question is related only by its subject.
_AND_NEW_QUESTION = re.compile(r"^(?:and|y|e|et) (?:what|how|who|when|where|why|which|que|como|quien|cuando|donde|"
                               r"por que|o que|quem|quando|onde|quoi|comment|qui|quand|pourquoi)\b")
_ALSO = re.compile(r"^(?:also|tambien|ademas|tambem|alem disso|aussi|de plus)\b")
_DONE_NOTE = re.compile(r"^(?:(?:this|it|that|all of this) (?:is|has been|was|is now) (?:done|fixed|updated|"
                        r"completed|corrected|addressed)|done|fixed|(?:ya )?(?:esta )?hecho|listo|feito|"
                        r"(?:c'est )?fait)\b[.!]?$")
_STRUCK = re.compile(r"<(s|strike|del)\b[^<>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_RUBRIC = re.compile(r"\b(?:rubric|scoring|score|criteria|criterios|criteres|criterios|grille)\b")
_ENDINGS = (".", "?", "!", "…", ")", '"', "'", "»", "”", "？", "。")


def _sentences(unit: Unit, masked: str) -> list[Sentence]:
    """The unit's sentences, without struck-through text (a withdrawn ask); when the page ends
    inside the unit, its unfinished last sentence is dropped."""
    body = masked[unit.body_start:unit.end]
    struck = [(m.start() + unit.body_start, m.end() + unit.body_start) for m in _STRUCK.finditer(body)]
    found = [s for s in split_sentences(body, base=unit.body_start)
             if not any(a <= s.start and s.end <= b for a, b in struck)]
    if unit.cut and found and not found[-1].plain.rstrip().endswith(_ENDINGS):
        found.pop()
    return found


SHORT_FOLLOW_UP = 10  # words; a longer sentence pointing back ("these brochures") starts its own ask
_BACK_REFERENCE = frozenset("it them this that these those here there aqui ahi esto eso ello ellos ellas isso isto "
                            "ici la-bas cela ceci".split())

# Words every ask uses: sharing them does not make two asks one subject.
_ASK_WORDS = content_stems("need needed want like know share provide send confirm clarify explain detail "
                           "details information more please kindly could would")


def _related(first: Sentence, second: Sentence) -> bool:
    """Is ``second`` a follow-up of ``first`` (same subject, or a connector such as "If so")?"""
    folded = fold(second.plain.lstrip("¿¡ "))
    if _FOLLOW_ON.match(folded) and not _ALSO.match(folded) and not _AND_NEW_QUESTION.match(folded):
        return True  # "If so, ...": an "Also, ..." ask is related only by its subject, below
    words = re.findall(r"\w+", folded)
    if len(words) <= SHORT_FOLLOW_UP and _BACK_REFERENCE.intersection(words):
        return True  # "Please link the category here.": short, and pointing back at the question
    return bool((content_stems(first.plain) & content_stems(second.plain)) - _ASK_WORDS)


def _enumerated(group: _Group, sentence: Sentence) -> bool:
    """Does ``sentence`` open the next ask of a list written in prose ("Second, ...", and after an
    enumerated ask also "Also, ...")?"""
    folded = fold(sentence.plain.lstrip("¿¡ "))
    if _ENUMERATOR.match(folded):
        return True
    return bool(_ALSO.match(folded)) and bool(_ENUMERATOR.match(fold(group.asks[0].plain.lstrip("¿¡ "))))


@dataclass
class _Group:
    asks: list[Sentence] = field(default_factory=list)
    kinds: list[Ask] = field(default_factory=list)
    done: Sentence | None = None
    context: str = ""


def _groups(unit: Unit, sentences: list[Sentence]) -> list[_Group]:
    """The asks of each item in the unit, with a done note and the remark before them."""
    prose = not (unit.number or unit.label or unit.pseudo) and "*" not in unit.prefix and "#" not in unit.prefix
    groups: list[_Group] = []
    gap = False
    remark = ""
    for sentence in sentences:
        kind = classify(sentence.plain)
        if kind in _ASKS:
            if not groups or (prose and (gap or _enumerated(groups[-1], sentence)
                                         or not _related(groups[-1].asks[-1], sentence))):
                groups.append(_Group(context=remark))
            groups[-1].asks.append(sentence)
            groups[-1].kinds.append(kind)
            gap, remark = False, ""
        elif groups and _DONE_NOTE.match(fold(sentence.plain.strip())):
            groups[-1].done = sentence
        elif kind in (Ask.NONE, Ask.ADVICE, Ask.NOTICE):
            gap = bool(groups)
            remark = sentence.plain if kind is Ask.NONE else remark
    return groups


def extract_items(units: tuple[Unit, ...], masked: str) -> tuple[DraftItem, ...]:
    """The reviewer side's questions and requests, in page order, with stable ids.

    Questions under a scoring rubric are criteria the reviewers score, not
    asks; an ask its writer later takes back ("please disregard my earlier
    question") is dropped."""
    seen: dict[str, int] = {}
    out: list[DraftItem] = []
    positions = list_positions(units)
    for unit in units:
        if unit.side != "reviewer":
            continue
        sentences = _sentences(unit, masked)
        if any(is_withdrawal(s.plain) for s in sentences):
            _withdraw(out, unit, " ".join(s.plain for s in sentences))
        if _RUBRIC.search(fold(" ".join(unit.section + ((unit.pseudo,) if unit.pseudo else ())))):
            continue
        for group in _groups(unit, sentences):
            kind = ItemKind.QUESTION if Ask.QUESTION in group.kinds else ItemKind.REQUEST
            text = " ".join(s.plain for s in group.asks)
            key = normalise_for_id(text)
            n = seen.get(key, 0)
            seen[key] = n + 1
            digest = hashlib.sha1(f"{key}\n{n}".encode("utf-8")).hexdigest()[:10]
            out.append(DraftItem(id=digest, kind=kind, text=text, sentences=tuple(group.asks), unit=unit,
                                 done_note=group.done, context=group.context, position=positions.get(unit.index)))
    return tuple(out)


def list_positions(units: tuple[Unit, ...]) -> dict[int, int]:
    """Each bullet's place among its writer's bullets at its depth (a reply numbered by the reviewer's
    list answers remarks too, so "3." is about the third bullet even when the second asks nothing).
    One pass, counting per (comment, writer, section, depth, markers)."""
    seen: dict[tuple[object, ...], int] = {}
    out: dict[int, int] = {}
    for u in units:
        if u.prefix.endswith("*"):
            key = (u.comment, u.author, u.heading, u.depth, u.prefix)
            seen[key] = out[u.index] = seen.get(key, 0) + 1
    return out


def _withdraw(items: list[DraftItem], unit: Unit, words: str) -> None:
    """Drop the writer's earlier item in the section that the retraction names (else the latest)."""
    mine = [k for k, it in enumerate(items) if it.unit.author == unit.author and it.unit.heading == unit.heading]
    if not mine:
        return
    said = content_stems(words)
    named = [k for k in mine if len(content_stems(items[k].text) & said) >= 2]
    del items[(named or mine)[-1]]
