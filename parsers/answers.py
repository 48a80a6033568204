"""Which grantee text answers which reviewer item, and why.

Why several passes in this order: the most specific evidence wins.  A reply
written under the reviewer's bullet can only be about that bullet; a reply to
a whole comment is about that comment's items; a responses section mirrors
the reviewer's sub-headings; a later reply in the thread is the weakest
evidence.  Replies that are not clearly about one item must not answer all of
them: when a reply could be about several open items, only the items it
shares enough meaningful words with are answered (a long reply about
something else leaves the reviewer's follow-up questions open).
"""

from __future__ import annotations

from parsers.asks import is_commitment, takes_up_together
from parsers.items import DraftItem, Unit
from parsers.sides import GRANTEE, heading_side
from parsers.pairing import (align, is_bullet, label_score, mirrored_pairs, numbered_mid_line, ordinal_pairs,
                             same_places, shared_words)
from parsers.replies import Answer, after, asks_back, excerpt, only_thanks
from parsers.settle import follow_ups, settled_by_reviewer
from parsers.text import content_stems, split_sentences

MIN_SHARED = 2  # meaningful words an unstructured reply must share with an item


def _who(unit: Unit) -> str:
    """The answer's writer; for unsigned text, why it counts as the grantee's."""
    if unit.author:
        return unit.author
    why = unit.side_reason.removeprefix("unsigned; ")
    return f"unsigned text ({why})" if why else "unsigned text"


def _answer(units: list[Unit], location: str, reason: str, item: DraftItem | None = None) -> Answer:
    """An answer; with ``item``, only the reply's sentences about the item decide "promise"."""
    first = units[0]
    text = " ".join(u.plain for u in units)
    if item is not None:
        words = content_stems(item.text)
        about = [s.plain for s in split_sentences(text) if content_stems(s.plain) & words]
        text = " ".join(about) or text
    return Answer(by=first.author, at=first.timestamp, excerpt=excerpt(units), location=location,
                  commitment=is_commitment(text), reason=reason, unit=first.index)


def answer_from(replies: list[Unit], location: str, item: DraftItem, where: str) -> Answer:
    """An answer by ``replies`` to ``item``, its reason naming the writer and ``where``."""
    return _answer(replies, location, f"answered by {_who(replies[0])} {where}", item)


def _children(units: tuple[Unit, ...], pos: int, depth: int) -> list[Unit]:
    """Units right after ``pos`` that are indented deeper than ``depth`` (same section)."""
    out = []
    heading = units[pos].heading
    for u in units[pos + 1:]:
        if u.heading != heading or u.depth <= depth:
            break
        out.append(u)
    return out


def _group_by_comment(units: list[Unit]) -> list[list[Unit]]:
    groups: list[list[Unit]] = []
    for u in units:
        if groups and groups[-1][0].comment == u.comment and groups[-1][0].author == u.author:
            groups[-1].append(u)
        else:
            groups.append([u])
    return groups


def _answer_units(group: list[Unit]) -> list[Unit]:
    structured = [u for u in group if u.label or u.number is not None]
    return structured or group


def match_answers(items: tuple[DraftItem, ...], units: tuple[Unit, ...]) -> dict[str, Answer]:
    """item id -> the answer found for it (items left out are open)."""
    found: dict[str, Answer] = {}
    _done_notes(items, found)
    units = tuple(u for u in units if not _says_nothing(u))
    grantee = [u for u in units if u.side == "grantee"]
    judged: set[tuple[str, int]] = set()
    _inline(items, units, found)
    _comment_replies(items, units, found, judged)
    _mirrored(items, units, grantee, found)
    _later_in_thread(items, units, found, judged)
    _responses_sections(items, units, found, judged)
    follow_ups(items, found)
    settled_by_reviewer(items, units, found)
    return found


CUT_WORDS = 6  # a reply cut off by the end of the page says nothing below this many words


def _says_nothing(unit: Unit) -> bool:
    """A grantee reply cut off by the end of the page before it says anything ("I co")."""
    if not unit.cut or unit.side != "grantee":
        return False
    complete = [s for s in split_sentences(unit.plain) if s.plain.rstrip().endswith((".", "?", "!", "…"))]
    return not complete and len(unit.plain.split()) < CUT_WORDS


def _done_notes(items: tuple[DraftItem, ...], found: dict[str, Answer]) -> None:
    """An ask followed in its own bullet by "This is done." was already met."""
    for item in items:
        note = item.done_note
        if note is not None:
            found[item.id] = Answer(by=None, at=None, excerpt=note.plain, location="inline_under_item",
                                    commitment=False, unit=item.unit.index,
                                    reason=f"answered: the bullet itself notes \"{note.plain}\" after the request")


def _inline(items: tuple[DraftItem, ...], units: tuple[Unit, ...], found: dict[str, Answer]) -> None:
    """A grantee reply indented under the item's own bullet or paragraph.

    Several reply bullets under the last of several questions answer the
    whole list (the questions were unsigned, so nothing else separates them)."""
    per_comment: dict[int | None, int] = {}
    for item in items:
        per_comment[item.unit.comment] = per_comment.get(item.unit.comment, 0) + 1
    for item in items:
        if item.unit.signed_here:
            continue  # a reply under the signature line replies to the whole comment
        end = item.unit.comment_last_line
        replies = [u for u in _children(units, item.unit.index, item.unit.depth)
                   if u.side == "grantee" and after(u, item) and (end is None or u.first_line < end)]
        if sum(1 for u in replies if is_bullet(u)) >= 2 and per_comment[item.unit.comment] >= 2:
            continue
        if replies and not asks_back(replies):
            where = "under the bullet" if item.unit.depth else "under the paragraph"
            found[item.id] = _answer(replies[:3], "inline_reply",
                                     f"answered by {_who(replies[0])} in a reply {where}")


def _comment_replies(items: tuple[DraftItem, ...], units: tuple[Unit, ...],
                     found: dict[str, Answer], judged: set[tuple[str, int]]) -> None:
    """Grantee replies indented under the comment that holds the items."""
    by_comment: dict[int | None, list[DraftItem]] = {}
    for item in items:
        by_comment.setdefault(item.unit.comment, []).append(item)
    units_of: dict[int | None, list[Unit]] = {}
    for u in units:
        units_of.setdefault(u.comment, []).append(u)
    for comment, its in by_comment.items():
        if comment is None:
            continue
        own = [u for u in units_of.get(comment, []) if u.author == its[0].unit.author]
        last = max(own, key=lambda u: u.index)
        base = min(u.depth for u in own)
        replies = [u for u in _children(units, last.index, min(last.depth, base))
                   if u.side == "grantee" and not _inline_under(u, last, its, found)]
        for group in _group_by_comment(replies):
            _answer_group(its, group, found, "indented_reply",
                          f"in the reply indented under {its[0].unit.author or 'the reviewer'}'s comment", judged)


def _inline_under(reply: Unit, last: Unit, items: list[DraftItem], found: dict[str, Answer]) -> bool:
    """A reply under the comment's last, unsigned bullet that already answered that bullet's own
    item: it is about that bullet, not the whole comment."""
    if last.signed_here or reply.depth <= last.depth:
        return False
    return any(it.unit.index == last.index and it.id in found and found[it.id].location == "inline_reply"
               for it in items)


def _answer_group(items: list[DraftItem], group: list[Unit], found: dict[str, Answer],
                  location: str, where: str, judged: set[tuple[str, int]]) -> None:
    """One grantee reply against several items: structure first, then shared words.

    ``judged`` remembers which reply was already weighed against which item,
    so a reply found not to address an item cannot answer it later just
    because it is also "a later reply in the thread".
    """
    open_items = [it for it in items if it.id not in found and after(group[0], it)
                  and (it.id, group[0].index) not in judged]
    judged.update((it.id, group[0].index) for it in open_items)
    if not open_items:
        return
    who = _who(group[0])
    structured = numbered_mid_line([u for u in group if u.label or u.number is not None], group)
    if len(open_items) == 1 and not structured:
        if not only_thanks(group) and not asks_back(group):  # "Thank you!" answers nothing
            found[open_items[0].id] = _answer(group, location, f"answered by {who} {where}")
        return
    if structured and (len(structured) > 1 or len(open_items) > 1):
        pairs = align(open_items, structured, allow_order=len(structured) == len(open_items))
        for item in open_items:
            if item.id in pairs and not asks_back([pairs[item.id][0]]):
                unit, how = pairs[item.id]
                found[item.id] = _answer([unit], location, f"answered by {who} {where}, {how}")
        return
    mirrored = mirrored_pairs(open_items, group)
    if mirrored is not None:
        for k, (item, unit) in enumerate(mirrored, start=1):
            found[item.id] = _answer([unit], location, f"answered by {who} {where}, "
                                     f"bullet {k} of the reply mirrors "
                                     f"{'bullet' if is_bullet(item.unit) else 'question'} {k} of the questions")
        return
    text = " ".join(u.plain for u in group)
    if location == "indented_reply" and len(open_items) > 1 and takes_up_together(text):
        why = f"answered in part by {who} {where}: one general reply that takes up the questions together"
        found.update({it.id: _answer(group, location, why + " and reports what was changed", it) for it in open_items})
        return
    sentences = [s.plain for u in group for s in split_sentences(u.plain)]
    for item_id, (place, k) in ordinal_pairs(items, sentences).items():
        if any(it.id == item_id for it in open_items):
            found[item_id] = _answer(group, location, f"answered by {who} {where} (its sentence \"{sentences[k][:60]}\" "
                                     f"names question {place} of the comment)")
    for item in (it for it in open_items if it.id not in found):
        n = shared_words(item, text, direct=location == "indented_reply")
        if n >= MIN_SHARED:
            found[item.id] = _answer(group, location,
                                     f"answered by {who} {where} (the reply shares {n} key words with it)", item)
    if location == "indented_reply":
        _in_order(open_items, group, found, location, f"answered by {who} {where}")


# Words every grant discussion uses: they name no question's subject.
_EVERY_GRANT = content_stems("grant grants project projects event events year years wikimedia wikipedia community "
                             "communities participants people editors articles budget money proposal report "
                             "committee review reviewer question questions answer answers comment comments feedback "
                             "thank thanks")


def _in_order(items: list[DraftItem], group: list[Unit], found: dict[str, Answer], location: str, base: str) -> None:
    """One prose reply that takes the questions in order: each still-open question is answered by
    the next sentence that names its subject (a distinctive word of at least five letters)."""
    sentences = [s.plain for u in group for s in split_sentences(u.plain)]
    stems = [content_stems(s) for s in sentences]
    wholes: dict[int, set[str]] = {}  # per reviewer unit: one long bullet holds many items
    pos = 0
    for item in items:
        if item.id in found:  # answered by this reply already: the next question is taken up after it
            if found[item.id].unit == group[0].index:
                if item.unit.index not in wholes:
                    wholes[item.unit.index] = _subject(item.unit.plain)
                pos = max(pos, _best_sentence(wholes[item.unit.index], stems, pos) + 1)
            continue
        subject = _subject(item.text)
        hit = next((k for k in range(pos, len(sentences)) if subject & stems[k]), None)
        if hit is None:
            continue
        pos = hit + 1
        found[item.id] = _answer(group, location, f"{base} (its sentence \"{sentences[hit][:60]}\" takes up this "
                                 "question, in the order asked)", item)


def _subject(text: str) -> set[str]:
    return {w for w in content_stems(text) if len(w) >= 5} - _EVERY_GRANT


def _best_sentence(subject: set[str], stems: list[frozenset[str]], start: int) -> int:
    """The sentence from ``start`` on that shares most of ``subject`` (``start - 1`` when none does)."""
    scores = [(len(subject & stems[k]), -k) for k in range(start, len(stems))]
    best = max(scores, default=(0, 1 - start))
    return -best[1] if best[0] else start - 1


COMMON_LABEL_WORD = 50  # labels sharing a word, past which it cannot pick out a label


def _labels_near(plain: str, by_word: dict[str, list[int]]) -> list[int]:
    """Labels sharing a distinctive word with ``plain`` (a word most labels share names no one label)."""
    near: set[int] = set()
    for word in content_stems(plain):
        posting = by_word.get(word, ())
        if len(posting) <= COMMON_LABEL_WORD:
            near.update(posting)
    return sorted(near)


def _mirrored(items: tuple[DraftItem, ...], units: tuple[Unit, ...], grantee: list[Unit],
              found: dict[str, Answer]) -> None:
    """A grantee section that mirrors the reviewer's sub-headings (or bullet labels)."""
    groups: dict[tuple[int | None, str], list[DraftItem]] = {}
    for item in items:
        if item.unit.pseudo:
            groups.setdefault((item.unit.comment, _key(item.unit.pseudo)), []).append(item)
    by_key: dict[str, list[Unit]] = {}
    for u in grantee:
        if u.pseudo:
            by_key.setdefault(_key(u.pseudo), []).append(u)
    for (_, pseudo), its in groups.items():
        candidates = [u for u in by_key.get(pseudo, ())
                      if after(u, its[0]) and u.comment != its[0].unit.comment]
        if not candidates:
            continue
        first = [u for u in candidates if u.comment == candidates[0].comment]
        answers = _answer_units(first)
        open_items = [it for it in its if it.id not in found]
        if not open_items:
            continue
        where = f"in '{' › '.join(first[0].section) or 'the page'}' › {first[0].pseudo}"
        who = _who(first[0])
        if len(answers) == 1 and len(open_items) == 1 and not answers[0].label:
            found[open_items[0].id] = _answer(answers, "separate_responses_section",
                                              f"answered by {who} {where}")
            continue
        if len(answers) == 1 and len(open_items) == 1 and answers[0].label == first[0].pseudo:
            found[open_items[0].id] = _answer(answers, "separate_responses_section",
                                              f"answered by {who} {where}")
            continue
        pairs = same_places(its, answers, units) or align(open_items, answers, allow_order=True)
        for item in open_items:
            if item.id in pairs:
                unit, how = pairs[item.id]
                found[item.id] = _answer([unit], "separate_responses_section",
                                         f"answered by {who} {where}, {how}")
    # Bullet labels without pseudo-headings: a label that names the item's bullet.
    # Only labels sharing a word with the item can score, so an index of label
    # words keeps this linear on pages with thousands of labels.
    labelled = [u for u in grantee if u.label and len(content_stems(u.label)) >= 2]
    by_word: dict[str, list[int]] = {}
    for n, u in enumerate(labelled):
        for word in content_stems(u.label or ""):
            by_word.setdefault(word, []).append(n)
    near_of: dict[int, list[int]] = {}  # per unit: items of one long bullet share its words
    for item in items:
        if item.id in found or item.unit.pseudo:
            continue
        if item.unit.index not in near_of:
            near_of[item.unit.index] = _labels_near(item.unit.plain, by_word)
        near = near_of[item.unit.index]
        best = max(((label_score(labelled[n].label, item), labelled[n]) for n in near
                    if labelled[n].heading != item.unit.heading and after(labelled[n], item)),
                   key=lambda x: x[0], default=(0.0, None))
        score, unit = best
        if unit is not None and score >= 0.75:
            found[item.id] = _answer([unit], "separate_responses_section",
                                     f"answered by {_who(unit)} in '{' › '.join(unit.section)}' "
                                     f"(label '{unit.label}')")


def _key(label: str) -> str:
    return " ".join(sorted(content_stems(label)))


def _later_in_thread(items: tuple[DraftItem, ...], units: tuple[Unit, ...],
                     found: dict[str, Answer], judged: set[tuple[str, int]]) -> None:
    """Later grantee replies in the same section, in page order; a reply written under one bullet
    and taken as that bullet's answer is about that bullet, not a later reply to the others."""
    inline = {a.unit for a in found.values() if a.location == "inline_reply"}
    replies = [u for u in units if u.side == "grantee" and u.index not in inline]
    by_heading: dict[int | None, list[DraftItem]] = {}
    for it in items:
        by_heading.setdefault(it.unit.heading, []).append(it)
    for group in _group_by_comment(replies):
        heading = group[0].heading
        open_items = [it for it in by_heading.get(heading, ()) if it.id not in found
                      and after(group[0], it)]
        if open_items:
            _answer_group(open_items, group, found, "later_reply_same_thread",
                          "in a later reply in the same thread", judged)


def _mirrored_heading(items: tuple[DraftItem, ...], first: Unit) -> list[DraftItem]:
    """Items under a sub-heading that this responses sub-section repeats ("Questions › Budget"
    answered in "Responses › Budget"): those, wherever they are, and no others."""
    if len(first.section) < 2:
        return []
    title = _key(first.section[-1])
    return [it for it in items if title and len(it.unit.section) >= 2 and it.unit.heading != first.heading
            and _key(it.unit.section[-1]) == title]


RESPONSES_REACH = 3  # sections before a responses section whose questions it may answer


def _responses_sections(items: tuple[DraftItem, ...], units: tuple[Unit, ...],
                        found: dict[str, Answer], judged: set[tuple[str, int]]) -> None:
    """Grantee text in a section titled as a response ("Responses to the committee", "Respuestas")
    answers open items of the few sections just before it, by structure or by shared words."""
    by_heading: dict[int | None, list[DraftItem]] = {}
    for it in items:
        by_heading.setdefault(it.unit.heading, []).append(it)
    used = {a.unit for a in found.values()}
    for whole in _group_by_comment([u for u in units if u.side == "grantee"]):
        h = whole[0].heading
        group = [u for u in whole if u.index not in used]
        if h is None or not group or heading_side(whole[0].section) != GRANTEE:
            continue
        nearby = _mirrored_heading(items, group[0]) or \
            [it for k in range(max(0, h - RESPONSES_REACH), h) for it in by_heading.get(k, ())]
        earlier = [it for it in nearby if it.id not in found and after(group[0], it)]
        where = f"in '{' › '.join(group[0].section)}'"
        if len(group) == len(whole):
            _answer_group(earlier, group, found, "separate_responses_section", where, judged)
            continue
        text = " ".join(u.plain for u in group)  # the rest of a reply that answered others point by point
        for item in earlier:
            n = shared_words(item, text)
            if n >= MIN_SHARED:
                found[item.id] = _answer(group, "separate_responses_section",
                                         f"answered by {_who(group[0])} {where} (the reply shares {n} key words "
                                         "with it)", item)
