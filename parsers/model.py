"""The intermediate types every parsing stage shares.

Each stage of :mod:`parsers` is a pure function from wikitext (or from the
output of an earlier stage) to these frozen dataclasses.  Offsets are
character offsets into the exact text that was parsed, so later stages can
always go back to the source and quote it, and so the bot can link to it.
Datetimes are always timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class LineKind(str, Enum):
    BLANK = "blank"
    HEADING = "heading"
    LIST = "list"  # starts with one or more of * # : ;
    TEXT = "text"  # an ordinary paragraph line
    OTHER = "other"  # tables, templates-only lines, comments-only lines


@dataclass(frozen=True)
class Line:
    """One physical line of the page, with its list prefix split off."""

    number: int  # 0-based
    start: int  # offset of the first character of the line
    end: int  # offset just past the line's last character (before "\n")
    kind: LineKind
    prefix: str  # the list markers, e.g. "*:" ("" when not a list line)
    content: str  # the line without its prefix, not stripped

    @property
    def depth(self) -> int:
        """Indentation depth as DiscussionTools counts it (";" adds nothing)."""
        return sum(1 for ch in self.prefix if ch in "*#:")


@dataclass(frozen=True)
class Heading:
    index: int
    level: int  # 2 for "==", 3 for "===" ...
    title: str  # raw wikitext between the "=" signs, stripped
    parent: int | None  # index of the enclosing higher-level heading
    line: int  # line number of the heading line
    start: int  # offset of the heading line


@dataclass(frozen=True)
class Signature:
    """A user link (or unsigned template) with, usually, a timestamp after it."""

    user: str  # account name: spaces not underscores, first letter upper-cased
    display: str | None  # label shown in the link when it differs from the account
    timestamp: datetime | None  # UTC; None when the signature has no timestamp
    timestamp_text: str | None  # the timestamp exactly as written
    start: int  # offset of the first character of the signature
    end: int  # offset just past the timestamp (or the link when no timestamp)
    line: int  # line number the signature is on
    source: str = "link"  # "link" or "template" ({{unsigned|...}} and friends)


@dataclass(frozen=True)
class Comment:
    """A signed contribution: the text from the end of the previous comment
    (or the heading) up to and including this comment's last signature."""

    index: int
    author: str | None  # None only for text with no signature at all
    timestamp: datetime | None
    level: int  # 1 + indentation depth (DiscussionTools' rule)
    parent: int | None  # index of the comment this replies to
    heading: int | None  # index of the nearest enclosing heading
    start: int  # offset of the comment's first character
    end: int  # offset just past the comment's last signature line
    first_line: int
    last_line: int
    signatures: tuple[Signature, ...] = field(default=())

    @property
    def signed(self) -> bool:
        return bool(self.signatures)


@dataclass(frozen=True)
class TalkPage:
    """Everything the thread stage found on a page."""

    text: str
    lines: tuple[Line, ...]
    headings: tuple[Heading, ...]
    comments: tuple[Comment, ...]

    def section_path(self, heading: int | None) -> tuple[str, ...]:
        """Titles from the top-level heading down to ``heading``."""
        path: list[str] = []
        while heading is not None:
            h = self.headings[heading]
            path.append(h.title)
            heading = h.parent
        return tuple(reversed(path))

    def comment_text(self, comment: Comment) -> str:
        return self.text[comment.start : comment.end]


# --------------------------------------------------------------------------
# Analysis results: what the bot renders and records.


class ItemKind(str, Enum):
    QUESTION = "question"
    REQUEST = "request"


class ItemStatus(str, Enum):
    OPEN = "open"
    ANSWERED = "answered"
    NOT_A_QUESTION = "not_a_question"  # someone allowed to said so on the page (parsers.corrections)


class Authorship(str, Enum):
    """What the page history says about who wrote an item (``parsers.authorship``)."""

    NOT_CHECKED = "not checked"  # the history was not read: the signature is taken at its word
    VERIFIED = "verified"  # the signature names the editor who added it
    UNVERIFIED = "unverified"  # the signature names someone other than the editor who added it
    UNSIGNED = "unsigned, attributed"  # no signature: attributed to the editor who added it


class WaitingOn(str, Enum):
    GRANTEE = "grantee"
    REVIEWER = "reviewer"
    NOBODY = "nobody"


@dataclass(frozen=True)
class ReviewerItem:
    """One question or request from the reviewer side, and what became of it."""

    id: str  # stable across unrelated edits of the page
    kind: ItemKind
    text: str  # the item's sentences as written (markup stripped)
    asked_by: str | None
    asked_at: datetime | None
    section: tuple[str, ...]  # heading path, then the bold pseudo-heading if any
    anchor: str  # the talk-page heading title to link to (its section anchor)
    status: ItemStatus
    answered_by: str | None
    answered_at: datetime | None
    answer_excerpt: str | None
    answer_location: str | None  # e.g. "inline_reply", "separate_responses_section"
    commitment: bool  # answered by a promise ("we will send it next week")
    reason: str  # why the bot decided open/answered, in plain words
    start: int  # offset of the item in the page text
    asked_by_reason: str = ""  # why its writer counts as the reviewer side, in plain words
    authorship: Authorship = Authorship.NOT_CHECKED
    comment_id: str | None = None  # DiscussionTools' id of the comment it was asked in


@dataclass(frozen=True)
class ThreadStatus:
    section: tuple[str, ...]
    heading: int | None
    last_comment_by: str | None
    last_comment_at: datetime | None
    last_grantee_at: datetime | None
    last_reviewer_at: datetime | None
    waiting_on: WaitingOn


class CorrectionKind(str, Enum):
    ANSWERED = "answered"  # answered elsewhere (by email, in a call, on another page)
    NOT_A_QUESTION = "not-a-question"
    REOPEN = "reopen"


@dataclass(frozen=True)
class Correction:
    """A person's ``{{grantbot|answered|<item id>}}`` on the talk page, and whether the bot honours it."""

    kind: CorrectionKind
    item_id: str
    by: str | None  # the account signing the same line
    at: datetime | None
    honoured: bool
    reason: str  # why it is honoured or refused, in plain words


@dataclass(frozen=True)
class TalkAnalysis:
    """The result of analysing one grant talk page."""

    title: str | None
    language: str  # detected language of the reviewer's text ("en", "es", "pt", "fr")
    reviewers: tuple[str, ...]  # accounts treated as reviewer side
    grantees: tuple[str, ...]  # accounts treated as grantee side
    items: tuple[ReviewerItem, ...]
    threads: tuple[ThreadStatus, ...]
    corrections: tuple[Correction, ...] = ()  # every correction found, honoured or not

    @property
    def open_items(self) -> tuple[ReviewerItem, ...]:
        return tuple(i for i in self.items if i.status is ItemStatus.OPEN)


@dataclass(frozen=True)
class ReportSection:
    path: tuple[str, ...]  # heading titles from the top down
    anchor: str
    reason: str  # "empty", "placeholder only", "HTML comment only"


@dataclass(frozen=True)
class ReportAnalysis:
    """Status fields and unfilled sections of a grant report page."""

    title: str | None
    status_fields: tuple[tuple[str, str], ...]  # (template parameter, value), in page order
    empty_sections: tuple[ReportSection, ...]

    @property
    def status(self) -> str | None:
        for name, value in self.status_fields:
            if name.strip().lower() == "status":
                return value
        return None
