"""Physical lines of a talk page, with list prefixes, headings and masking.

Why masking: signatures, headings and list markers inside ``<!-- -->``,
``<nowiki>``, ``<pre>``, ``<ref>``, quotations and ``mw-notalk`` blocks are not
part of the discussion (DiscussionTools ignores them too).  Instead of
removing them, which would shift every offset, :func:`mask_text` blanks them
out with spaces (newlines kept), so every later stage can work on the masked
copy and still report offsets into the original text.
"""

from __future__ import annotations

import re

from parsers.model import Line, LineKind

# Tags whose content never holds discussion structure.
_MASKED_TAGS = ("nowiki", "pre", "ref", "syntaxhighlight", "source", "math", "blockquote", "q",
                "score", "graph", "templatedata", "gallery")
_OPEN_TAG = re.compile(
    r"<!--|<(" + "|".join(_MASKED_TAGS) + r")\b([^<>]*?)(/?)>"
    r"|<(div|span|p|td|table)\b[^<>]*\bclass\s*=\s*[\"']?[^\"'<>]*\bmw-notalk\b[^<>]*>",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^(={1,6})(.+?)(={1,6})[ \t]*$")
_LIST_PREFIX = re.compile(r"^[*#:;]+")
_OTHER_START = re.compile(r"^\s*(?:\{\||\|\}|\||!|__[A-Z]+__\s*$|\[\[\s*(?:Category|File|Image)\s*:)",
                          re.IGNORECASE)
_TEMPLATE_ONLY = re.compile(r"^\s*(?:\{\{[^{}]*\}\}\s*)+$")
_BOLD_LINE = re.compile(r"^\s*'''(?!')(.+?)(?<!')'''\s*:?\s*$")
_BOLD_LABEL = re.compile(r"^\s*'''(?!')([^'\n]{1,80}?)(?:\s*:\s*'''|'''\s*[:.\-–—])\s*\S")
_SIMPLE_TAGS = re.compile(r"</?(?:b|strong|u|big|span|font)\b[^<>]*>", re.IGNORECASE)


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _close_of(lower: str, tag: str, pos: int) -> int:
    """End of the element opened just before ``pos`` (-1 when never closed), counting nesting."""
    depth = 1
    opener = re.compile(r"<" + tag + r"\b[^<>]*?(?<!/)>|</" + tag + r"\s*>")
    for m in opener.finditer(lower, pos):
        depth += -1 if m.group(0).startswith("</") else 1
        if depth == 0:
            return m.end()
    return -1


def mask_text(text: str) -> str:
    """The text with non-discussion regions replaced by spaces (same length, newlines kept)."""
    lower = text.lower()
    if "<" not in lower:
        return text
    chars: list[str] | None = None
    pos = 0
    while True:
        m = _OPEN_TAG.search(lower, pos)
        if m is None:
            break
        if m.group(0) == "<!--":
            end = lower.find("-->", m.end())
            end = len(text) if end < 0 else end + 3  # an unclosed comment hides the rest
        elif m.group(1):
            tag = m.group(1).lower()
            if m.group(3):  # self-closing, e.g. <ref name="x" />
                pos = m.end()
                continue
            if tag in ("div", "span"):
                end = _close_of(lower, tag, m.end())
            else:
                close = re.compile(r"</" + tag + r"\s*>").search(lower, m.end())
                end = close.end() if close else -1
            if end < 0:
                pos = m.end()
                continue
        else:
            end = _close_of(lower, m.group(4).lower(), m.end())
            if end < 0:
                end = len(text)
        if chars is None:
            chars = list(text)
        _blank(chars, m.start(), end)
        pos = max(end, m.end())
    return text if chars is None else "".join(chars)


def _kind(masked_line: str) -> tuple[LineKind, str]:
    if not masked_line.strip():
        return LineKind.BLANK, ""
    if masked_line.startswith("=") and _HEADING.match(masked_line.rstrip()):
        return LineKind.HEADING, ""
    prefix_match = _LIST_PREFIX.match(masked_line)
    if prefix_match:
        return LineKind.LIST, prefix_match.group(0)
    if _OTHER_START.match(masked_line) or _TEMPLATE_ONLY.match(masked_line):
        return LineKind.OTHER, ""
    return LineKind.TEXT, ""


def parse_lines(text: str, masked: str | None = None) -> tuple[Line, ...]:
    """Split ``text`` into :class:`Line` objects (kinds decided on the masked text)."""
    if masked is None:
        masked = mask_text(text)
    lines: list[Line] = []
    start = 0
    number = 0
    length = len(text)
    while start <= length:
        end = text.find("\n", start)
        if end < 0:
            end = length
        kind, prefix = _kind(masked[start:end])
        lines.append(Line(number=number, start=start, end=end, kind=kind, prefix=prefix,
                          content=text[start + len(prefix):end]))
        number += 1
        start = end + 1
    if lines and length and text.endswith("\n"):
        lines.pop()  # the empty "line" after a final newline is not a line
    if not text:
        return ()
    return tuple(lines)


def heading_parts(line_text: str) -> tuple[int, str] | None:
    """(level, raw title) for a heading line, as MediaWiki balances the ``=`` signs."""
    m = _HEADING.match(line_text.rstrip())
    if m is None:
        return None
    opening, body, closing = m.group(1), m.group(2), m.group(3)
    level = min(len(opening), len(closing))
    title = "=" * (len(opening) - level) + body + "=" * (len(closing) - level)
    title = title.strip()
    if not title:
        return None
    return level, title


def pseudo_heading(line: Line) -> str | None:
    """The label of a bold pseudo-heading line, else None.

    Reviewers often structure a long comment with ``'''Goals'''`` lines,
    ``;Goals`` definition terms or a bold label opening a paragraph
    (``'''Budget:''' please explain...``); the item extractor treats them as
    sub-sections.
    """
    content = line.content
    if line.prefix.startswith(";"):
        label = content.split(":", 1)[0] if line.prefix == ";" else content
        label = _clean_label(label)
        return label or None
    if line.prefix:
        return None
    m = _BOLD_LINE.match(_SIMPLE_TAGS.sub("", content))
    if m is None:
        m = _BOLD_LABEL.match(_SIMPLE_TAGS.sub("", content))
    if m is None:
        return None
    label = _clean_label(m.group(1))
    return label if label and len(label) <= 120 else None


def _clean_label(label: str) -> str:
    label = _SIMPLE_TAGS.sub("", label)
    label = re.sub(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]", r"\1", label)
    label = label.replace("'''", "").replace("''", "")
    return label.strip().rstrip(":").strip()
