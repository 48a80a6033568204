"""The thread stage never raises and keeps its invariants on arbitrary text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.threads import parse_talk_page

# Fragments that exercise every rule; hypothesis glues them with random text.
PIECES = st.sampled_from([
    "\n", "== ", " ==", "=", ":", "*", "#", ";", "[[User:", "[[User talk:", "[[Special:Contributions/",
    "]]", "|", "{{unsigned|", "}}", "<!--", "-->", "<ref>", "</ref>", "<nowiki>", "</nowiki>",
    "14:18, 31 July 2019 (UTC)", "02:30, 28 Oct 2018 (CEST)", "99:99, 40 Foo 2019 (XYZ)", "'''",
    '<div class="mw-notalk">', "</div>", "<blockquote>", "Bob", " ", "\u200e", "١٢", "\r\n",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["en", "fr", "pl", "ckb", "ar", "sr"]))
def test_never_raises_and_spans_are_sane(text: str, lang: str) -> None:
    page = parse_talk_page(text, lang, "Europe/Paris")
    prev_end = 0
    for c in page.comments:
        assert 0 <= c.start <= c.end <= len(text)
        assert c.start >= prev_end
        prev_end = c.end
        assert c.parent is None or c.parent < c.index
        assert c.heading is None or c.heading < len(page.headings)
        for s in c.signatures:
            assert c.start <= s.start <= s.end <= c.end
            assert s.timestamp is None or s.timestamp.utcoffset().total_seconds() == 0
    for h in page.headings:
        assert h.parent is None or h.parent < h.index
    if not text:
        assert page.comments == () and page.headings == ()
