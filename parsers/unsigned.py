"""Whose is the text nobody signed?  Attribution by context, with the reason.

Why: a reviewer's questions are often cut before the signature (an excerpt,
a forgotten ``~~~~``), and grantees often answer under the questions without
signing.  A program officer still knows who wrote what: an indented reply
under the reviewer's comment is the grantee's; text that greets the grantee,
sits under "Comments from WMF" or "Committee feedback", or says "I reviewed
your report" is the reviewer's.  Each run of unsigned lines gets one verdict
and a reason that says it was attributed, not signed.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from parsers.model import Comment, LineKind, TalkPage
from parsers.sides import (
    GRANTEE,
    OTHER,
    REVIEWER,
    SideFinder,
    first_line,
    greeted,
    greeted_by_link,
    asks_anything,
    asks_like_reviewer,
    heading_side,
    self_identifies_reviewer,
    thanks_for_review,
)
from parsers.text import strip_markup


@dataclass(frozen=True)
class Voice:
    side: str
    author: str | None
    reason: str
    key: int  # groups the run's lines like a comment index (negative: never a real comment)


def _reply_depths(page: TalkPage, owner: dict[int, Comment | None]) -> dict[int | None, set[int]]:
    """Per heading line, the depths at which signed replies sit right under someone's unsigned bullet.

    A list answered bullet by bullet ("* question" then "** answer ~~~~")
    shows its own pattern: an unsigned line at such a depth under the same
    kind of bullet is one more answer (cut before its signature), not the
    question's continuation."""
    depths: dict[int | None, set[int]] = {}
    heading_of: int | None = None
    above = None
    for line in page.lines:
        if line.kind is LineKind.HEADING:
            heading_of, above = line.number, None
            continue
        if line.kind is LineKind.BLANK or line.kind is LineKind.OTHER:
            continue
        if above is not None and owner.get(above.number) is None and owner.get(line.number) is not None \
                and line.depth > above.depth and line.prefix.startswith(above.prefix) and above.prefix:
            depths.setdefault(heading_of, set()).add(line.depth)
        above = line
    return depths


def _answers_above(page: TalkPage, above: int, line: int) -> bool:
    """The deeper line reads as an answer to the bullet above: that bullet asks, the line does not."""
    def text(n: int) -> str:
        return strip_markup(page.text[page.lines[n].start + len(page.lines[n].prefix):page.lines[n].end])
    return asks_anything(text(above)) and not asks_anything(text(line))


def _runs(page: TalkPage, owner: dict[int, Comment | None]) -> list[list[int]]:
    """Maximal runs of unowned, non-blank lines under one heading, split where a reply starts."""
    runs: list[list[int]] = []
    heading_of: int | None = None
    replies_at = _reply_depths(page, owner)
    for line in page.lines:
        if line.kind is LineKind.HEADING:
            heading_of = line.number
            runs.append([])
            continue
        if line.kind is LineKind.BLANK or line.kind is LineKind.OTHER:
            continue
        if owner.get(line.number) is not None:
            runs.append([])
            continue
        above = page.lines[runs[-1][-1]] if runs and runs[-1] else None
        starts_reply = above is not None and (
            (line.prefix.startswith(":") and not above.prefix.startswith(":"))
            or (line.depth > above.depth and line.depth in replies_at.get(heading_of, ())
                and line.prefix.startswith(above.prefix) and bool(above.prefix)
                and _answers_above(page, above.number, line.number)))
        if not runs or starts_reply or (runs[-1] and runs[-1][-1] < (heading_of or -1)):
            runs.append([])  # an indented reply under unsigned text is another writer's turn
        runs[-1].append(line.number)
    return [r for r in runs if r]


def _previous_voice(page: TalkPage, owner: dict[int, Comment | None], first: int,
                    found: dict[int, Voice]) -> tuple[str | None, str | None, int | None]:
    """(side, author, depth) of the nearest written text above ``first`` in the same section."""
    for n in range(first - 1, -1, -1):
        line = page.lines[n]
        if line.kind is LineKind.HEADING:
            return None, None, None
        c = owner.get(n)
        if c is not None:
            return "comment", c.author, line.depth
        if n in found:
            return found[n].side, found[n].author, line.depth
    return None, None, None


def attribute_unsigned(page: TalkPage, owner: dict[int, Comment | None], finder: SideFinder,
                       masked: str) -> dict[int, Voice]:
    """Line number -> the voice of each unsigned line."""
    found: dict[int, Voice] = {}
    reviewer_author: dict[int | None, tuple[str, str] | None] = {}  # heading -> (author, why)
    heading_lines = [h.line for h in page.headings]
    by_start = sorted(finder.comments, key=lambda c: c.last_line)
    last_lines = [c.last_line for c in by_start]
    next_owned = _next_owned(page, owner)
    signers = _reviewers_by_heading(finder, heading_lines)
    for k, run in enumerate(_runs(page, owner)):
        first = page.lines[run[0]]
        heading = _heading_of(heading_lines, run[0])
        section = tuple(strip_markup(t) for t in page.section_path(heading))
        text = "\n".join(masked[page.lines[n].start + len(page.lines[n].prefix):page.lines[n].end] for n in run)
        kind, prev_author, prev_depth = _previous_voice(page, owner, run[0], found)
        prev_side = finder.side_of(prev_author).side if kind == "comment" and finder.side_of(prev_author) else kind
        side, reason = _decide(first.depth, text, section, prev_side, prev_author, prev_depth, finder)
        author = None
        if side == REVIEWER:
            after = bisect.bisect_right(last_lines, run[-1])
            reply = by_start[after] if after < len(by_start) else None
            named = reviewer_author.get(heading) or _named_by_reply(page, run[-1], reply, finder) \
                or _signed_below(page, owner, run[-1], heading, finder, next_owned) \
                or _sole_reviewer(signers.get(heading, set()))
            reviewer_author[heading] = named
            author, why = named or (None, "")
            reason += why
        for n in run:
            found[n] = Voice(side=side, author=author, reason=reason, key=-1 - k)
    return found


def _reviewers_by_heading(finder: SideFinder, heading_lines: list[int]) -> dict[int | None, set[str]]:
    """Per heading, the reviewer-side people who sign comments right under it."""
    out: dict[int | None, set[str]] = {}
    for c in finder.comments:
        side = finder.side_of(c.author) if c.author else None
        if side is not None and side.side == REVIEWER:
            out.setdefault(_heading_of(heading_lines, c.first_line), set()).add(c.author)  # type: ignore[arg-type]
    return out


def _sole_reviewer(signers: set[str]) -> tuple[str, str] | None:
    """The section's one reviewer: a conversation between a grantee and one reviewer
    whose last word was cut before its signature is still that reviewer's."""
    if len(signers) != 1:
        return None
    (name,) = signers
    return name, f"; written by {name}, the one reviewer who signs in this section"


def _heading_of(heading_lines: list[int], line: int) -> int | None:
    """Index of the heading a line sits under (headings are indexed in page order)."""
    k = bisect.bisect_left(heading_lines, line) - 1
    return k if k >= 0 else None


def _decide(depth: int, text: str, section: tuple[str, ...], prev_side: str | None, prev_author: str | None,
            prev_depth: int | None, finder: SideFinder) -> tuple[str, str]:
    names, team = greeted(first_line(text), finder.names)
    sides = {finder.side_of(n).side for n in names if finder.side_of(n)}  # type: ignore[union-attr]
    if REVIEWER in sides and GRANTEE not in sides:
        return GRANTEE, "unsigned; attributed to the grantee side because it greets the reviewer"
    if GRANTEE in sides or (team and not sides):
        if heading_side(section) == REVIEWER:
            return REVIEWER, (f"unsigned; attributed to the reviewer side because it sits under "
                              f"'{' › '.join(section)}' and greets the grantee")
        return REVIEWER, "unsigned; attributed to the reviewer side because it greets the grantee"
    if thanks_for_review(text):
        return GRANTEE, "unsigned; attributed to the grantee side because it thanks the reviewers for their review"
    if depth > 0 and prev_side == REVIEWER and (prev_depth is None or depth > prev_depth):
        return GRANTEE, f"unsigned; attributed to the grantee side: an indented reply to {prev_author or 'the reviewer'}"
    by_heading = heading_side(section)
    if by_heading == REVIEWER and (asks_like_reviewer(text) or not asks_anything(text)):
        return REVIEWER, f"unsigned; attributed to the reviewer side because it sits under '{' › '.join(section)}'"
    if self_identifies_reviewer(text):
        return REVIEWER, "unsigned; attributed to the reviewer side because it speaks as the reviewer"
    if by_heading == GRANTEE:
        return GRANTEE, f"unsigned; attributed to the grantee side because it sits under '{' › '.join(section)}'"
    if prev_side == REVIEWER:
        return GRANTEE, f"unsigned; attributed to the grantee side: the next turn after {prev_author or 'the reviewer'}"
    if prev_side is None and depth == 0 and by_heading != GRANTEE and asks_like_reviewer(text):
        return REVIEWER, "unsigned; attributed to the reviewer side: it opens the thread asking the grantee things"
    if prev_side == GRANTEE and depth == 0:
        return REVIEWER, "unsigned; attributed to the reviewer side: the next turn after the grantee"
    return OTHER, "unsigned, and nothing around it shows whose it is"


def _next_owned(page: TalkPage, owner: dict[int, Comment | None]) -> list[int | None]:
    """For each line, the first line at or after it that a signed comment owns (one backward pass)."""
    out: list[int | None] = [None] * (len(page.lines) + 1)
    for n in range(len(page.lines) - 1, -1, -1):
        out[n] = n if owner.get(n) is not None else out[n + 1]
    return out


def _signed_below(page: TalkPage, owner: dict[int, Comment | None], last: int, heading: int | None,
                  finder: SideFinder, next_owned: list[int | None]) -> tuple[str, str] | None:
    """The reviewer who signs the end of the section this text opens: a review split by
    sub-headings ("=== Budget ===", "=== Programme ===") is signed once, under the last one."""
    if heading is None:
        return None
    top = heading
    while page.headings[top].parent is not None:
        top = page.headings[top].parent  # type: ignore[assignment]
    n = next_owned[last + 1]
    if n is None:
        return None
    level = page.headings[top].level
    for h in page.headings[heading + 1:]:
        if h.line > n:
            break
        if h.level <= level:
            return None  # the section ended before anyone signed
    c = owner[n]
    side = finder.side_of(c.author) if c is not None else None
    if c is None or c.author is None or side is None or side.side != REVIEWER:
        return None
    return c.author, f"; written by {c.author}, who signs the end of the section"


def _named_by_reply(page: TalkPage, last: int, reply: Comment | None,
                    finder: SideFinder) -> tuple[str, str] | None:
    """The reviewer a grantee's reply right below the run greets or pings by name."""
    side = finder.side_of(reply.author) if reply is not None else None
    if reply is None or side is None or side.side != GRANTEE:
        return None
    first = max(reply.first_line, last + 1)
    if first >= len(page.lines):
        return None
    line = page.text[page.lines[first].start:reply.end].strip().lstrip(":*# ").split("\n", 1)[0]
    names, _ = greeted(line, finder.names)
    names = [n for n in names if n != reply.author]
    if not names:  # a reviewer who has not signed on the page, greeted by a link to their user page
        names = [n for n in greeted_by_link(line) if n != reply.author and _reviewer(finder, n)]
    if len(names) != 1:
        return None
    return names[0], f"; written by {names[0]}, whom {reply.author} greets in a reply"


def _reviewer(finder: SideFinder, account: str) -> bool:
    side = finder.side_of(account)
    return side.side == REVIEWER if side is not None else finder.roles.is_reviewer(account)
