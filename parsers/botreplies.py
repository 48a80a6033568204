"""Answers written under the bot's own reminder bullets.

Why: a reminder lists the open items as bullets, in the order of the ids in
its hidden marker (:mod:`parsers.markers`).  Grantees often answer right
there ("*: Done, the receipts are uploaded"), under the bot's bullet rather
than under the reviewer's question; the bullet says which item is meant.
The bot's own text is nobody's answer and nobody's question.
"""

from __future__ import annotations

from parsers.answers import Answer, answer_from
from parsers.items import DraftItem, Unit
from parsers.markers import ReminderMarker
from parsers.model import TalkPage


def reminder_authors(page: TalkPage, markers: tuple[ReminderMarker, ...]) -> tuple[str, ...]:
    """Accounts that signed a reminder (the bot, whatever its name).

    The reminder's signature is the first one after the marker written at
    the reminder's own depth: replies signed inside it are indented deeper."""
    out: list[str] = []
    for marker in markers:
        line = next((ln for ln in page.lines if ln.start <= marker.start <= ln.end), None)
        depth = line.depth if line is not None else 0
        signer = next((c for c in page.comments if c.end > marker.start
                       and page.lines[c.last_line].depth == depth), None)
        if signer is not None and signer.author and signer.author not in out:
            out.append(signer.author)
    return tuple(out)


def answers_under_reminders(items: tuple[DraftItem, ...], units: tuple[Unit, ...],
                            markers: tuple[ReminderMarker, ...], found: dict[str, Answer]) -> None:
    """Fill ``found`` with grantee replies indented under the reminder bullet of an open item."""
    by_id = {i.id: i for i in items}
    for marker in markers:
        if marker.kind != "grantee":
            continue
        after = [u for u in units if u.start > marker.start]
        if not after:
            continue
        bot_comment = after[0].comment
        bullets = [u for u in after if u.comment == bot_comment and u.prefix == "*"]
        for item_id, bullet in zip(marker.items, bullets):
            item = by_id.get(item_id)
            if item is None or item.id in found:
                continue
            replies = []
            for u in units[bullet.index + 1:]:
                if u.depth <= bullet.depth or u.heading != bullet.heading:
                    break
                if u.side == "grantee":
                    replies.append(u)
            if replies:
                found[item.id] = answer_from(replies[:3], "inline_reply", item,
                                             "in a reply under the bot's reminder bullet for this item")
