"""Who really wrote each comment: the page history checked against the signatures.

Signatures are text anyone can type; the history is not.  Given a talk
page's :class:`~parsers.blame.Blame`, :func:`attribute_page` decides for
each comment:

* ``VERIFIED``: the revision that first put the signature on the page was
  saved by the account the signature names;
* ``UNVERIFIED``: it was saved by someone else (typed, back-dated, copied
  from elsewhere).  The comment is then read as the real editor's words,
  so it can neither ask as a reviewer nor answer as the grantee; the items
  it seemed to hold are still listed, marked unverified and undated (no
  claimed date counts, so no age either: :func:`verified_analysis`), and
  never trigger a reminder;
* ``UNSIGNED``: text no signature covers (a reviewer who forgot to sign)
  becomes a comment of the editor who wrote it, dated by that revision.

A signature dated well before (or after) the edit that added it is dated
by the edit instead, so a back-dated question is not "overdue".  Markers
(:func:`trusted_markers`) and the people a reminder pings
(:func:`grant_people`) are decided here too.  Everything is pure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from parsers.blame import Blame, Editor, first_added, written_by
from parsers.markers import ReminderMarker
from parsers.model import (
    Authorship, Comment, ItemStatus, LineKind, ReviewerItem, TalkAnalysis, TalkPage,
)
from parsers.roles import normalise_user

TOLERANCE = timedelta(minutes=10)  # a signature's clock may differ this much from the edit's
MARKER_SLACK = timedelta(minutes=5)  # a recorded reminder and its marker, same edit
SUBSTANTIAL_BYTES = 200  # bytes added to a report that make someone one of its authors
SUBSTANTIAL_EDITS = 3  # or this many edits of it


@dataclass(frozen=True)
class Attribution:
    """One comment's verdict, with the edit that added it and why."""

    verdict: Authorship
    signed_as: str | None
    added_by: str | None  # None when the history hides the editor
    revid: int | None
    added_at: datetime | None
    time: datetime | None  # what ages count from
    reason: str


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and normalise_user(a or "") == normalise_user(b or "")


def _day(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "an unknown date"


def _edit(editor: Editor) -> str:
    return f"revision {editor.revid} ({_day(editor.timestamp)})"


# ------------------------------------------------------------ comments

def attribute_page(page: TalkPage, blame: Blame) -> tuple[TalkPage, dict[int, Attribution]]:
    """The page as the history tells it, and each of its comments' attribution (by index).

    Offsets and text stay those of ``page``; only comments change: unsigned
    text gets comments of its own, and every comment's author and time are
    the verified ones."""
    drafts: list[tuple[Comment, Attribution]] = []
    for comment in page.comments:
        prefix = _unsigned_prefix(page, blame, comment)
        if prefix is not None:
            drafts.append(prefix)
            rest = prefix[0].last_line + 1
            comment = dataclasses.replace(comment, first_line=rest, start=page.lines[rest].start)
        drafts.append(_signed(page, blame, comment))
    drafts += _uncovered(page, blame)
    drafts.sort(key=lambda d: d[0].start)
    renumber = {id(c): n for n, (c, _) in enumerate(drafts)}
    by_old = {c.index: renumber[id(c)] for c, _ in drafts if c.signatures}
    comments, attributions = [], {}
    for n, (comment, attribution) in enumerate(drafts):
        parent = by_old.get(comment.parent) if comment.parent is not None and comment.signatures else None
        if attribution.verdict is Authorship.VERIFIED:
            author, signatures = comment.author, comment.signatures
        else:  # the real editor speaks, whatever the signature says
            author = attribution.added_by
            signatures = tuple(dataclasses.replace(s, user=author or "") for s in comment.signatures)
        comments.append(dataclasses.replace(comment, index=n, parent=parent, author=author,
                                            timestamp=attribution.time, signatures=signatures))
        attributions[n] = attribution
    return dataclasses.replace(page, comments=tuple(comments)), attributions


def _signed(page: TalkPage, blame: Blame, comment: Comment) -> tuple[Comment, Attribution]:
    sig = next((s for s in comment.signatures if s.user == comment.author), comment.signatures[0])
    if sig.source == "template":  # {{unsigned|X}} is added by a helper: judge the text itself
        editor = _writer(page, blame, comment.first_line, comment.last_line)
        how = "the comment's text"
    else:
        fragment = page.text[sig.start:sig.end]
        rank = page.text.count(fragment, 0, sig.start)
        editors = first_added(blame, fragment, page.text.count(fragment))
        forged = next((e for e in editors if not _same(e.user, sig.user)), None)
        editor = forged or (editors[rank] if rank < len(editors) else None)
        how = "the signature"
    if editor is None:
        return comment, Attribution(Authorship.VERIFIED, sig.user, None, None, None, comment.timestamp,
                                    "the history does not show this text: the signature is taken as written")
    if not _same(editor.user, sig.user):
        reason = (f"unverified: signed {sig.user}, but {how} was added by "
                  f"{editor.user or 'a hidden account'} in {_edit(editor)}")
        return comment, Attribution(Authorship.UNVERIFIED, sig.user, editor.user, editor.revid,
                                    editor.timestamp, editor.timestamp, reason)
    time, note = _time(comment.timestamp, editor)
    return comment, Attribution(Authorship.VERIFIED, sig.user, editor.user, editor.revid,
                                editor.timestamp, time, f"verified: {sig.user} added it in {_edit(editor)}{note}")


def _time(signed: datetime | None, editor: Editor) -> tuple[datetime, str]:
    if signed is None:
        return editor.timestamp, " (undated signature: dated by the edit)"
    if abs(signed - editor.timestamp) > TOLERANCE:
        return editor.timestamp, (f"; the signature's date {_day(signed)} is not the edit's:"
                                  " ages count from the edit")
    return signed, ""


def _writer(page: TalkPage, blame: Blame, first: int, last: int) -> Editor | None:
    """The editor who wrote most of lines ``first..last`` (by characters)."""
    weight: dict[int, int] = {}
    editors: dict[int, Editor] = {}
    for line in page.lines[first : last + 1]:
        editor = written_by(blame, page.text[line.start:line.end])
        if editor is not None:
            weight[editor.revid] = weight.get(editor.revid, 0) + line.end - line.start
            editors[editor.revid] = editor
    if not weight:
        return None
    return editors[max(weight, key=lambda r: (weight[r], -r))]


def _unsigned(page: TalkPage, blame: Blame, first: int, last: int,
              heading: int | None) -> tuple[Comment, Attribution] | None:
    editor = _writer(page, blame, first, last)
    if editor is None:
        return None
    lines = page.lines
    comment = Comment(index=-1, author=editor.user, timestamp=editor.timestamp,
                      level=1 + lines[first].depth, parent=None, heading=heading,
                      start=lines[first].start, end=lines[last].end, first_line=first, last_line=last)
    reason = (f"unsigned: attributed to {editor.user or 'a hidden account'}, who added it in "
              f"{_edit(editor)}")
    return comment, Attribution(Authorship.UNSIGNED, None, editor.user, editor.revid,
                                editor.timestamp, editor.timestamp, reason)


def _text_lines(page: TalkPage, first: int, last: int) -> list[int]:
    return [n for n in range(first, last + 1)
            if page.lines[n].kind in (LineKind.LIST, LineKind.TEXT)]


def _unsigned_prefix(page: TalkPage, blame: Blame, comment: Comment) -> tuple[Comment, Attribution] | None:
    """Unsigned lines at the top of a comment written by someone else in an earlier
    edit (a question nobody signed, answered below it), as a comment of their writer.

    Not when that writer signs later in the same section: then the lines are
    their signed text with an inline reply under it (parsers.items handles it)."""
    signer = written_by(blame, page.text[page.lines[comment.last_line].start:page.lines[comment.last_line].end])
    if signer is None:
        return None
    top: list[int] = []
    for n in _text_lines(page, comment.first_line, comment.last_line - 1):
        editor = written_by(blame, page.text[page.lines[n].start:page.lines[n].end])
        if editor is None or _same(editor.user, signer.user) or editor.revid >= signer.revid:
            break
        top.append(n)
    if not top:
        return None
    writer = _writer(page, blame, top[0], top[-1])
    later = (c for c in page.comments if c.heading == comment.heading and c.start > comment.start)
    if writer is None or any(_same(c.author, writer.user) for c in later):
        return None
    return _unsigned(page, blame, top[0], top[-1], comment.heading)


def unsigned_runs(page: TalkPage) -> list[tuple[int, int, int | None]]:
    """(first line, last line, heading) of each run of text lines no comment covers:
    unsigned text at the end of a section, or a section nobody signed."""
    covered = {n for c in page.comments for n in range(c.first_line, c.last_line + 1)}
    heads = {h.line: h.index for h in page.headings}
    runs: list[tuple[int, int, int | None]] = []
    current, open_run = None, False
    for line in page.lines:
        current = heads.get(line.number, current)
        if line.number in covered or line.kind not in (LineKind.LIST, LineKind.TEXT):
            open_run = open_run and line.kind is LineKind.BLANK and line.number not in covered
            continue
        if open_run and runs[-1][2] == current:
            runs[-1] = (runs[-1][0], line.number, current)
        else:
            runs.append((line.number, line.number, current))
        open_run = True
    return runs


def _uncovered(page: TalkPage, blame: Blame) -> list[tuple[Comment, Attribution]]:
    found = (_unsigned(page, blame, first, last, heading) for first, last, heading in unsigned_runs(page))
    return [f for f in found if f is not None]


# ------------------------------------------------------------ analyses

def comment_at(page: TalkPage, offset: int) -> int | None:
    """The index of the comment holding ``offset``."""
    for comment in page.comments:
        if comment.start <= offset < max(comment.end, comment.start + 1):
            return comment.index
    return None


def verified_analysis(trusting: TalkAnalysis, verified: TalkAnalysis, page: TalkPage,
                      attributions: dict[int, Attribution]) -> TalkAnalysis:
    """``verified`` (the analysis of the attributed page) with every item's authorship,
    plus the items only unverified signatures made: listed, marked, never reminded."""
    def verdict(item: ReviewerItem) -> Attribution | None:
        at = comment_at(page, item.start)
        return attributions.get(at) if at is not None else None

    before = {i.id: i for i in trusting.items}
    forgers = {page.comments[n].author for n, a in attributions.items()
               if a.verdict is Authorship.UNVERIFIED and n < len(page.comments)}
    items = []
    for item in (_reopen_forged(i, forgers) for i in verified.items):
        found = verdict(item)
        kind = found.verdict if found else Authorship.NOT_CHECKED
        reason = item.reason + _note(found)
        old = before.get(item.id)
        if item.status is ItemStatus.OPEN and old is not None and old.status is ItemStatus.ANSWERED:
            reason += (f"; the reply signed {old.answered_by} was added by another account, "
                       "so it does not close this item")
        items.append(dataclasses.replace(item, authorship=kind, reason=reason,
                                         asked_at=None if kind is Authorship.UNVERIFIED else item.asked_at))
    known = {i.id for i in items}
    for item in trusting.items:
        found = verdict(item)
        if item.id not in known and found and found.verdict is Authorship.UNVERIFIED:
            items.append(dataclasses.replace(item, authorship=Authorship.UNVERIFIED, asked_at=None,
                                             reason=item.reason + _note(found)))
    items.sort(key=lambda i: i.start)
    return dataclasses.replace(verified, items=tuple(items))


def _reopen_forged(item: ReviewerItem, forgers: set[str | None]) -> ReviewerItem:
    """An answer whose signature names someone other than the editor who added it
    never closes an item by itself, however the side finder reads its editor."""
    if item.status is not ItemStatus.ANSWERED or item.answered_by not in forgers:
        return item
    return dataclasses.replace(item, status=ItemStatus.OPEN, answered_by=None, answered_at=None,
                               answer_excerpt=None, answer_location=None, commitment=False,
                               reason=f"open: the only answer was added by {item.answered_by} "
                                      "under another person's signature")


def _note(found: Attribution | None) -> str:
    """What an item's reason adds about who wrote it."""
    if found is None:
        return ""
    if found.verdict is Authorship.UNVERIFIED:
        return f"; {found.reason}: listed, but it never triggers a reminder"
    if found.verdict is Authorship.UNSIGNED:
        return f"; {found.reason}"
    return "; " + found.reason.split("; ", 1)[-1] if "ages count" in found.reason else ""


# ------------------------------------------------------------ markers and pings

def trusted_markers(text: str, markers: Iterable[ReminderMarker], bot: str, blame: Blame | None,
                    recorded: Sequence[tuple[Collection[str], datetime]] = ()
                    ) -> tuple[tuple[ReminderMarker, ...], tuple[str, ...]]:
    """The markers the bot itself put on this page, and why each other one is ignored.

    A marker counts when the state recorded that reminder (same items, same
    minute) or when the history shows the bot's account added it here; a
    marker typed by someone, or copied from another page, counts for nothing."""
    trusted, ignored = [], []
    for marker in markers:
        end = text.find("-->", marker.start)
        fragment = text[marker.start : end + 3 if end >= 0 else len(text)]
        if any(set(ids) == set(marker.items) and marker.at is not None
               and abs(marker.at - at) <= MARKER_SLACK for ids, at in recorded):
            trusted.append(marker)
            continue
        editors = first_added(blame, fragment, text.count(fragment)) if blame else ()
        if editors and all(_same(e.user, bot) for e in editors):
            trusted.append(marker)
            continue
        who = next((e for e in editors if not _same(e.user, bot)), None)
        ignored.append(f"ignored a reminder marker for {','.join(marker.items) or 'no items'}: "
                       + (f"added by {who.user or 'a hidden account'} in {_edit(who)}, not by {bot}"
                          if who else "no record or history shows the bot added it"))
    return tuple(trusted), tuple(ignored)


@dataclass(frozen=True)
class ReportEdit:
    user: str | None
    added: int  # bytes the edit added (0 when it removed text)
    minor: bool
    created: bool  # the edit created the page


def grant_people(recipients: Iterable[str], edits: Sequence[ReportEdit], named: Collection[str],
                 bots: Collection[str], configured: Collection[str] = ()
                 ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Who a reminder may ping: accounts configured for or named in the grant, and
    the report's authors (they created it, or added at least SUBSTANTIAL_BYTES, or
    edited it SUBSTANTIAL_EDITS times); never a bot-group account or a one-off
    minor editor.  Returns (kept, why each other one was dropped)."""
    chosen = {normalise_user(n) for n in (*configured, *named)}
    robots = {normalise_user(b) for b in bots}
    added: dict[str, int] = {}
    count: dict[str, int] = {}
    for edit in edits:
        if edit.user:
            name = normalise_user(edit.user)
            added[name] = added.get(name, 0) + (SUBSTANTIAL_BYTES if edit.created else edit.added)
            count[name] = count.get(name, 0) + 1
    kept, dropped = [], []
    for person in recipients:
        name = normalise_user(person)
        if name in robots:
            dropped.append(f"{person}: a bot account")
        elif name in chosen or added.get(name, 0) >= SUBSTANTIAL_BYTES or count.get(name, 0) >= SUBSTANTIAL_EDITS:
            kept.append(person)
        else:
            dropped.append(f"{person}: only {count.get(name, 0)} small edit(s) of the report, "
                           "not named in the grant")
    return tuple(kept), tuple(dropped)
