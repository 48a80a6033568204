"""One grant talk page in, reviewer items and thread status out.

Why this module only assembles: each decision lives in the stage that can
explain it (``items`` finds what was asked, ``answers`` what answered it);
here the results become the shared :mod:`parsers.model` types, and threads
get their "who owes a reply" verdict.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from parsers import corrections

from parsers.answers import Answer, match_answers
from parsers.botreplies import answers_under_reminders, reminder_authors
from parsers.markers import reminder_markers
from parsers.authors import Ownership, line_owners
from parsers.asks import detect_language
from parsers.commentids import ids_at, thread_ids
from parsers.items import DraftItem, Unit, build_units, item_section
from parsers.itemize import extract_items
from parsers.lines import mask_text
from parsers.model import (
    Comment,
    ItemStatus,
    ReviewerItem,
    TalkAnalysis,
    TalkPage,
    ThreadStatus,
    WaitingOn,
)
from parsers.roles import Roles
from parsers.text import strip_markup
from parsers.threads import parse_talk_page

# Bump when the analysis finds different items, statuses or reasons: stored analyses made
# under another version are recomputed (jobs/refresh.py).  tests/test_cases.py fails until a
# changed golden output comes with a new version recorded in tests/cases/VERSIONS.
ANALYSIS_VERSION = "13"


def analyse_talk_page(text: str, *, title: str | None = None, lang: str = "en", tz: str = "UTC",
                      reviewers: Iterable[str] = (), reviewer_patterns: Iterable[str] = (),
                      grantees: Iterable[str] = (), roles: Roles | None = None,
                      ignored: Iterable[str] = (),
                      adjust: Callable[[TalkPage], TalkPage] | None = None,
                      parsed: TalkPage | None = None) -> TalkAnalysis:
    """Reviewer items, their status and each thread's verdict.

    Never raises on odd wikitext; an unknown ``lang``/``tz`` or an invalid
    reviewer pattern raises ``ValueError`` (``re.error`` is one), because
    those are the caller's mistakes, not the page's.  ``adjust`` rewrites the
    parsed page first (authors and times from the page history:
    :mod:`parsers.authorship`); ``parsed`` is :func:`read_talk_page` of this
    very ``text``, when the caller has read it already (it is not read twice).
    """
    if roles is None:
        roles = Roles.build(tuple(reviewers), tuple(reviewer_patterns), tuple(grantees),
                            tuple(ignored))
    page = parsed if parsed is not None else read_talk_page(text, lang=lang, tz=tz)
    if adjust is not None:
        page = adjust(page)
    masked = mask_text(page.text)
    own = line_owners(page, masked, lang, tz)
    masked = _masked(page, masked, own)
    markers = reminder_markers(page.text)
    bots = reminder_authors(page, markers)
    if bots:  # the account that posted reminders is the bot, configured or not
        roles = replace(roles, ignored=roles.ignored | frozenset(bots))
    given = roles  # corrections trust only what the caller knows, never an inferred side
    units, roles = build_units(page, roles, masked, own, title)
    drafts = extract_items(units, masked)
    answers = match_answers(drafts, units)
    answers_under_reminders(drafts, units, markers, answers)
    items = tuple(_item(d, answers.get(d.id), page) for d in drafts)
    if items:  # each item links to the comment it was asked in (DiscussionTools' id)
        ids = thread_ids(page, tz, lang)
        found = ids_at(page, ids, (i.start for i in items))
        items = tuple(dataclasses.replace(i, comment_id=c) for i, c in zip(items, found))
    items, corrected = corrections.apply(items, corrections.find(page), given)
    language = detect_language(" ".join(d.text for d in drafts), default=lang) if drafts else lang
    authors = {c.author for c in page.comments if c.author}
    return TalkAnalysis(
        title=title,
        language=language,
        reviewers=tuple(sorted(a for a in authors if roles.role_of(a) == "reviewer")),
        grantees=tuple(sorted({a for a in authors if roles.role_of(a) == "grantee"}
                              | set(roles.grantees))),
        items=items,
        threads=_threads(page, {d.id: d.unit.heading for d in drafts}, items, roles,
                         corrections.correction_only(page)),
        corrections=corrected,
    )


def read_talk_page(text: str, *, lang: str = "en", tz: str = "UTC") -> TalkPage:
    """The parsed page :func:`analyse_talk_page` works on (the one its ``adjust`` is given)."""
    text = text.replace("\r\n", "\n") if "\r" in text else text
    return parse_talk_page(text, lang=lang, tz=tz)


# "{{done}}" and friends: a reply that is only a tick mark still says "done".
_DONE_TEMPLATE = re.compile(r"\{\{\s*(?:done|tick|check|checked|yes|resolved|fixed|hecho|fait|feito|erledigt|"
                            r"\u2713)\s*(?:\|[^{}]*)?\}\}", re.IGNORECASE)


def _masked(page: TalkPage, masked: str, own: Ownership) -> str:
    """The page with comments, nowiki etc. and signatures blanked, done-templates as "Done." (offsets kept)."""
    masked = _DONE_TEMPLATE.sub(lambda m: "Done." + " " * (len(m.group(0)) - 5), masked)
    chars = list(masked)
    for comment in page.comments + own.plain_comments:
        for sig in comment.signatures:
            for i in range(sig.start, min(sig.end, len(chars))):
                if chars[i] != "\n":
                    chars[i] = " "
    return "".join(chars)


def _item(draft: DraftItem, answer: Answer | None, page: TalkPage) -> ReviewerItem:
    unit = draft.unit
    anchor = strip_markup(page.headings[unit.heading].title) if unit.heading is not None else ""
    if answer is None:
        return ReviewerItem(
            id=draft.id, kind=draft.kind, text=draft.text, asked_by=unit.author,
            asked_at=unit.timestamp, section=item_section(unit), anchor=anchor,
            status=ItemStatus.OPEN, answered_by=None, answered_at=None, answer_excerpt=None,
            answer_location=None, commitment=False, reason=_open_reason(unit),
            start=draft.sentences[0].start, asked_by_reason=unit.side_reason,
        )
    reason = answer.reason + (" (a promise to do it: counted as answered)" if answer.commitment else "")
    return ReviewerItem(
        id=draft.id, kind=draft.kind, text=draft.text, asked_by=unit.author,
        asked_at=unit.timestamp, section=item_section(unit), anchor=anchor,
        status=ItemStatus.ANSWERED, answered_by=answer.by, answered_at=answer.at,
        answer_excerpt=answer.excerpt, answer_location=answer.location,
        commitment=answer.commitment, reason=reason, start=draft.sentences[0].start,
        asked_by_reason=unit.side_reason,
    )


def _open_reason(unit: Unit) -> str:
    where = f"'{' › '.join(unit.section)}'" if unit.section else "the page"
    return (f"open: no reply from the grantee side under this item, in a responses section, "
            f"or later in {where} addresses it")


def _threads(page: TalkPage, item_heading: dict[str, int | None], items: tuple[ReviewerItem, ...],
             roles: Roles, notes: frozenset[int] = frozenset()) -> tuple[ThreadStatus, ...]:
    """Per section: who spoke last and who owes the next reply.

    The grantee owes a reply while reviewer items of the thread are open or
    the reviewer spoke last; when the grantee side spoke last the reviewer
    owes one (even with items still open: they are listed item by item).
    A thread whose items were all answered, elsewhere included, waits on
    nobody.  ``notes`` are comments that only correct the bot: they are no
    one's reply.
    """
    out: list[ThreadStatus] = []
    keys: list[int | None] = []
    if any(c.heading is None for c in page.comments):
        keys.append(None)
    keys.extend(h.index for h in page.headings)
    comments_under: dict[int | None, list[Comment]] = {}
    for c in page.comments:
        if not roles.is_ignored(c.author) and c.index not in notes:
            comments_under.setdefault(c.heading, []).append(c)
    items_under: dict[int | None, list[ReviewerItem]] = {}
    for i in items:
        items_under.setdefault(item_heading.get(i.id), []).append(i)
    for key in keys:
        comments = comments_under.get(key, [])
        if not comments:
            continue
        dated = [c for c in comments if c.timestamp is not None]
        last = max(dated, key=lambda c: c.timestamp) if dated else comments[-1]

        def latest(side: str) -> object:
            times = [c.timestamp for c in dated if roles.role_of(c.author) == side]
            return max(times) if times else None

        last_side = roles.role_of(last.author)
        mine = items_under.get(key, [])
        open_here = [i for i in mine if i.status is ItemStatus.OPEN]
        if last_side == "grantee":
            waiting = WaitingOn.REVIEWER
        elif open_here:
            waiting = WaitingOn.GRANTEE
        elif last_side == "reviewer" and not mine:
            waiting = WaitingOn.GRANTEE
        else:
            waiting = WaitingOn.NOBODY
        out.append(ThreadStatus(
            section=tuple(strip_markup(t) for t in page.section_path(key)), heading=key,
            last_comment_by=last.author, last_comment_at=last.timestamp,
            last_grantee_at=latest("grantee"), last_reviewer_at=latest("reviewer"),  # type: ignore[arg-type]
            waiting_on=waiting,
        ))
    return tuple(out)
