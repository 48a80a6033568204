"""Reading the on-wiki run-request page (``User:<bot>/Run``).

People ask for a refresh of one grant by adding a line naming it.  Only
lines added by allowed users are honoured, so the bot needs to know which
revision added which line: :func:`added_lines` answers that from two
revisions' texts, without trusting the page's current state alone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

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


def parse_requests(text: str) -> tuple[RunRequest, ...]:
    found = (parse_request_line(line) for line in text.splitlines())
    return tuple(r for r in found if r is not None)


def added_lines(old: str, new: str) -> tuple[str, ...]:
    """Lines present in ``new`` that a diff from ``old`` shows as inserted."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    out: list[str] = []
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("insert", "replace"):
            out.extend(new_lines[j1:j2])
    return tuple(out)


def remove_lines(text: str, lines: set[str]) -> str:
    """``text`` without the given lines (each removed once per occurrence)."""
    kept = [line for line in text.split("\n") if line not in lines]
    return "\n".join(kept)
