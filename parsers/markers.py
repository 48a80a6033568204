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

Opt-outs are parsed here too (``{{nobots}}``, ``{{bots|deny=…}}``,
``{{bots|allow=…}}``, ``{{bots|optout=…}}``): pywikibot checks nobots/deny
itself on save, but not ``optout``, and the bot must never even render a
reminder for a page that opted out.  Nothing here raises on odd input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

BLOCK_START = "<!-- grantbot:start -->"
BLOCK_END = "<!-- grantbot:end -->"
VOLATILE_START = "<!-- grantbot:volatile -->"
VOLATILE_END = "<!-- grantbot:/volatile -->"

_REMINDER_RE = re.compile(r"<!--\s*grantbot:reminder\b(?P<attrs>[^>]*?)-->", re.IGNORECASE)
_ATTR_RE = re.compile(r"(\w+)=(\S*)")
_VOLATILE_RE = re.compile(re.escape(VOLATILE_START) + r".*?" + re.escape(VOLATILE_END), re.DOTALL)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_NOWIKI_RE = re.compile(r"<nowiki\s*>.*?(?:</nowiki\s*>|\Z)|<nowiki\s*/>", re.DOTALL | re.IGNORECASE)
_BOTS_RE = re.compile(r"\{\{\s*(?:template\s*:\s*)?(nobots|bots)\s*(\|[^{}]*)?\}\}", re.IGNORECASE)


@dataclass(frozen=True)
class ReminderMarker:
    """One reminder the bot posted earlier, as recorded on the page itself."""

    kind: str  # "grantee" or "reviewer"
    items: tuple[str, ...]
    at: datetime | None  # None when the marker has no (valid) timestamp
    start: int  # offset of the marker in the page text


@dataclass(frozen=True)
class BlockSpan:
    """Where the bot's block is: ``text[start:end]`` is the block with its markers."""

    start: int  # offset of BLOCK_START
    end: int  # offset just past BLOCK_END
    inner_start: int  # offset just past BLOCK_START
    inner_end: int  # offset of BLOCK_END

    def inner(self, text: str) -> str:
        return text[self.inner_start : self.inner_end]


@dataclass(frozen=True)
class BotsDirective:
    """What ``{{nobots}}``/``{{bots}}`` templates on a page say about one bot."""

    denied: bool  # the bot may not edit the page at all
    optouts: frozenset[str]  # message types the page opted out of ("all" for every type)

    def opted_out(self, kind: str) -> bool:
        return self.denied or "all" in self.optouts or kind.lower() in self.optouts


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


def reminder_markers(text: str) -> tuple[ReminderMarker, ...]:
    """Every reminder marker on the page, in page order (inside nowiki ignored)."""
    masked = _NOWIKI_RE.sub(lambda m: " " * len(m.group(0)), text)
    found: list[ReminderMarker] = []
    for match in _REMINDER_RE.finditer(masked):
        attrs = dict(_ATTR_RE.findall(match.group("attrs")))
        items = tuple(i for i in attrs.get("items", "").split(",") if i)
        found.append(
            ReminderMarker(
                kind=attrs.get("kind", "grantee").lower(),
                items=items,
                at=_parse_time(attrs["at"]) if "at" in attrs else None,
                start=match.start(),
            )
        )
    return tuple(found)


def find_block(text: str) -> BlockSpan | None:
    """The bot's block: the first end marker that has a start marker before it,
    paired with the nearest such start.  An orphaned start marker (a person
    deleted the end one) is then left alone as ordinary page text."""
    search_from = 0
    while True:
        end = text.find(BLOCK_END, search_from)
        if end < 0:
            return None
        start = text.rfind(BLOCK_START, 0, end)
        if start >= 0:
            return BlockSpan(start, end + len(BLOCK_END), start + len(BLOCK_START), end)
        search_from = end + len(BLOCK_END)


def mask_volatile(text: str) -> str:
    """Text with the volatile parts blanked, for "did anything real change?" checks."""
    return _VOLATILE_RE.sub(VOLATILE_START + VOLATILE_END, text)


def volatile(text: str) -> str:
    return f"{VOLATILE_START}{text}{VOLATILE_END}"


def bots_directive(text: str, bot_name: str) -> BotsDirective:
    """Read ``{{nobots}}`` and ``{{bots|allow=|deny=|optout=}}`` the way the
    community convention (and pywikibot) reads them, ignoring comments and nowiki."""
    visible = _NOWIKI_RE.sub(" ", _COMMENT_RE.sub(" ", text))
    me = bot_name.strip().replace("_", " ").lower()
    denied = False
    optouts: set[str] = set()
    for match in _BOTS_RE.finditer(visible):
        name = match.group(1).lower()
        params = _params(match.group(2) or "")
        if name == "nobots":
            names = _names(params.get("1", "all")) if params else {"all"}
            denied = denied or "all" in names or me in names
            continue
        if "deny" in params:
            names = _names(params["deny"])
            denied = denied or "all" in names or me in names
        if "allow" in params:
            names = _names(params["allow"])
            if "none" in names or ("all" not in names and me not in names):
                denied = True
        if "optout" in params:
            optouts |= _names(params["optout"])
    return BotsDirective(denied=denied, optouts=frozenset(optouts))


def _params(raw: str) -> dict[str, str]:
    params: dict[str, str] = {}
    positional = 0
    for part in raw.split("|")[1:]:
        if "=" in part:
            key, value = part.split("=", 1)
            params[key.strip().lower()] = value.strip()
        else:
            positional += 1
            params[str(positional)] = part.strip()
    return params


def _names(value: str) -> set[str]:
    return {n.strip().replace("_", " ").lower() for n in value.split(",") if n.strip()}
