"""Who added each line of a page: a blame over its revisions, extended one revision at a time.

Why line copies and not a diff per question: the questions come later
("who first wrote this signature?", "who wrote this unsigned line?",
"did the bot write this marker?") and must be answered for any fragment of
the current text, after any number of unrelated edits and moves.  So the
blame keeps, for every distinct line the page ever held, one entry per
copy with two origins:

* ``exact``: the revision in which this exact copy first appeared.  A
  signature (or a marker) is checked against it: retyping, back-dating or
  copying a signature creates a new exact line, added by whoever did it.
* ``carried``: the revision whose editor wrote the line, following later
  small edits of it (a typo fix, an ``{{unsigned}}`` added by someone
  else): a new line similar to a line removed in the same revision inherits
  that line's author.  Unsigned text is attributed with it.

Moving text keeps both origins (the line is not new); reverting a removal
restores the old copies.  Each revision costs one pass over its lines plus
a bounded number of similarity checks, so a page's history is processed in
roughly linear time and never needs to be read twice: the blame is stored
(:func:`to_json`) and extended with newer revisions only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

SIMILAR = 0.6  # a changed line at least this similar to a removed one keeps its author
MIN_SIMILAR_LENGTH = 12  # shorter lines ("}}", "----") are never matched by similarity
MAX_PAIRS = 5000  # similarity checks per revision (a page rewrite is then just new text)


@dataclass(frozen=True)
class Revision:
    """One revision as the wiki returned it (``user`` is None when hidden)."""

    revid: int
    user: str | None
    timestamp: datetime
    text: str


@dataclass(frozen=True)
class Editor:
    revid: int
    user: str | None
    timestamp: datetime


@dataclass(frozen=True)
class Copy:
    exact: int  # index into Blame.editors
    carried: int  # index into Blame.editors


@dataclass(frozen=True)
class Blame:
    editors: tuple[Editor, ...]  # every revision processed, oldest first
    lines: Mapping[str, tuple[Copy, ...]]  # stripped line -> its copies, oldest first
    last: tuple[str, ...]  # the stripped lines of the newest revision processed

    @property
    def revid(self) -> int | None:
        return self.editors[-1].revid if self.editors else None


def key(line: str) -> str:
    return line.strip()


def extend(blame: Blame | None, revisions: Iterable[Revision]) -> Blame:
    """``blame`` with ``revisions`` newer than it applied in order (older ones are skipped)."""
    editors = list(blame.editors) if blame else []
    lines = {k: list(v) for k, v in blame.lines.items()} if blame else {}
    last = list(blame.last) if blame else []
    newest = editors[-1].revid if editors else 0
    for rev in sorted(revisions, key=lambda r: r.revid):
        if rev.revid <= newest:
            continue
        editors.append(Editor(rev.revid, rev.user, rev.timestamp))
        current = [k for k in map(key, rev.text.split("\n")) if k]
        _step(lines, Counter(last), current, len(editors) - 1)
        last, newest = current, rev.revid
    return Blame(tuple(editors), {k: tuple(v) for k, v in lines.items()}, tuple(last))


def _step(lines: dict[str, list[Copy]], before: Counter[str], current: list[str], index: int) -> None:
    now = Counter(current)
    removed = [k for k, n in before.items() if n > now.get(k, 0) and len(k) >= MIN_SIMILAR_LENGTH]
    budget = [MAX_PAIRS]
    for line, count in now.items():
        copies = lines.setdefault(line, [])
        while len(copies) < count:  # a copy never seen before: this revision added it
            copies.append(Copy(index, _carried(line, removed, lines, index, budget)))


def _carried(line: str, removed: list[str], lines: Mapping[str, list[Copy]], index: int,
             budget: list[int]) -> int:
    """The author of the removed line this one is an edit of, else this revision."""
    if len(line) < MIN_SIMILAR_LENGTH:
        return index
    best, best_ratio = None, SIMILAR
    for old in removed:
        if budget[0] <= 0:
            break
        budget[0] -= 1
        matcher = SequenceMatcher(None, old, line, autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio:
            best, best_ratio = old, ratio
    return lines[best][0].carried if best is not None else index


def first_added(blame: Blame, fragment: str, count: int = 1) -> tuple[Editor, ...]:
    """The revisions that added the first ``count`` copies of ``fragment`` (within one
    line) to the page, oldest first: who typed it, not who wrote the text around it."""
    origins: list[int] = []
    for line, copies in blame.lines.items():
        if fragment in line:
            origins += [c.exact for c in copies] * line.count(fragment)
    return tuple(blame.editors[i] for i in sorted(origins)[:count])


def written_by(blame: Blame, line: str) -> Editor | None:
    """The editor who wrote ``line`` (its first copy), following later small edits."""
    copies = blame.lines.get(key(line))
    return blame.editors[copies[0].carried] if copies else None


def to_json(blame: Blame) -> dict[str, Any]:
    return {
        "editors": [[e.revid, e.user, e.timestamp.isoformat()] for e in blame.editors],
        "lines": {k: [[c.exact, c.carried] for c in v] for k, v in blame.lines.items()},
        "last": list(blame.last),
    }


def from_json(data: Any) -> Blame | None:
    """The stored blame, or None when it is missing or unreadable (then it is rebuilt)."""
    try:
        editors = tuple(Editor(int(r), u, datetime.fromisoformat(t)) for r, u, t in data["editors"])
        lines = {str(k): tuple(Copy(int(a), int(b)) for a, b in v) for k, v in data["lines"].items()}
        return Blame(editors, lines, tuple(str(x) for x in data["last"]))
    except (KeyError, TypeError, ValueError):
        return None
