"""Reading the on-wiki run-request page (``User:<bot>/Run``).

People ask for a refresh of one grant by adding a line naming it.  The
page as it is *now* is the queue: every request line on it is pending
until the bot answers it (in its block on the same page, with a hidden
key) and removes exactly that line.  Who asked is the editor of the
revision that added the line (:func:`carry` follows each line through the
history), never a typed signature.  Lines in comments, ``<nowiki>``,
``<pre>`` or the bot's own block are instructions and answers, not requests.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from parsers.markers import find_block, hidden_spans

_LINK = re.compile(r"\[\[\s*:?\s*([^\]|#]+?)\s*(?:[|#][^\]]*)?\]\]")
_BULLET = re.compile(r"^[*#:\s]+")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SIGNATURE_TAIL = re.compile(r"\s*(?:--\s*)?\[\[\s*(?:User|User talk)\s*:.*$", re.I)


@dataclass(frozen=True)
class RunRequest:
    """One request line: the grant page it names and the line as written."""

    title: str
    line: str


def normalise_title(title: str) -> str:
    """Spaces for underscores, collapsed whitespace, first letter upper-cased,
    and the namespace's first letter too (``grants:x`` -> ``Grants:X``)."""
    title = re.sub(r"[\s_]+", " ", title).strip()
    if ":" in title:
        ns, _, rest = title.partition(":")
        ns, rest = ns.strip(), rest.strip()
        title = f"{ns[:1].upper()}{ns[1:]}:{rest[:1].upper()}{rest[1:]}"
    elif title:
        title = title[:1].upper() + title[1:]
    return title


def parse_request_line(line: str) -> RunRequest | None:
    """The grant title a line asks for, or None for headings, prose and blanks.

    A request is a line that names a page in the ``Grants:`` namespace, as a
    link (``* [[Grants:Conference/X/Report]]``) or as plain text
    (``Grants:Conference/X``); a trailing signature is allowed.
    """
    stripped = _COMMENT.sub("", line).strip()
    if not stripped or stripped.startswith(("=", "{{", "{|", "|", "!")):
        return None
    for match in _LINK.finditer(stripped):
        target = normalise_title(match.group(1))
        if target.startswith(("Grants:", "Grants talk:")):
            return RunRequest(target, line)
    plain = _SIGNATURE_TAIL.sub("", _BULLET.sub("", stripped)).strip()
    plain = normalise_title(plain)
    if re.fullmatch(r"Grants(?: talk)?:[^\[\]{}|<>]+", plain):
        return RunRequest(plain, line)
    return None


# --------------------------------------------------------------- who added each line

@dataclass(frozen=True)
class Origin:
    """The revision that added a line: its id, editor (None when hidden) and time."""

    revid: int
    user: str | None
    at: datetime


@dataclass(frozen=True)
class Line:
    text: str
    origin: Origin


def carry(lines: tuple[Line, ...], text: str, origin: Origin) -> tuple[Line, ...]:
    """The lines of ``text`` (the revision ``origin``), each with the revision that
    added it: a line the diff from the previous revision shows as unchanged keeps
    its origin, an inserted or rewritten one gets ``origin``.  A removed line is
    forgotten, so a request added again later is a new request."""
    old = [line.text for line in lines]
    new = text.split("\n")
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    out: list[Line] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(lines[i1:i2])
        else:
            out.extend(Line(t, origin) for t in new[j1:j2])
    return tuple(out)


# ------------------------------------------------------------ requests on the page

@dataclass(frozen=True)
class PageRequest:
    """A request line on the page now: its position, the title it names, who added it."""

    index: int  # line number in the page text
    title: str
    line: str
    origin: Origin

    @property
    def key(self) -> str:
        return request_key(self.origin.revid, self.title)


def request_key(revid: int | None, title: str) -> str:
    """A request's identity on the page and in the state: the revision that
    added it and the title it names (twice the same title in one edit is one request)."""
    return hashlib.sha1(f"{revid or 0}\n{title}".encode()).hexdigest()[:12]


def visible_lines(text: str) -> list[str]:
    """The page's lines with what MediaWiki does not show as wiki text (comments,
    ``<nowiki>``, ``<pre>`` …: :func:`parsers.markers.hidden_spans`) and the bot's
    block blanked (line numbers kept): what can be a request."""
    chars = list(text)
    spans = [(start, end) for start, end, _ in hidden_spans(text)]
    block = find_block(text)
    if block is not None:
        spans.append((block.start, block.end))
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars).split("\n")


def page_requests(lines: tuple[Line, ...]) -> tuple[PageRequest, ...]:
    """Every request line of the page, in page order, with its origin."""
    text = "\n".join(line.text for line in lines)
    out: list[PageRequest] = []
    for index, visible in enumerate(visible_lines(text)):
        request = parse_request_line(visible)
        if request is not None:
            out.append(PageRequest(index, request.title, lines[index].text, lines[index].origin))
    return tuple(out)


# ------------------------------------------------------------------ answering

_ANSWERED = re.compile(r"<!--\s*grantbot:answered\s+([0-9a-f]{12})\s*-->")


def answer_marker(key: str) -> str:
    return f"<!-- grantbot:answered {key} -->"


def answered_keys(text: str) -> frozenset[str]:
    """The requests answered on the page (the bot's answer lines carry their keys)."""
    block = find_block(text)
    inner = block.inner(text) if block is not None else ""
    return frozenset(_ANSWERED.findall(inner))


def answer_lines(text: str) -> list[str]:
    """The answer lines already in the page's bot block, oldest first."""
    block = find_block(text)
    inner = block.inner(text) if block is not None else ""
    return [line for line in inner.split("\n") if _ANSWERED.search(line)]


def remove_at(text: str, base: str, indices: Iterable[int]) -> str:
    """``text`` without the lines at ``indices`` of ``base``, found in ``text``
    through a diff (``text`` may be a later revision); every other line,
    including an identical copy elsewhere, is kept byte for byte.  A line
    somebody changed since ``base`` is kept too."""
    wanted = set(indices)
    old, new = base.split("\n"), text.split("\n")
    drop: set[int] = set()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            if block.a + k in wanted:
                drop.add(block.b + k)
    return "\n".join(line for j, line in enumerate(new) if j not in drop)
