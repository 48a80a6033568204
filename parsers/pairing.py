"""Pairing a structured reply with the reviewer's items: numbers, labels, order, shared words.

Why apart from :mod:`parsers.answers`: these are the rules a reader uses to
see which part of a reply is about which question (an answer numbered 3 is
about question 3, a bullet labelled "Budget" about the budget question,
mirrored bullets in order), independent of where the reply sits.
"""

from __future__ import annotations

import re
from dataclasses import replace

from parsers.items import DraftItem, Unit
from parsers.text import fold, content_stems

MIN_LABEL = 0.5  # share of a label's words found in the item's bullet


def shared_words(item: DraftItem, text: str, direct: bool = False) -> int:
    """Key words a reply shares with the item; for a direct reply, also with the remark the question refers to."""
    words = content_stems(item.text) | (content_stems(item.context) if direct else frozenset())
    return len(words & content_stems(text))


def label_score(label: str | None, item: DraftItem) -> float:
    """Share of an answer label's words found in the item's bullet (label and text)."""
    if not label:
        return 0.0
    words = content_stems(label)
    if not words:
        return 0.0
    return len(words & content_stems(item.unit.plain)) / len(words)


def align(items: list[DraftItem], answers: list[Unit], allow_order: bool) -> dict[str, tuple[Unit, str]]:
    """Pair items with labelled or numbered answers: numbers, then labels, then order."""
    pairs: dict[str, tuple[Unit, str]] = {}
    used: set[int] = set()
    numbered = [a for a in answers if a.number is not None]
    if numbered:
        # The reviewer's list numbers a remark too ("1. Thanks for ..."), the reply numbers only the
        # questions: count the questions, not the reviewer's numbers.
        own_numbers = [it.unit.number for it in items if it.unit.number is not None]
        shifted = min(a.number or 0 for a in numbered) == 1 and bool(own_numbers) and min(own_numbers) > 1
        by_list = _numbers_follow_the_list(items, numbered)
        for n, item in enumerate(items, start=1):
            own = item.unit.number if item.unit.number is not None and not shifted else n
            own = item.position if by_list and item.unit.number is None and item.position else own
            hit = next((a for a in numbered if a.number == own and a.index not in used), None)
            if hit is not None:
                how = f"answer {own} of the numbered reply, counting only the questions" if shifted \
                    else f"item {own} of the numbered reply"
                if by_list and item.unit.number is None:
                    how = f"answer {own} of the numbered reply goes with bullet {own} of the reviewer's list"
                pairs[item.id] = (hit, how)
                used.add(hit.index)
    scored = sorted(((label_score(a.label, it), i, j) for i, it in enumerate(items)
                     for j, a in enumerate(answers) if a.label), reverse=True)
    for score, i, j in scored:
        item, ans = items[i], answers[j]
        if score < MIN_LABEL or item.id in pairs or ans.index in used:
            continue
        if not _order_ok(pairs, items, answers, i, j):
            continue
        pairs[item.id] = (ans, f"item {j + 1} (label '{ans.label}')")
        used.add(ans.index)
    free_items = [i for i, it in enumerate(items) if it.id not in pairs]
    # A numbered answer left over speaks of its own number: it is never paired by order.
    free_answers = [j for j, a in enumerate(answers) if a.index not in used and (a.number is None or not numbered)]
    if allow_order and free_items and len(free_items) == len(free_answers):
        for i, j in zip(free_items, free_answers):
            ans = answers[j]
            if not _order_ok(pairs, items, answers, i, j):
                continue
            what = f"label '{ans.label}'" if ans.label else "same position"
            pairs[items[i].id] = (ans, f"item {j + 1} ({what}, matched by order)")
            used.add(ans.index)
    return pairs


def _numbers_follow_the_list(items: list[DraftItem], numbered: list[Unit]) -> bool:
    """Does a numbered reply count the reviewer's unnumbered bullets (remarks included)?  Yes when
    its numbers go past the number of asks or reach the last item's place; a shorter reply counts the asks."""
    places = [it.position for it in items if it.position]
    if not places or len(places) != len(items) or places == list(range(1, len(places) + 1)):
        return False
    top = max(a.number or 0 for a in numbered)
    return top > len(items) or top >= max(places)


def _order_ok(pairs: dict[str, tuple[Unit, str]], items: list[DraftItem], answers: list[Unit],
              i: int, j: int) -> bool:
    """A pairing must not cross an existing one: mirrored answers keep the reviewer's order."""
    pos = {a.index: k for k, a in enumerate(answers)}
    for k, item in enumerate(items):
        if item.id not in pairs:
            continue
        other = pos[pairs[item.id][0].index]
        if (k < i and other > j) or (k > i and other < j):
            return False
    return True


_FIRST_NUMBER = re.compile(r"(?:^|[:.?!]\s+)1\s*[.)]\s+\S")


def numbered_mid_line(structured: list[Unit], group: list[Unit]) -> list[Unit]:
    """Numbered answers whose "1." follows the greeting on the same line count from that line."""
    numbers = {u.number for u in structured if u.number is not None}
    if not numbers or 1 in numbers:
        return structured
    first = next((u for u in group if u.number is None and _FIRST_NUMBER.search(u.plain)), None)
    if first is None:
        return structured
    return sorted(structured + [replace(first, number=1)], key=lambda u: u.index)


def same_places(items: list[DraftItem], answers: list[Unit], units: tuple[Unit, ...]) -> dict[str, tuple[Unit, str]]:
    """Answer bullets under a mirrored sub-heading, as many as the reviewer's bullets under it
    (remarks included), answer them place by place: the third answer is about the third bullet
    even when the second bullet asked nothing."""
    first = items[0].unit
    bullets = [u for u in units if u.comment == first.comment and u.pseudo == first.pseudo
               and u.depth == first.depth and is_bullet(u)]
    if len(bullets) != len(answers) or len(bullets) == len(items) or not all(is_bullet(a) for a in answers):
        return {}
    place = {u.index: k for k, u in enumerate(bullets)}
    return {it.id: (answers[place[it.unit.index]], f"bullet {place[it.unit.index] + 1} of the reply answers "
                    f"bullet {place[it.unit.index] + 1} under the same sub-heading")
            for it in items if it.unit.index in place}


def is_bullet(unit: Unit) -> bool:
    return unit.prefix.endswith(("*", "#"))


def mirrored_pairs(items: list[DraftItem], group: list[Unit]) -> list[tuple[DraftItem, Unit]] | None:
    """Reply bullets that mirror the reviewer's bullets answer them in order (None: not such a reply).

    With fewer reply bullets than questions (a reply still being written, or
    cut off, or ending with a question back), pairing stops at the first reply
    bullet that shares no key word with its question but does with a later one
    (the reply skipped a question)."""
    bullets = [u for u in group if is_bullet(u)]
    # One bullet per question of a prose paragraph mirrors the paragraph's questions too.
    prose = len(bullets) == len(items) and len({it.unit.comment for it in items}) == 1
    if len(bullets) < 2 or not (prose or all(is_bullet(it.unit) for it in items)) or len(bullets) > len(items):
        return None
    pairs: list[tuple[DraftItem, Unit]] = []
    for k, (item, unit) in enumerate(zip(items, bullets)):
        if len(bullets) < len(items) and not shared_words(item, unit.plain, direct=True) and (
                any(shared_words(later, unit.plain, direct=True) for later in items[k + 1:]) or unit.cut):
            break
        pairs.append((item, unit))
    return pairs


_ORDINALS = {"first": 1, "primera": 1, "primero": 1, "primeira": 1, "primeiro": 1, "premiere": 1, "premier": 1,
             "second": 2, "segunda": 2, "segundo": 2, "deuxieme": 2, "seconde": 2,
             "third": 3, "tercera": 3, "tercero": 3, "terceira": 3, "terceiro": 3, "troisieme": 3,
             "fourth": 4, "cuarta": 4, "cuarto": 4, "quarta": 4, "quarto": 4, "quatrieme": 4,
             "last": -1, "final": -1, "ultima": -1, "ultimo": -1, "derniere": -1, "dernier": -1}
# "On your first question: ...", "As for the second, ...", "Quanto à terceira pergunta, ...".
_ORDINAL_REF = re.compile(
    r"^(?:(?:and |e |y |et )?(?:on|about|regarding|concerning|as (?:for|to)|re|to|in|sobre|respecto a|en cuanto a|"
    r"quanto (?:a|ao)|em relacao (?:a|ao)|pour|concernant|quant a|sur) )?(?:your |the |la |el |a |o |le |votre |vuestra |"
    r"sua |su )?(" + "|".join(_ORDINALS) + r")(?: (?:question|point|one|ask|request|pregunta|pergunta|punto|ponto|"
    r"demande)s?)?(?:\s*[:,.]|\s+[-–—]\s)")


def ordinal_pairs(items: list[DraftItem], sentences: list[str]) -> dict[str, tuple[int, int]]:
    """item id -> (ordinal, sentence index) for a prose reply that names the questions by their place
    ("On your first question: ...", "As for the second, ..."); the place counts the given items."""
    pairs: dict[str, tuple[int, int]] = {}
    for k, sentence in enumerate(sentences):
        m = _ORDINAL_REF.match(fold(sentence.strip()))
        if m is None:
            continue
        place = _ORDINALS[m.group(1)]
        place = len(items) if place == -1 else place
        if 1 <= place <= len(items) and items[place - 1].id not in pairs:
            pairs[items[place - 1].id] = (place, k)
    return pairs

