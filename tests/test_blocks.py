"""The bot's block: replaced in place, everything else kept byte for byte."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from publishing.blocks import apply_block, block_changed, current_block, outside_block, unified_diff
from parsers.markers import BLOCK_END, BLOCK_START, find_block, mask_volatile, volatile


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


def test_orphan_start_marker_is_left_as_text() -> None:
    page = f"a {BLOCK_START} b\n{BLOCK_START}\nold\n{BLOCK_END}\nc"
    out = apply_block(page, "new")
    assert out == f"a {BLOCK_START} b\n{BLOCK_START}\nnew\n{BLOCK_END}\nc"
    # Only a start marker (the end one was deleted): a fresh pair is appended
    # and the orphan stays.
    lone = f"x\n{BLOCK_START}\ny"
    out = apply_block(lone, "z")
    assert out.startswith(lone)
    assert current_block(out) == "z"
    assert apply_block(out, "w").startswith(lone)


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
    # What was on the page before the first write survives, as a prefix or around the block.
    if find_block(page) is None:
        assert once.startswith(page)
