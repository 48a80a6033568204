"""Injection fixture rendered by the real wiki: copied text stays inert."""

from __future__ import annotations

import html
import re
import urllib.parse
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from publishing import escape
from publishing import statuspage as sp
from publishing.outcomes import OutcomeKind
from bots.site import WikiSite
from bots.writer import Writer
from parsers.model import ItemKind, ItemStatus, ReviewerItem, TalkAnalysis, ThreadStatus, WaitingOn

pytestmark = pytest.mark.wiki

NOW = datetime(2024, 6, 30, 12, 0, tzinfo=timezone.utc)
SPEC = sp.StatusPageSpec(title="User:GrantBot/Injection status")
TALK = "Grants talk:Injected/Report"
# A heading full of markup, as a grantee might write one.
HEADING = "Budget & <span>costs</span> [[Grants:Injected|plan]] '''q''' = 50% | x_y"
# Templates in headings expand on the wiki (unknown offline): see publishing.escape.anchor.
PAYLOADS = (
    "Use {{Delete|now}} and {{subst:CURRENTYEAR}} please?",
    "Add [[Category:Injected grants]] and [[File:X.png]] here?",
    "Sign it ~~~~ or ~~~ or ~~~~~?",
    "__NOINDEX__ __NOTOC__ hidden?",
    "Cite <ref>a source</ref> and <references/> <b>bold</b> <script>x</script>?",
    "Break |} the | table !! now\n|-\n! header\n{| nested?",
    "Link [[Main Page]] or [https://evil.example spam] or https://evil.example ISBN 9780306406157?",
    "Close </nowiki> early {{x}} & &amp; entities?",
)


def _items() -> tuple[ReviewerItem, ...]:
    return tuple(
        ReviewerItem(
            id=f"i{n}", kind=ItemKind.QUESTION, text=text, asked_by="Officer (WMF)",
            asked_at=NOW - timedelta(days=20 + n), section=(HEADING,), anchor=HEADING,
            status=ItemStatus.OPEN, answered_by=None, answered_at=None, answer_excerpt=None,
            answer_location=None, commitment=False, reason="reason {{x}} ~~~~ |} " + str(n), start=n,
        )
        for n, text in enumerate(PAYLOADS)
    )


def _row(grant: str) -> sp.GrantRow:
    thread = ThreadStatus((HEADING,), 0, "Officer (WMF)", NOW, None, NOW, WaitingOn.GRANTEE)
    talk = TalkAnalysis(TALK, "en", ("Officer (WMF)",), ("Grantee",), _items(), (thread,))
    return sp.GrantRow(grant, TALK, f"{grant}/Report", talk, None, 1, NOW)


def _check_inert(parsed: dict[str, Any]) -> str:
    assert parsed["categories"] == []
    assert parsed["templates"] == []
    page_html = parsed["text"]
    assert "mw-references" not in page_html and 'class="reference"' not in page_html
    assert "<script" not in page_html and "<b>bold</b>" not in page_html
    assert "evil.example" not in "".join(re.findall(r'href="([^"]*)"', page_html))
    links = {link["title"] for link in parsed["links"]}
    assert "User talk:GrantBot" not in links  # no signature expanded
    assert "Main Page" not in links
    return str(page_html)


def test_status_table_and_detail_render_inert_on_the_wiki(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    site = WikiSite(fresh_bot_site)
    writer = Writer(site)
    rows = [_row("Grants:Injected"), _row("Grants:Also {{injected}}")]
    table = sp.render_table(rows, SPEC, NOW)
    assert writer.write_block(SPEC.title, table, sp.edit_summary(rows)).kind is OutcomeKind.EDITED
    page_html = _check_inert(site.parse(SPEC.title))
    tables = re.findall(r"<table.*?</table>", page_html, re.DOTALL)
    assert len(tables) == 1
    rows_html = re.findall(r"<tr\b.*?</tr>", tables[0], re.DOTALL)
    assert len(rows_html) == 3
    for row_html in rows_html[1:]:
        assert len(re.findall(r"<td\b", row_html)) == 10  # the status table has ten columns
    assert "Grants:Also {{injected}}" in html.unescape(page_html)

    detail_title = SPEC.detail_title("Grants:Injected")
    detail = sp.render_detail(rows[0], SPEC, NOW)
    assert writer.write_block(detail_title, detail, "details").kind is OutcomeKind.EDITED
    parsed = site.parse(detail_title)
    page_html = _check_inert(parsed)
    table_html = re.findall(r"<table.*?</table>", page_html, re.DOTALL)
    assert len(table_html) == 1
    data_rows = re.findall(r"<tr\b.*?</tr>", table_html[0], re.DOTALL)[1:]
    assert len(data_rows) == len(PAYLOADS)
    # MediaWiki puts a no-break space before "!" and "?" (French spacing).
    text = html.unescape(re.sub(r"<[^>]+>", "", page_html)).replace("\xa0", " ")
    for payload in PAYLOADS:
        assert " ".join(payload.split()) in text  # shown literally, newlines collapsed
    assert "NOINDEX" in text
    props = site.site.simple_request(action="parse", page=detail_title, prop="properties",
                                     formatversion="2").submit()["parse"]["properties"]
    assert "noindex" not in props and "notoc" not in props


def test_section_links_reach_the_real_anchor(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    fresh_wiki.edit_as_human(TALK, f"== {HEADING} ==\nA question? [[User:R|R]] 10:00, 1 May 2024 (UTC)\n")
    site = WikiSite(fresh_bot_site)
    anchors = {s["anchor"] for s in site.parse(TALK)["sections"]}
    detail_title = SPEC.detail_title("Grants:Injected")
    Writer(site).write_block(detail_title, sp.render_detail(_row("Grants:Injected"), SPEC, NOW), "d")
    page_html = site.parse(detail_title)["text"]
    talk_path = urllib.parse.quote(TALK.replace(" ", "_"), safe="/:")
    hrefs = [h for h in re.findall(r'href="([^"]*)"', page_html) if talk_path in h and "#" in h]
    assert hrefs
    for href in hrefs:
        fragment = urllib.parse.unquote(html.unescape(href).split("#", 1)[1])
        assert fragment in anchors, (fragment, anchors)


def test_colons_and_slashes_in_a_label_make_no_link(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    """Labels keep ':' and '/' literal (``escape.link``): no URL, magic link or namespace comes of them."""
    site = WikiSite(fresh_bot_site)
    label = ("Conference/A: see https://evil.example/x //evil.example/y Category:Spam "
             "ISBN 9780306406157 RFC 1234 [[Main Page]] {{x}} ~~~~")
    title = f"{SPEC.title}/Labels"
    Writer(site).write_block(title, escape.link("Grants:Injected", label), "labels")
    page_html = _check_inert(site.parse(title))
    hrefs = re.findall(r'href="([^"]*)"', page_html)
    assert not [h for h in hrefs if "ISBN" in h or "BookSources" in h or "rfc" in h.lower()], hrefs
    assert label in html.unescape(re.sub(r"<[^>]+>", "", page_html)).replace("\xa0", " ")
