"""People correcting the bot on the talk page: ``{{grantbot|answered|<item id>}}``.

Why: the bot reads text, people also talk by email and in calls.  A program
officer or one of the grant's own people can say that an item was
"answered" elsewhere, is "not-a-question", or must be reopened ("reopen"),
by writing the template on the talk page and signing the line.  The bot
honours it from its next sweep, shows it on the status page and never
reminds about the item.

Who may: an account the roles count as the reviewer side (program officers,
configured reviewers) or one of the grant's own people (configured grantees
or the report's authors).  The signer is the signature on the same line as
the template; a line signed by someone else, or not signed, is refused.
Signatures can be forged by editing; the edit history (who really added
the line) is the authorship work's to check, not this module's.

Template words in other languages are accepted too (``respondida``,
``no-es-pregunta``, ``reabrir``...).  Templates inside ``<nowiki>`` or
comments are examples, not corrections (the bot's own reminders show one).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from parsers.lines import mask_text
from parsers.model import Correction, CorrectionKind, ItemStatus, ReviewerItem, Signature, TalkPage
from parsers.roles import Roles, normalise_user
from parsers.text import fold

TEMPLATE_NAME = "grantbot"
_WORDS: dict[str, CorrectionKind] = {
    **dict.fromkeys(("answered", "answered elsewhere", "handled", "email", "respondida", "respondido",
                     "respondida en otro lugar", "por correo", "repondu", "repondue", "par courriel"),
                    CorrectionKind.ANSWERED),
    **dict.fromkeys(("not a question", "not-a-question", "notaquestion", "no es pregunta",
                     "no-es-pregunta", "nao e pergunta", "nao-e-pergunta", "pas une question",
                     "pas-une-question"), CorrectionKind.NOT_A_QUESTION),
    **dict.fromkeys(("reopen", "open", "reabrir", "reabrir pregunta", "rouvrir"), CorrectionKind.REOPEN),
}
_TEMPLATE = re.compile(r"\{\{\s*" + TEMPLATE_NAME + r"\s*\|([^{}|]*)\|([^{}|]*)\}\}", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """A template as written: what it asks, about which item, on which line, signed by whom."""

    kind: CorrectionKind | None  # None: a word the bot does not know
    word: str
    item_id: str
    line: int
    signer: Signature | None


def find(page: TalkPage) -> list[Found]:
    """Every correction template of ``page`` outside nowiki and comments, in page order."""
    if "{{" not in page.text or TEMPLATE_NAME not in page.text.lower():
        return []
    masked = mask_text(page.text)
    starts = [line.start for line in page.lines]
    signatures: dict[int, list[Signature]] = {}
    for comment in page.comments:
        for sig in comment.signatures:
            signatures.setdefault(sig.line, []).append(sig)
    out = []
    for match in _TEMPLATE.finditer(masked):
        line = max(bisect.bisect_right(starts, match.start()) - 1, 0)
        word = fold(re.sub(r"[\s_]+", " ", match.group(1))).strip()
        on_line = signatures.get(line, [])
        after = [s for s in on_line if s.start >= match.end()]
        signer = after[0] if after else (on_line[-1] if on_line else None)
        out.append(Found(_WORDS.get(word), match.group(1).strip(), match.group(2).strip(), line, signer))
    return out


def correction_only(page: TalkPage) -> frozenset[int]:
    """Indexes of the comments made only of correction lines (each line holds a template).

    Why: ``{{grantbot|answered|q-1}} We sent it by email. ~~~~`` is a note
    to the bot, not a reply: a thread whose last words are one must not
    read as "the grantee replied" (nor as a reviewer speaking last).  A
    comment with a line of its own besides is a reply.
    """
    if "{{" not in page.text or TEMPLATE_NAME not in page.text.lower():
        return frozenset()
    masked = mask_text(page.text)
    out = set()
    for comment in page.comments:
        lines = [line for line in masked[comment.start:comment.end].split("\n") if re.search(r"\w", line)]
        if lines and all(_TEMPLATE.search(line) for line in lines):
            out.add(comment.index)
    return frozenset(out)


def may_correct(user: str, roles: Roles) -> bool:
    """Program officers and reviewers, and the grant's own listed people; nobody else."""
    return roles.is_reviewer(user) or normalise_user(user) in roles.grantees


def apply(items: Sequence[ReviewerItem], found: Sequence[Found], roles: Roles
          ) -> tuple[tuple[ReviewerItem, ...], tuple[Correction, ...]]:
    """The items after the honoured corrections (later lines win), and every correction's verdict."""
    by_id = {item.id: item for item in items}
    verdicts = []
    for f in found:
        user = f.signer.user if f.signer else None
        at = f.signer.timestamp if f.signer else None
        refusal = _refusal(f, user, roles, by_id)
        kind = f.kind or CorrectionKind.ANSWERED
        verdicts.append(Correction(kind, f.item_id, user, at, refusal is None,
                                   refusal or f"{kind.value} by {user}: honoured"))
        if refusal is None and user is not None:
            by_id[f.item_id] = corrected(by_id[f.item_id], kind, user, at)
    return tuple(by_id[i.id] for i in items), tuple(verdicts)


def _refusal(f: Found, user: str | None, roles: Roles, by_id: dict[str, ReviewerItem]) -> str | None:
    if f.kind is None:
        return f"refused: '{f.word}' is not one of answered, not-a-question, reopen"
    if user is None:
        return "refused: the line with the template is not signed"
    if not may_correct(user, roles):
        return f"refused: {user} is neither a reviewer nor one of the grant's people"
    if f.item_id not in by_id:
        return f"refused: no item '{f.item_id}' on this page"
    return None


def corrected(item: ReviewerItem, kind: CorrectionKind, user: str, at: datetime | None) -> ReviewerItem:
    """The item as a person said it is; the reason names who said so."""
    when = f" on {at:%Y-%m-%d}" if at else ""
    if kind is CorrectionKind.REOPEN:
        return dataclasses.replace(
            item, status=ItemStatus.OPEN, answered_by=None, answered_at=None, answer_excerpt=None,
            answer_location=None, commitment=False, reason=f"open: reopened by {user}{when}")
    if kind is CorrectionKind.NOT_A_QUESTION:
        return dataclasses.replace(item, status=ItemStatus.NOT_A_QUESTION,
                                   reason=f"not a question, said {user}{when}")
    return dataclasses.replace(
        item, status=ItemStatus.ANSWERED, answered_by=user, answered_at=at,
        answer_location="answered_elsewhere", reason=f"answered elsewhere, said {user}{when}")
