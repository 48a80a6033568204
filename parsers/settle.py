"""Items closed without a reply of their own: the reviewer approved afterwards, or asked the
same thing again later and that repetition was answered."""

from __future__ import annotations

import bisect

from parsers.asks import settles_review
from parsers.items import DraftItem, Unit, item_section
from parsers.replies import Answer, after, excerpt
from parsers.text import content_stems


def settled_by_reviewer(items: tuple[DraftItem, ...], units: tuple[Unit, ...], found: dict[str, Answer]) -> None:
    """Open items that a reviewer's later approval in the same section closed ("The request is approved")."""
    open_by_heading: dict[int | None, list[DraftItem]] = {}
    for it in items:
        if it.id not in found:
            open_by_heading.setdefault(it.unit.heading, []).append(it)
    for u in units:
        if u.side != "reviewer" or not open_by_heading.get(u.heading) or not settles_review(u.plain):
            continue
        waiting = [it for it in open_by_heading.pop(u.heading) if it.id not in found]
        for it in waiting:
            if not after(u, it) or it.unit.comment == u.comment:
                open_by_heading.setdefault(u.heading, []).append(it)
            else:
                found[it.id] = Answer(by=None, at=u.timestamp, excerpt=excerpt([u]), location="settled_by_reviewer",
                                      commitment=False, unit=u.index,
                                      reason=f"closed: {u.author or 'the reviewer'} approved or accepted afterwards "
                                             f"in the same section, so nothing is awaited")


FOLLOW_UP_WINDOW = 300  # later items of the same reviewer compared with each open one


def follow_ups(items: tuple[DraftItem, ...], found: dict[str, Answer]) -> None:
    """An item the reviewer repeated later is answered when the repetition is.

    Compared only with the same reviewer's later answered items, at most
    :data:`FOLLOW_UP_WINDOW` of them, so a huge archive stays linear."""
    by_asker: dict[str | None, list[DraftItem]] = {}
    for item in sorted(items, key=lambda i: i.unit.start):
        by_asker.setdefault(item.unit.author, []).append(item)
    for asked in by_asker.values():
        answered = [i for i in asked if i.id in found]
        starts = [i.unit.start for i in answered]
        for early in asked:
            if early.id in found:
                continue
            a = content_stems(early.text)
            if len(a) < 3:
                continue
            first = bisect.bisect_right(starts, early.unit.start)
            for late in answered[first : first + FOLLOW_UP_WINDOW]:
                b = content_stems(late.text)
                shared = len(a & b)
                if shared >= 3 and b and shared / min(len(a), len(b)) >= 0.5:
                    ans = found[late.id]
                    found[early.id] = Answer(
                        by=ans.by, at=ans.at, excerpt=ans.excerpt, location=ans.location,
                        commitment=ans.commitment, unit=ans.unit,
                        reason=f"answered through the reviewer's follow-up in '{' › '.join(item_section(late.unit))}': "
                               + ans.reason)
                    break
