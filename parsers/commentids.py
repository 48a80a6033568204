"""DiscussionTools' ids for the comments and headings of a talk page.

Why: on wikis with DiscussionTools (Meta has it), ``Special:GoToComment/<id>``
lands on one comment, even after the page was archived, so a reminder can
point at the exact question instead of its section.  The id is
DiscussionTools' own, recomputed here from what the thread stage found:

* a comment is ``c-<author>-<timestamp>``, then ``-<parent>``: the heading's
  anchor for a top-level comment (nothing before the first heading), or the
  ``<author>-<timestamp>`` of the comment it replies to;
* a heading is ``h-<anchor>``, then ``-<parent heading anchor>`` for a
  sub-section, then ``-<timestamp>`` of the oldest comment under it;
* the timestamp is ``2019-06-21T10:08:00.000Z`` before 12 July 2022 (midnight
  in the wiki's zone) and ``20220715000000`` from then on;
* user-written parts (author, anchors) are cut to 80 bytes and stripped of
  ``_`` at both ends; the older ("legacy") form did not strip, so both are
  kept when they differ;
* an id already taken earlier on the page gets ``-1``, ``-2``, ... (the first
  number free).
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from parsers.model import Comment, TalkPage
from parsers.timestamps import is_canonical, zone
from parsers.variants import stored_title

_SWITCH_DATE = (2022, 7, 12)  # DiscussionTools' $wgDiscussionToolsTimestampFormatSwitchTime
_ID_BYTES = 80
_PIPED = re.compile(r"\[\[:?([^\[\]|]*)\|((?:[^\[\]]|\[(?!\[)|\](?!\]))*)\]\]")
_PLAIN = re.compile(r"\[\[:?([^\[\]|]*)\]\]")
_EXTERNAL = re.compile(r"\[(?:https?:|ftp:|mailto:)?//[^\s\[\]]+[ \t]+([^\[\]]*)\]", re.IGNORECASE)
_TEMPLATE_LINK = re.compile(r"\{\{\s*(?:tl|tlf|tlc|tl2|tls|s)\s*\|([^{}|]+)\}\}", re.IGNORECASE)
_STYLE = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^<>]*>")
_QUOTES = re.compile(r"'{2,}")
_BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e]+")
_TITLE_SPACE = re.compile(r"[ _\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_UNLINKABLE = re.compile(r"[\[\]{}|#<>\x00-\x1f\x7f]|%[0-9A-Fa-f]{2}|&[#A-Za-z0-9]+;|~{3}|/\.\.?(?:/|$)")


@dataclass(frozen=True)
class ThreadIds:
    """DiscussionTools' ids, one per comment and per heading, in the page's order.

    ``comments[i]`` is None for a comment DiscussionTools does not see (no
    timestamp); the legacy tuples hold the older form where it differs.
    """

    comments: tuple[str | None, ...]
    comments_legacy: tuple[str | None, ...]
    headings: tuple[str, ...]
    headings_legacy: tuple[str | None, ...]


def heading_text(title: str) -> str:
    """The text a heading shows, from its wikitext, as MediaWiki's anchors see it.

    Links show their label (or target), external links their label, bold
    and italic quotes and HTML tags disappear, character references are
    decoded.  Templates cannot be expanded without the wiki and stay as
    written, except the common template-link ones (``{{tl|Name}}`` shows
    ``{{Name}}``).
    """
    text = _TEMPLATE_LINK.sub(lambda m: "{{" + m.group(1).strip() + "}}", title)
    text = _PIPED.sub(lambda m: m.group(2), text)
    text = _PLAIN.sub(lambda m: m.group(1), text)
    text = _EXTERNAL.sub(lambda m: m.group(1), text)
    text = _STYLE.sub("", text)
    text = _TAG.sub("", text)
    text = _QUOTES.sub("", text)
    return html.unescape(text)


def anchor(title: str) -> str:
    """The section anchor MediaWiki gives a heading (HTML5 ids), before de-duplication."""
    text = re.sub(r"[ _]+", " ", heading_text(title)).strip()
    text = _BIDI.sub("", text)
    text = _TITLE_SPACE.sub("_", text).strip("_")
    return re.sub(r"[\t\n\f\r ]", "_", text)


def page_anchors(titles: list[str] | tuple[str, ...]) -> list[str]:
    """Anchors of all headings of a page: a repeated one gets ``_2``, ``_3`` (case-insensitively)."""
    taken: set[str] = set()
    out: list[str] = []
    for title in titles:
        base = anchor(title)
        key = base.lower()
        if key in taken:
            number = 2
            while f"{key}_{number}" in taken:
                number += 1
            taken.add(f"{key}_{number}")
            base = f"{base}_{number}"
        else:
            taken.add(key)
        out.append(base)
    return out


def timestamp_part(when: datetime, tz: str = "UTC") -> str:
    """A comment's timestamp as DiscussionTools writes it in ids (the format changed in 2022)."""
    switch = datetime(*_SWITCH_DATE, tzinfo=zone(tz))
    if when < switch:
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
    return when.strftime("%Y%m%d%H%M%S")


def truncate_for_id(text: str, legacy: bool = False) -> str:
    """A user-written id part cut to 80 bytes on a character boundary (MediaWiki's truncateForDatabase)."""
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw) > _ID_BYTES:
        cut = raw[:_ID_BYTES].decode("utf-8", errors="ignore").rstrip(" \t\n\r\0\x0b")
        if len(cut.encode("utf-8", "surrogatepass")) < len(raw):
            text = cut
    return text if legacy else text.strip("_")


def goto_comment_target(comment_id: str | None) -> str | None:
    """``Special:GoToComment/<id>`` as a wikilink target, or None when the id cannot be one.

    Some ids hold characters a page title may not (``[``, ``#``, ``%41`` ...):
    the caller then links the section instead.
    """
    if not comment_id or _UNLINKABLE.search(comment_id):
        return None
    return f"Special:GoToComment/{comment_id}"


def id_at(page: TalkPage, ids: ThreadIds, offset: int) -> str | None:
    """The id of the comment whose text holds ``offset`` (an item's start), None outside comments.

    Why: a reminder links each open item to the comment it was asked in.
    """
    return ids_at(page, ids, (offset,))[0]


def ids_at(page: TalkPage, ids: ThreadIds, offsets: Iterable[int]) -> list[str | None]:
    """:func:`id_at` for many offsets, with the comments' starts listed once (linear on big pages)."""
    starts = [c.start for c in page.comments]
    found: list[str | None] = []
    for offset in offsets:
        k = bisect.bisect_right(starts, offset) - 1
        found.append(None if k < 0 or offset >= page.comments[k].end else _holder(page, ids, k))
    return found


def _holder(page: TalkPage, ids: ThreadIds, index: int) -> str | None:
    """The id of the comment DiscussionTools makes of comment ``index``'s text.

    A comment it does not see (no timestamp in the wiki's format) is part of
    the next one it sees in the same section.
    """
    heading = page.comments[index].heading
    for k in range(index, len(page.comments)):
        if page.comments[k].heading != heading:
            return None
        if ids.comments[k] is not None:
            return ids.comments[k]
    return None


def _dedupe(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 1
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _oldest_under(page: TalkPage, seen: list[str | None]) -> list[datetime | None]:
    """Per heading: the oldest comment DiscussionTools sees in it or in its sub-sections."""
    oldest: list[datetime | None] = [None] * len(page.headings)
    for comment in page.comments:
        heading = comment.heading
        while comment.timestamp is not None and seen[comment.index] is not None and heading is not None:
            if oldest[heading] is None or comment.timestamp < oldest[heading]:
                oldest[heading] = comment.timestamp
            heading = page.headings[heading].parent
    return oldest


def _seen_by_discussiontools(comment: Comment, lang: str) -> bool:
    """DiscussionTools sees a comment signed with a timestamp in the wiki's own format.

    An unsigned template counts (the wiki renders its date in that format);
    a hand-copied or old form ("25 oct 2004") does not.
    """
    dated = next((s for s in comment.signatures if s.timestamp is not None), None)
    if dated is None or not comment.author:
        return False
    return dated.source == "template" or is_canonical(dated.timestamp_text or "", lang)


def _own_parts(page: TalkPage, tz: str, lang: str, legacy: bool) -> list[str | None]:
    """``<author>-<timestamp>`` per comment; None for those DiscussionTools does not see."""
    return [f"{truncate_for_id(c.author.replace(' ', '_'), legacy)}-{timestamp_part(c.timestamp, tz)}"
            if c.timestamp is not None and c.author and _seen_by_discussiontools(c, lang) else None
            for c in page.comments]


def _seen_parents(page: TalkPage, seen: list[str | None]) -> list[int | None]:
    """Each comment's parent as DiscussionTools threads them, without the comments it does not see.

    Its comment runs from the end of the previous comment it sees, so the
    text of an unseen one (a hand-typed "7:49" for "07:49") opens the next
    seen comment of its section, whose level is then the smaller of that
    first line's and its signature line's; replies are re-attached the same
    way as the thread parser does, by level.
    """
    parents: list[int | None] = [None] * len(page.comments)
    stack: list[tuple[int, int]] = []  # (level, index) of open seen comments
    opened: int | None = None  # first line of the unseen comments waiting to be merged
    heading: int | None = -1
    for comment in page.comments:
        if comment.heading != heading:
            heading, stack, opened = comment.heading, [], None
        if seen[comment.index] is None:
            opened = comment.first_line if opened is None else opened
            continue
        level = comment.level
        if opened is not None and comment.signatures:
            level = 1 + min(page.lines[opened].depth, page.lines[comment.signatures[0].line].depth)
        opened = None
        while stack and stack[-1][0] >= level:
            stack.pop()
        parents[comment.index] = stack[-1][1] if stack else None
        stack.append((level, comment.index))
    return parents


def _comment_base(page: TalkPage, index: int, own: list[str | None], parents: list[int | None],
                  anchors: list[str], legacy: bool) -> str | None:
    """``c-<own>-<parent>``: the parent comment DiscussionTools sees, else the heading."""
    if own[index] is None:
        return None
    comment = page.comments[index]
    parent = parents[index]
    if parent is not None:
        return f"c-{own[index]}-{own[parent]}"
    if comment.heading is not None:
        return f"c-{own[index]}-{truncate_for_id(anchors[comment.heading], legacy)}"
    return f"c-{own[index]}"


def _heading_base(page: TalkPage, index: int, anchors: list[str], oldest: list[datetime | None],
                  tz: str, legacy: bool) -> str:
    """``h-<anchor>[-<parent anchor>][-<oldest timestamp>]``."""
    heading = page.headings[index]
    base = "h-" + truncate_for_id(anchors[index], legacy)
    if heading.parent is not None:
        base += "-" + truncate_for_id(anchors[heading.parent], legacy)
    when = oldest[index]
    return base if when is None else f"{base}-{timestamp_part(when, tz)}"


def thread_ids(page: TalkPage, tz: str = "UTC", lang: str = "en", shown: str | None = None) -> ThreadIds:
    """DiscussionTools' ids (current and legacy forms) for every heading and comment of ``page``.

    Items are numbered in document order, as DiscussionTools does: an id
    taken by an earlier heading or comment makes a later one take ``-1``...
    (both forms are checked against the current ids only, as it does).
    ``shown`` names the variant a converted copy of the page is shown in
    (``sr-el``): the anchors are then those of the stored text
    (``parsers.variants``); None for stored text, which is what the bot reads.
    """
    try:
        zone(tz)
    except ValueError:
        tz = "UTC"
    anchors = page_anchors([stored_title(h.title, lang, shown) for h in page.headings])
    own = {legacy: _own_parts(page, tz, lang, legacy) for legacy in (False, True)}
    oldest = _oldest_under(page, own[False])
    parents = _seen_parents(page, own[False])
    comments: dict[bool, list[str | None]] = {False: [None] * len(page.comments), True: [None] * len(page.comments)}
    headings: dict[bool, list[str]] = {False: [""] * len(page.headings), True: [""] * len(page.headings)}
    order = sorted([(h.line, 0, h.index) for h in page.headings]
                   + [(c.first_line, 1, c.index) for c in page.comments])
    taken: set[str] = set()
    for _, kind, index in order:
        for legacy in (True, False):
            if kind == 0:
                headings[legacy][index] = _dedupe(
                    _heading_base(page, index, anchors, oldest, tz, legacy), taken)
                continue
            base = _comment_base(page, index, own[legacy], parents, anchors, legacy)
            comments[legacy][index] = None if base is None else _dedupe(base, taken)
        current = headings[False][index] if kind == 0 else comments[False][index]
        if current is not None:
            taken.add(current)
    return ThreadIds(
        comments=tuple(comments[False]),
        comments_legacy=tuple(o if o != c else None for c, o in zip(comments[False], comments[True])),
        headings=tuple(headings[False]),
        headings_legacy=tuple(o if o != c else None for c, o in zip(headings[False], headings[True])),
    )
