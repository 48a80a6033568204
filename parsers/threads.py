"""The thread structure of a talk page: headings, signed comments, reply tree.

Why line based: a talk page is a sequence of paragraphs and list items, and
every rule that matters (DiscussionTools' rules: a comment runs from the end
of the previous one to its signature; its level is 1 + the indentation of its
first and last lines, whichever is smaller; it replies to the nearest earlier
comment with a smaller level) can be applied to lines in one linear pass,
well inside the speed budget for 500 KB pages.
"""

from __future__ import annotations

import re

from parsers.lines import heading_parts, mask_text, parse_lines
from parsers.model import Comment, Heading, Line, LineKind, Signature, TalkPage
from parsers.signatures import find_signatures
from parsers.timestamps import language_data, zone


def _headings(lines: tuple[Line, ...], masked: str) -> list[Heading]:
    headings: list[Heading] = []
    open_levels: list[Heading] = []  # the enclosing headings, outermost first
    for line in lines:
        if line.kind is not LineKind.HEADING:
            continue
        parts = heading_parts(masked[line.start:line.end])
        if parts is None:
            continue
        level, _ = parts
        raw = heading_parts(line.content.rstrip())
        title = raw[1] if raw and raw[0] == level else parts[1]
        while open_levels and open_levels[-1].level >= level:
            open_levels.pop()
        parent = open_levels[-1].index if open_levels else None
        heading = Heading(index=len(headings), level=level, title=title, parent=parent,
                          line=line.number, start=line.start)
        headings.append(heading)
        open_levels.append(heading)
    return headings


# A line opening with a template ({{outdent}}...) or a block tag starts a new block.
_BLOCK_START = re.compile(r"\s*(?:\{\{|<(?:div|p|table|blockquote|center|hr|br|ul|ol|dl|h[1-6])\b)", re.IGNORECASE)


# An image shown inline (no thumb, frame or float) followed by text: the line is a paragraph.
_INLINE_IMAGE = re.compile(r"\s*\[\[\s*(?:File|Image)\s*:(?![^\]]*\|\s*(?:thumb|thumbnail|frame|framed|frameless|"
                           r"left|right|center|none)\s*[|\]])[^\[\]]*\]\]\s*\S", re.IGNORECASE)


def _same_paragraph(lines: tuple[Line, ...], first: int, second: int) -> bool:
    """Whether two lines belong to one plain paragraph (unindented text lines with nothing between)."""
    opening = lines[first].kind is LineKind.TEXT or (
        lines[first].kind is LineKind.OTHER and bool(_INLINE_IMAGE.match(lines[first].content)))
    return opening and all(
        lines[n].kind is LineKind.TEXT and not _BLOCK_START.match(lines[n].content)
        for n in range(first + 1, second + 1))


def _group_signatures(signatures: tuple[Signature, ...], lines: tuple[Line, ...]) -> list[list[Signature]]:
    """Signatures on one line make one comment (a signature amended in place, a quote).

    So do one person's signatures in one plain paragraph ("... 17:14" then on
    the next line "PS: ... 17:17"): the wiki renders one paragraph, and
    DiscussionTools makes it one comment, dated by its first signature.
    Another person's signature there stays a comment of its own.
    """
    groups: list[list[Signature]] = []
    for sig in signatures:
        last = groups[-1][-1] if groups else None
        if last is not None and (last.line == sig.line or (
                last.user == sig.user and _same_paragraph(lines, last.line, sig.line))):
            groups[-1].append(sig)
        else:
            groups.append([sig])
    return groups


# Lines that show nothing a comment can start with (DiscussionTools skips them when it
# looks for the first node of a comment): rules ("----", <hr>, <br>), bare closing or empty
# tags, and templates that only clear floats or outdent.
_SEPARATOR = re.compile(r"^\s*(?:(?:-{4,}(?!-)|</?[a-z][^<>]*>"
                        r"|\{\{\s*(?:clear|clr|-|outdent|od|break|sfn\s*whitespace)\s*(?:\|[^{}]*)?\}\})\s*)*$",
                        re.IGNORECASE)


def _shows_nothing(line: Line, masked: str) -> bool:
    """A line that cannot be where a comment starts: blank, a separator, or a lone ";" term.

    A ``;term`` alone is a fake heading (DiscussionTools treats it as a
    separator, T265964); the comment starts on the list below it.
    """
    if line.kind is LineKind.BLANK:
        return True
    if line.prefix == ";" and ":" not in line.content:
        return True
    return not line.prefix and bool(_SEPARATOR.match(masked[line.start:line.end]))


def _first_line(lines: tuple[Line, ...], begin: int, last: int, masked: str) -> int:
    """The first line of a comment: skip what shows nothing after the previous comment."""
    for n in range(begin, last + 1):
        if not _shows_nothing(lines[n], masked):
            return n
    return last


def parse_talk_page(text: str, lang: str = "en", tz: str = "UTC", *,
                    extra_user_namespaces: tuple[str, ...] = (), undated: bool = True) -> TalkPage:
    """Headings and comments of ``text`` (raises ValueError only for an unknown lang or tz)."""
    language_data(lang)
    zone(tz)
    if not text:
        return TalkPage(text=text, lines=(), headings=(), comments=())
    masked = mask_text(text)
    lines = parse_lines(text, masked)
    headings = _headings(lines, masked)
    heading_at = {h.line: h for h in headings}
    signatures = find_signatures(text, lines, lang, tz, masked=masked, undated=undated,
                                 extra_user_namespaces=extra_user_namespaces)

    comments: list[Comment] = []
    stack: list[Comment] = []  # open comments, by increasing level
    current_heading: Heading | None = None
    next_line = 0  # first line not yet claimed by a comment or heading
    heading_lines = sorted(heading_at)
    h_pos = 0
    for group in _group_signatures(signatures, lines):
        sig_line = group[0].line
        while h_pos < len(heading_lines) and heading_lines[h_pos] < sig_line:
            current_heading = heading_at[heading_lines[h_pos]]
            next_line = max(next_line, current_heading.line + 1)
            stack = []
            h_pos += 1
        first = _first_line(lines, next_line, sig_line, masked)
        level = 1 + min(lines[first].depth, lines[sig_line].depth)
        end_line = group[-1].line
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1].index if stack else None
        lead = group[0]
        dated = next((s for s in group if s.timestamp is not None), None)
        comment = Comment(
            index=len(comments), author=lead.user, timestamp=dated.timestamp if dated else None,
            level=level, parent=parent, heading=current_heading.index if current_heading else None,
            start=lines[first].start, end=max(lines[end_line].end, group[-1].end), first_line=first,
            last_line=end_line, signatures=tuple(group),
        )
        comments.append(comment)
        stack.append(comment)
        next_line = end_line + 1
    return TalkPage(text=text, lines=lines, headings=tuple(headings), comments=tuple(comments))
