"""Rewriting only the bot's own block of a page.

People are welcome to write above and below the bot's table (notes, links,
discussion).  The bot therefore never owns a whole page: it owns the text
between ``<!-- grantbot:start -->`` and ``<!-- grantbot:end -->`` and keeps
everything else byte for byte.  Applying a block to *any* revision of the
page is a pure function, which is what makes edit conflicts cheap to
resolve: re-read, re-apply, save again.
"""

from __future__ import annotations

import difflib

from parsers.markers import BLOCK_END, BLOCK_START, find_block, mask_volatile


def apply_block(page_text: str, block: str) -> str:
    """``page_text`` with the bot's block replaced by ``block`` (markers appended if missing)."""
    inner = "\n" + block.strip("\n") + "\n"
    span = find_block(page_text)
    if span is not None:
        return page_text[: span.inner_start] + inner + page_text[span.inner_end :]
    if not page_text:
        return BLOCK_START + inner + BLOCK_END
    separator = "" if page_text.endswith("\n") else "\n"
    return page_text + separator + BLOCK_START + inner + BLOCK_END


def current_block(page_text: str) -> str | None:
    """The block's content as last written (stripped of surrounding newlines)."""
    span = find_block(page_text)
    return None if span is None else span.inner(page_text).strip("\n")


def outside_block(page_text: str) -> tuple[str, str]:
    """The text before and after the block: what belongs to people."""
    span = find_block(page_text)
    if span is None:
        return page_text, ""
    return page_text[: span.start], page_text[span.end :]


def block_changed(page_text: str, block: str) -> bool:
    """Whether writing ``block`` would change anything beyond its volatile parts."""
    old = current_block(page_text)
    if old is None:
        return True
    return mask_volatile(old) != mask_volatile(block.strip("\n"))


def unified_diff(old: str, new: str, title: str) -> str:
    """The diff ``--simulate`` prints."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{title} (current)",
        tofile=f"{title} (proposed)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
