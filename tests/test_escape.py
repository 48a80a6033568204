"""Text copied from wiki pages must render literally and do nothing else."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from publishing import escape

NASTY = "a {{tpl}} [[Category:X]] ~~~~ __NOINDEX__ <ref>r</ref> |} !! </nowiki> & [http://x y]\n|-\n!h"


def _inside_nowiki(wikitext: str) -> str:
    match = re.fullmatch(r"<nowiki>(.*)</nowiki>", wikitext, re.DOTALL)
    assert match, wikitext
    return match.group(1)


def test_text_is_one_nowiki_span_with_no_raw_markup_breakers() -> None:
    out = escape.text(NASTY)
    inner = _inside_nowiki(out)
    assert "\n" not in out
    assert "<" not in inner and ">" not in inner
    assert "&lt;/nowiki&gt;" in inner
    assert "&amp;" in inner


def test_text_limits_and_collapses() -> None:
    assert escape.text("  a\n\n b\t c ") == "<nowiki>a b c</nowiki>"
    assert escape.text("abcdefghij", 5) == "<nowiki>abcd…</nowiki>"
    assert escape.text(None) == "" and escape.text(" \n ") == ""
    assert "\x7f" not in escape.text("x\x7fUNIQ")


@given(st.text(max_size=200))
def test_text_never_leaks_markup(value: str) -> None:
    out = escape.text(value)
    if not out:
        assert not value.strip() or not escape.collapse(value)
        return
    inner = _inside_nowiki(out)
    assert "<" not in inner and ">" not in inner and "\n" not in inner
    # Entities decode back to the collapsed input.
    decoded = inner.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert decoded == escape.collapse(value)


@given(st.text(max_size=100))
def test_link_has_no_special_characters_outside_its_brackets(value: str) -> None:
    out = escape.link("Grants talk:Some grant/Report", value, value)
    assert out.startswith("[[:Grants talk:Some grant/Report")
    body = out[2:-2]
    assert body.count("|") == 1
    for ch in "[]{}<>~'=\n":
        assert ch not in body


@given(st.text(max_size=100))
def test_a_label_keeps_only_colons_and_slashes_literal(value: str) -> None:
    """':' and '/' mean nothing in a link label; everything else special stays a reference."""
    label = escape.link("Grants:A", value)[len("[[:Grants:A|"):-2]
    bare = re.sub(r"&#\d+;", "", label)
    for ch in "[]{}|<>~'=_&*#;!-\"%\n":
        assert ch not in bare, (ch, label)
    assert html.unescape(label) == escape.collapse(value)


def test_label_markup_stays_escaped() -> None:
    label = escape.link("Grants:A", "a:b/c [[x]] {{y}} | ~~~~ '' <s> & = __NOTOC__ -{z}-")
    assert label == ("[[:Grants:A|a:b/c &#91;&#91;x&#93;&#93; &#123;&#123;y&#125;&#125; &#124; "
                     "&#126;&#126;&#126;&#126; &#39;&#39; &#60;s&#62; &#38; &#61; "
                     "&#95;&#95;NOTOC&#95;&#95; &#45;&#123;z&#125;&#45;]]")


def test_anchor_strips_markup_like_mediawiki() -> None:
    assert escape.anchor("'''Budget''' and [[Page|the plan]]") == "Budget and the plan"
    assert escape.anchor("Q1 <span>x</span><!-- c --> {{tl|y}}") == "Q1 x"
    assert escape.anchor("[https://example.org Outreach] [[Plain]]") == "Outreach Plain"


def test_user_link_targets_user_page() -> None:
    assert escape.user_link("Ana B") == "[[:User:Ana B|Ana B]]"
    assert "&#123;" in escape.user_link("x{{y}}")
