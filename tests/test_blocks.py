"""The bot's block: replaced in place, everything else kept byte for byte."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from publishing.blocks import apply_block, block_changed, current_block, outside_block, place_block, unified_diff
from parsers.markers import BLOCK_END, BLOCK_START, block_markers, find_block, mask_volatile, reminder_markers, volatile


def test_markers_appended_when_missing() -> None:
    page = "Notes by a person.\nSecond line"
    out = apply_block(page, "TABLE")
    assert out.startswith(page + "\n")
    assert out.endswith(f"{BLOCK_START}\nTABLE\n{BLOCK_END}")
    assert current_block(out) == "TABLE"


def test_empty_page_gets_only_the_block() -> None:
    assert apply_block("", "x") == f"{BLOCK_START}\nx\n{BLOCK_END}"


def test_replacement_keeps_outside_text_exactly() -> None:
    above = "Intro\r\n with  odd   spacing\t\n\n"
    below = "\n\n== Talk ==\nA person's note ~~~~\n"
    page = f"{above}{BLOCK_START}\nold table\n{BLOCK_END}{below}"
    out = apply_block(page, "new table")
    assert out == f"{above}{BLOCK_START}\nnew table\n{BLOCK_END}{below}"
    assert outside_block(out) == (above, below)


def test_damaged_markers_are_repaired_into_one_block_once() -> None:
    # A start marker without its end, before a well-formed block: one block remains.
    page = f"a {BLOCK_START} b\n{BLOCK_START}\nold\n{BLOCK_END}\nc"
    placed = place_block(page, "new")
    assert placed.text.count(BLOCK_START) == 1 and current_block(placed.text) == "new"
    assert placed.repaired == 1 and placed.text.startswith("a ") and placed.text.endswith("\nc")
    # Only a start marker (the end one was deleted): the old table is the bot's, the rest is kept.
    lone = f"x\n{BLOCK_START}\nold\nA person's line\n"
    out = place_block(lone, "z", previous="old")
    assert out.text == f"x\n{BLOCK_START}\nz\n{BLOCK_END}\nA person's line\n" and out.moved == 1
    assert place_block(out.text, "z").text == out.text  # repaired once, then stable


def test_markers_quoted_as_text_are_not_the_block() -> None:
    for quote in (f"<nowiki>{BLOCK_START}x{BLOCK_END}</nowiki>", f"<pre>{BLOCK_START}x{BLOCK_END}</pre>",
                  f"<!-- old: {BLOCK_START} -->", f"<syntaxhighlight lang=html>{BLOCK_START}x{BLOCK_END}</syntaxhighlight>",
                  f"<SOURCE>{BLOCK_START}x{BLOCK_END}</SOURCE>"):
        page = f"Note: {quote}\n"
        assert find_block(page) is None
        out = apply_block(page, "table")
        assert out.startswith(page) and current_block(out) == "table"
    # An unclosed <nowiki> is literal text itself: the markers after it are real.
    assert find_block(f"<nowiki> {BLOCK_START}\nt\n{BLOCK_END}") is not None


def test_note_inside_the_block_is_moved_below_and_altered_numbers_restored() -> None:
    previous = "{|\n| A || 3\n| B || 5\n|}"
    page = f"Top\n{BLOCK_START}\n{{|\n| A || 0\n| B || 5\nI answered B by mail.\n|}}\n{BLOCK_END}\nEnd"
    placed = place_block(page, "{|\n| A || 4\n| B || 5\n|}", previous)
    assert placed.text == (f"Top\n{BLOCK_START}\n{{|\n| A || 4\n| B || 5\n|}}\n{BLOCK_END}\n"
                           "I answered B by mail.\nEnd")
    assert (placed.moved, placed.restored) == (1, 1) and "moved 1 line" in placed.note()


def test_volatile_parts_do_not_count_as_change() -> None:
    page = apply_block("", f"Updated {volatile('2024-01-01')}\n| 3")
    assert not block_changed(page, f"Updated {volatile('2024-02-02')}\n| 3")
    assert block_changed(page, f"Updated {volatile('2024-02-02')}\n| 4")
    assert block_changed("no block", "anything")
    assert mask_volatile(volatile("a")) == mask_volatile(volatile("b"))


def test_diff_shows_the_change() -> None:
    diff = unified_diff("a\nb\n", "a\nc\n", "P")
    assert "-b" in diff and "+c" in diff and "P (proposed)" in diff


text_st = st.lists(st.sampled_from(list("ab \n<>-!:") + [BLOCK_START, BLOCK_END]), max_size=30).map("".join)


@given(text_st, st.text(alphabet="xyz|\n", max_size=20), st.text(alphabet="xyz|\n", max_size=20))
def test_apply_is_idempotent_and_preserves_outside(page: str, first: str, second: str) -> None:
    once = apply_block(page, first)
    span = find_block(once)
    assert span is not None
    before, after = outside_block(once)
    twice = apply_block(once, second)
    assert outside_block(twice) == (before, after)
    assert current_block(twice) == second.strip("\n")
    assert apply_block(twice, second) == twice
    # Without markers, the page survives as a prefix; with any, one block is left.
    if not block_markers(page):
        assert once.startswith(page)
    assert len(block_markers(once)) == 2


def test_reminder_markers_quoted_in_pre_are_not_reminders() -> None:
    marker = "<!-- grantbot:reminder kind=grantee items=a at=2024-05-01T12:00:00Z -->"
    assert len(reminder_markers(f"{marker}\n<pre>{marker}</pre>\n<nowiki>{marker}</nowiki>")) == 1


def test_swapped_and_duplicated_blocks_become_one() -> None:
    # End before start (a person swapped the marker lines): the text between is the bot's.
    swapped = f"Intro\n{BLOCK_END}\nold\n{BLOCK_START}\nOutro"
    placed = place_block(swapped, "new", previous="old")
    assert placed.text == f"Intro\n{BLOCK_START}\nnew\n{BLOCK_END}\nOutro" and placed.repaired == 2
    # A pasted second copy of the block: removed, with a person's line in it kept.
    copy = f"{BLOCK_START}\nold\n{BLOCK_END}\n"
    doubled = f"Top\n{copy}Middle\n{BLOCK_START}\nold\nMy question about it\n{BLOCK_END}\nEnd"
    placed = place_block(doubled, "new", previous="old")
    assert placed.text == f"Top\n{BLOCK_START}\nnew\n{BLOCK_END}\nMy question about it\nMiddle\nEnd"
    assert (placed.moved, placed.repaired) == (1, 2)
    assert place_block(placed.text, "new").text == placed.text
