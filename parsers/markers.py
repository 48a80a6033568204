"""Pure parsing of what the bot leaves (and what people leave for the bot) in page text.

The page is the source of truth for what the bot already did: if a run
crashes between posting a reminder and recording it in the database, the
next run must still see the reminder.  So every reminder carries a hidden
marker::

    <!-- grantbot:reminder kind=grantee items=id1,id2 at=2024-05-01T12:00:00Z -->

and every bot-maintained block sits between ``<!-- grantbot:start -->`` and
``<!-- grantbot:end -->``.  Inside a block, parts that change on every run
without meaning anything ("last updated", "last checked") are wrapped in
``<!-- grantbot:volatile -->…<!-- grantbot:/volatile -->`` so a comparison
can mask them.

Markers count only where MediaWiki sees a comment: a marker a person quotes
inside ``<nowiki>``, ``<pre>``, ``<syntaxhighlight>``, ``<source>`` or
inside another comment is text, not a marker (:func:`visible_comments`).
Nothing here raises on odd input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

BLOCK_START = "<!-- grantbot:start -->"
BLOCK_END = "<!-- grantbot:end -->"
VOLATILE_START = "<!-- grantbot:volatile -->"
VOLATILE_END = "<!-- grantbot:/volatile -->"

_REMINDER_RE = re.compile(r"<!--\s*grantbot:reminder\b(?P<attrs>[^>]*?)-->", re.IGNORECASE)
_ATTR_RE = re.compile(r"(\w+)=(\S*)")
_VOLATILE_RE = re.compile(re.escape(VOLATILE_START) + r".*?" + re.escape(VOLATILE_END), re.DOTALL)
# Tags whose content MediaWiki shows as literal text: a marker quoted inside is not a marker.
_LITERAL_OPEN_RE = re.compile(
    r"<!--|<(nowiki|pre|syntaxhighlight|source)(?=[\s/>])[^>]*>", re.IGNORECASE)
_START_RE = re.compile(r"<!--\s*grantbot:start\s*-->")
_END_RE = re.compile(r"<!--\s*grantbot:end\s*-->")


@dataclass(frozen=True)
class ReminderMarker:
    """One reminder the bot posted earlier, as recorded on the page itself."""

    kind: str  # "grantee" or "reviewer"
    items: tuple[str, ...]
    at: datetime | None  # None when the marker has no (valid) timestamp
    start: int  # offset of the marker in the page text


@dataclass(frozen=True)
class BlockMarker:
    """One start or end marker of the bot's block: ``text[start:end]`` is the comment."""

    is_start: bool
    start: int
    end: int


@dataclass(frozen=True)
class BlockSpan:
    """Where the bot's block is: ``text[start:end]`` is the block with its markers."""

    start: int  # offset of BLOCK_START
    end: int  # offset just past BLOCK_END
    inner_start: int  # offset just past BLOCK_START
    inner_end: int  # offset of BLOCK_END

    def inner(self, text: str) -> str:
        return text[self.inner_start : self.inner_end]


def _parse_time(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def format_time(moment: datetime) -> str:
    """The marker's timestamp format; round-trips through :func:`reminder_markers`."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def reminder_marker(kind: str, items: tuple[str, ...], at: datetime) -> str:
    """Render the hidden marker; item ids must not contain commas, spaces or ``-->``."""
    safe = tuple(re.sub(r"[\s,>]|--", "_", i) for i in items)
    return f"<!-- grantbot:reminder kind={kind} items={','.join(safe)} at={format_time(at)} -->"


def visible_comments(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every HTML comment as MediaWiki's preprocessor reads the page."""
    return ((start, end) for start, end, comment in hidden_spans(text) if comment)


def hidden_spans(text: str) -> Iterator[tuple[int, int, bool]]:
    """``(start, end, is_comment)`` of what the page does not show as wiki text, as
    MediaWiki's preprocessor reads it left to right: comments, and the content of
    ``<nowiki>``, ``<pre>``, ``<syntaxhighlight>`` and ``<source>`` (tags included,
    literal: no comment starts inside).  A comment runs to the first ``-->`` (or the
    end of the page); an opening tag without its closing tag is itself literal text
    (MediaWiki then parses what follows)."""
    pos, unclosed = 0, set()
    while True:
        match = _LITERAL_OPEN_RE.search(text, pos)
        if match is None:
            return
        if match.group(0) == "<!--":
            end = text.find("-->", match.end())
            end = len(text) if end < 0 else end + 3
            yield match.start(), end, True
            pos = end
            continue
        name = match.group(1).lower()
        pos = match.end()
        if match.group(0).endswith("/>") or name in unclosed:
            continue
        close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, pos)
        if close is None:
            unclosed.add(name)  # later tags of this name cannot close either
        else:
            yield match.start(), close.end(), False
            pos = close.end()


def reminder_markers(text: str) -> tuple[ReminderMarker, ...]:
    """Every reminder marker on the page, in page order (quoted ones ignored)."""
    found: list[ReminderMarker] = []
    for start, end in visible_comments(text):
        match = _REMINDER_RE.fullmatch(text, start, end)
        if match is None:
            continue
        attrs = dict(_ATTR_RE.findall(match.group("attrs")))
        items = tuple(i for i in attrs.get("items", "").split(",") if i)
        found.append(
            ReminderMarker(
                kind=attrs.get("kind", "grantee").lower(),
                items=items,
                at=_parse_time(attrs["at"]) if "at" in attrs else None,
                start=start,
            )
        )
    return tuple(found)


def block_markers(text: str) -> tuple[BlockMarker, ...]:
    """The bot's start and end markers MediaWiki sees, in page order."""
    found = []
    for start, end in visible_comments(text):
        if _START_RE.fullmatch(text, start, end):
            found.append(BlockMarker(True, start, end))
        elif _END_RE.fullmatch(text, start, end):
            found.append(BlockMarker(False, start, end))
    return tuple(found)


def find_block(text: str) -> BlockSpan | None:
    """The bot's block: the first start marker directly followed (among the
    markers) by an end marker.  Damaged or extra markers are
    :mod:`publishing.blocks`' business (it repairs them)."""
    markers = block_markers(text)
    for first, second in zip(markers, markers[1:]):
        if first.is_start and not second.is_start:
            return BlockSpan(first.start, second.end, first.end, second.start)
    return None


def mask_volatile(text: str) -> str:
    """Text with the volatile parts blanked, for "did anything real change?" checks."""
    return _VOLATILE_RE.sub(VOLATILE_START + VOLATILE_END, text)


def volatile(text: str) -> str:
    return f"{VOLATILE_START}{text}{VOLATILE_END}"
