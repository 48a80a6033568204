"""Rewriting only the bot's own block of a page.

People are welcome to write above and below the bot's table (notes, links,
discussion).  The bot therefore never owns a whole page: it owns the text
between ``<!-- grantbot:start -->`` and ``<!-- grantbot:end -->`` and keeps
everything else byte for byte.  Applying a block to *any* revision of the
page is a pure function, which is what makes edit conflicts cheap to
resolve: re-read, re-apply, save again.

People also write *inside* the block, and break it.  :func:`place_block`
compares what is in the bot's region(s) with the block the bot last saved
there (``previous``): a line a person added, or a bot line they rewrote
into something else, is theirs and is kept, moved just after the block; a
bot line they only altered (a number changed) is the bot's and is rewritten
from the data.  Damaged markers (a start without an end, an end before its
start) and extra blocks are folded into one block, once: their bot lines
dropped, their people's lines kept the same way.  Markers count only where
MediaWiki sees them (:func:`parsers.markers.block_markers`).

The JSON copy has no block: the bot owns the whole page, as JSON
(:func:`json_refusal`, :func:`same_json`).
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from parsers.markers import BLOCK_END, BLOCK_START, BlockMarker, block_markers, find_block, mask_volatile
from publishing.statuspage import mask_json

JSON_MODEL = "json"  # the content model of the JSON copy, always
SIMILAR = 0.6  # a rewritten bot line at least this similar to the original is an altered bot line


@dataclass(frozen=True)
class Placement:
    """The page with the new block, and what happened to people's text on the way."""

    text: str
    moved: int = 0  # lines a person wrote inside the bot's region(s), now just after the block
    restored: int = 0  # bot lines a person altered or removed, rewritten from the data
    repaired: int = 0  # damaged or extra markers folded into the one block

    def note(self) -> str:
        """Words for the edit summary (empty when nothing but the data changed)."""
        parts = []
        if self.moved:
            parts.append(f"moved {self.moved} line(s) a person wrote inside the bot's block to just below it")
        if self.restored:
            parts.append(f"restored {self.restored} line(s) of the bot's table changed by hand")
        if self.repaired:
            parts.append(f"repaired {self.repaired} damaged or duplicated block marker(s)")
        return "; ".join(parts)

    def summarised(self, summary: str) -> str:
        """The edit summary, saying what happened to people's text in the block."""
        note = self.note()
        return f"{summary}; {note}" if note else summary


@dataclass(frozen=True)
class _Region:
    start: int
    end: int
    inner_start: int
    inner_end: int
    markers: int  # how many markers the region holds
    sound: bool = False  # a well-formed block (start, then end)


def apply_block(page_text: str, block: str) -> str:
    """``page_text`` with the bot's block replaced by ``block``, the current
    block taken as the bot's own (the page's last revision is the bot's)."""
    return place_block(page_text, block).text


def place_block(page_text: str, block: str, previous: str | None = None) -> Placement:
    """Put ``block`` in the bot's place on ``page_text``.

    ``previous``: the block as the bot last saved it on this page ("" when
    the bot never did); None when the page's current block is that."""
    inner = "\n" + block.strip("\n") + "\n"
    regions = _regions(page_text, block_markers(page_text))
    if not regions:
        if not page_text:
            return Placement(BLOCK_START + inner + BLOCK_END)
        separator = "" if page_text.endswith("\n") else "\n"
        return Placement(page_text + separator + BLOCK_START + inner + BLOCK_END)
    if previous is None:
        span = find_block(page_text)
        previous = span.inner(page_text) if span is not None else ""
    bot, new = _lines(previous), {_key(line) for line in block.splitlines()}
    # The block stays where the first well-formed one is (else the first region).
    main = next((r for r in regions if r.sound), regions[0])
    kept: list[str] = []
    restored = 0
    for region in regions:
        altered, theirs = _sort(bot, page_text[region.inner_start : region.inner_end].splitlines(), new)
        restored += altered if region is main and region.sound else 0
        kept += theirs
    out, position = [], 0
    for region in regions:
        out.append(page_text[position : region.start])
        if region is main:
            out += [BLOCK_START, inner, BLOCK_END, "".join("\n" + line for line in kept)]
            if kept and not page_text.startswith("\n", region.end):
                out.append("\n")
            position = region.end
        else:
            position = _skip_newline(page_text, region)
    out.append(page_text[position:])
    repaired = sum(r.markers for r in regions) - (2 if main.sound else 0)
    return Placement("".join(out), len(kept), restored, repaired)


def _regions(text: str, markers: tuple[BlockMarker, ...]) -> list[_Region]:
    """The bot's regions: well-formed blocks, swapped pairs (end then start),
    an orphan start (up to the next marker or the end of the page) and an
    orphan end (the marker alone)."""
    out, i = [], 0
    while i < len(markers):
        here, nxt = markers[i], markers[i + 1] if i + 1 < len(markers) else None
        after = markers[i + 2] if i + 2 < len(markers) else None
        paired = nxt is not None and (
            (here.is_start and not nxt.is_start)
            or (not here.is_start and nxt.is_start and (after is None or after.is_start)))
        if paired and nxt is not None:
            out.append(_Region(here.start, nxt.end, here.end, nxt.start, 2, here.is_start))
            i += 2
            continue
        end = (nxt.start if nxt else len(text)) if here.is_start else here.end
        out.append(_Region(here.start, end, here.end if here.is_start else end, end, 1))
        i += 1
    return out


def _sort(bot: list[str], lines: list[str], new: set[str]) -> tuple[int, list[str]]:
    """(bot lines altered or removed, people's lines) of one region's ``lines``
    against the bot's previous block ``bot`` (keys) and the new block's keys.
    Blank lines are nobody's: they neither align nor count."""
    lines = [line for line in lines if _key(line).strip()]
    keys = [_key(line) for line in lines]
    restored, theirs = 0, []
    matcher = difflib.SequenceMatcher(None, bot, keys, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        restored += max(0, (a2 - a1) - (b2 - b1))  # bot lines removed
        for offset, index in enumerate(range(b1, b2)):
            if keys[index] in new:
                continue
            if offset < a2 - a1 and difflib.SequenceMatcher(None, bot[a1 + offset], keys[index]).ratio() >= SIMILAR:
                restored += 1  # an altered bot line: the data decides it
                continue
            theirs.append(lines[index])
    return restored, theirs


def _skip_newline(text: str, region: _Region) -> int:
    """Past ``region``, and past the line break after it when it stood on lines of its own."""
    if text.startswith("\n", region.end) and (region.start == 0 or text[region.start - 1] == "\n"):
        return region.end + 1
    return region.end


def _lines(block: str) -> list[str]:
    return [key for key in map(_key, block.splitlines()) if key.strip()]


def _key(line: str) -> str:
    return mask_volatile(line).rstrip()


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
    """Whether writing ``block`` would change anything beyond its volatile parts
    (a damaged or duplicated block always needs writing)."""
    if len(block_markers(page_text)) != 2:
        return True
    old = current_block(page_text)
    if old is None:
        return True
    return mask_volatile(old) != mask_volatile(block.strip("\n"))


def block_fingerprint(block: str) -> str:
    """What the bot wrote, volatile parts masked: compared with a page's block
    it tells whether that block is still the bot's own, without its history."""
    return hashlib.sha256(mask_volatile(block.strip("\n")).encode("utf-8")).hexdigest()


def json_refusal(content_model: str | None, text: str) -> str | None:
    """Why the JSON copy may not replace an existing page of another content
    model: unless it holds JSON (an earlier copy saved as wikitext, which the
    bot converts), its text is a person's, not the bot's to replace."""
    if content_model == JSON_MODEL:
        return None
    try:
        json.loads(text)
    except ValueError:
        return (f"the page holds text that is not JSON (content model {content_model}): the bot "
                "does not replace a person's text; delete the page or move it away")
    return None


def same_json(old_text: str, data: Any) -> bool:
    """Whether the page's JSON already says ``data``, volatile keys masked."""
    try:
        old = json.loads(old_text)
    except ValueError:
        return False
    return bool(mask_json(old) == mask_json(json.loads(json.dumps(data))))


def unified_diff(old: str, new: str, title: str) -> str:
    """The diff ``--simulate`` prints."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{title} (current)",
        tofile=f"{title} (proposed)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
