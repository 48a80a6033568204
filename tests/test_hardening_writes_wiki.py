"""What ordinary wiki users do to the pages the bot writes, on a real local MediaWiki.

Each test is an attack a person can make with an ordinary account: move a
page away (leaving a redirect), change a number in the bot's table, delete
a page, write a note inside the bot's block, quote the bot's markers in a
note, break the markers, hide or wrap ``{{nobots}}``.  The bot must never
write through a redirect, never lose the person's text, never leave false
data standing, and never save its JSON copy as wikitext.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bots.site import WikiSite
from bots.writer import Writer
from jobs.config import load_config
from jobs.context import RunContext, open_context
from jobs.sweep import sweep
from localwiki import LocalWiki
from parsers.markers import BLOCK_END, BLOCK_START, mask_volatile
from publishing.blocks import current_block
from publishing.outcomes import OutcomeKind
from wikipages import local_config, revisions, text_of

pytestmark = pytest.mark.wiki

STATUS = "User:GrantBot/Grant status"
TALK = "Grants talk:Hardening/Report"
QUESTION = "== Budget ==\nWhere is the budget table? [[User:R|R]] 10:00, 1 May 2024 (UTC)\n"


def _context(config: Path) -> RunContext:
    return open_context(load_config(config))


@pytest.fixture
def config(seeded: LocalWiki, tmp_path: Path) -> Iterator[Path]:
    yield local_config(seeded, tmp_path, "[reminders]\nenabled = false\n")


def _new_question(wiki: LocalWiki) -> None:
    """A data change: a reviewer asks a new question on a sample grant's talk page."""
    talk = next(t for t in _talk_pages(wiki) if "Grants talk:" in t)
    wiki.edit_as_human(talk, text_of(wiki, talk) + "\n== Later ==\nAnd the receipts? "
                       "[[User:Ingrid Solberg|Ingrid Solberg]] 10:00, 2 May 2024 (UTC)\n")


def _talk_pages(wiki: LocalWiki) -> list[str]:
    data = wiki.api_session("human").call(action="query", list="allpages", apnamespace="201", aplimit="max")
    return [p["title"] for p in data["query"]["allpages"]]


def _comments(wiki: LocalWiki, title: str) -> list[str]:
    data = wiki.api_session("human").call(action="query", prop="revisions", titles=title,
                                          rvprop="comment|user", rvlimit="max")
    return [r.get("comment", "") for r in data["query"]["pages"][0].get("revisions", [])]


# ------------------------------------------------------------- 5: redirects

def test_moved_status_page_is_never_written_through_its_redirect(seeded: LocalWiki, config: Path) -> None:
    assert sweep(_context(config)).result == "ok"
    human = seeded.api_session("human")
    human.call(post=True, action="move", token=human.token(), reason="tidy up",
               **{"from": STATUS, "to": "User:GrantBot/Old status"})
    redirect = text_of(seeded, STATUS)
    assert redirect.startswith("#REDIRECT")
    _new_question(seeded)  # the table must change, so the bot wants to write
    summary = sweep(_context(config))
    assert text_of(seeded, STATUS) == redirect  # nothing appended under #REDIRECT
    assert summary.result == "errors"
    assert any("redirect" in e and STATUS in e for e in summary.errors), summary.errors
    refused = [o for o in summary.outcomes.edits if o.title == STATUS]
    assert refused and refused[0].kind is OutcomeKind.REFUSED and refused[0].alarm


def test_redirected_detail_json_and_talk_pages_are_refused(fresh_wiki: LocalWiki, fresh_bot_site: Any) -> None:
    writer = Writer(WikiSite(fresh_bot_site))
    for title in ("User:GrantBot/Grant status/Some grant", "User:GrantBot/Grant data", TALK):
        fresh_wiki.edit_as_human(title, "#REDIRECT [[User:GrantBot/Elsewhere]]")
    outcomes = [
        writer.write_block("User:GrantBot/Grant status/Some grant", "table", "s"),
        writer.write_json("User:GrantBot/Grant data", {"a": 1}, "s"),
        writer.append_section(TALK, "Reminder", "Please answer.", "s"),
    ]
    for outcome in outcomes:
        assert outcome.kind is OutcomeKind.REFUSED and outcome.alarm, outcome
        assert "[[User:GrantBot/Elsewhere]]" in (outcome.reason or "")
        assert text_of(fresh_wiki, outcome.title) == "#REDIRECT [[User:GrantBot/Elsewhere]]"


# ------------------------------------------- 7: the page, not a fingerprint

def test_falsified_number_and_deleted_page_are_repaired_without_a_data_change(
        seeded: LocalWiki, config: Path, tmp_path: Path) -> None:
    assert sweep(_context(config)).result == "ok"
    honest = text_of(seeded, STATUS)
    match = re.search(r"'''(\d+)''' grants? (?:are|is) overdue", honest)
    assert match, honest[:300]
    falsified = honest.replace(match.group(0), match.group(0).replace(match.group(1), "97"), 1)
    seeded.edit_as_human(STATUS, falsified)
    repaired = sweep(_context(config))
    assert repaired.result == "ok" and repaired.fetched == 0  # no grant changed
    assert mask_volatile(text_of(seeded, STATUS)) == mask_volatile(honest)
    # A full sweep (no recent changes to go by) lists the bot's pages and finds it too.
    seeded.edit_as_human(STATUS, falsified)
    assert sweep(_context(config), full=True).result == "ok"
    assert mask_volatile(text_of(seeded, STATUS)) == mask_volatile(honest)
    # A deleted detail page comes back at the next sweep, too.
    detail = next(t for t in _bot_pages(seeded) if t.startswith(STATUS + "/"))
    kept = text_of(seeded, detail)
    listing = tmp_path / "delete.txt"
    listing.write_text(detail + "\n", encoding="utf-8")
    seeded.maintenance("deleteBatch", "-r", "test: a person deletes a detail page", str(listing))
    assert text_of(seeded, detail) == ""
    assert sweep(_context(config)).result == "ok"
    assert mask_volatile(current_block(text_of(seeded, detail)) or "") == mask_volatile(current_block(kept) or "")
    # Then quiet sweeps edit nothing and ask the wiki once (the deletion, still in the
    # probe's overlap window, was seen by the last sweep and is not checked again).
    quiet = sweep(_context(config))
    assert quiet.edits == 0 and quiet.requests == 1, quiet.lines()


def _bot_pages(wiki: LocalWiki) -> list[str]:
    data = wiki.api_session("human").call(action="query", list="allpages", apnamespace="2",
                                          apprefix="GrantBot/", aplimit="max")
    return [p["title"] for p in data["query"]["allpages"]]


# ------------------------------------------------------------- 8: JSON

def test_json_copy_is_saved_as_json_where_the_default_model_is_wikitext(
        fresh_wiki: LocalWiki, fresh_bot_site: Any) -> None:
    site = WikiSite(fresh_bot_site)
    writer = Writer(site)
    title = "User:GrantBot/Grant data"  # no .json: MediaWiki's default model here is wikitext
    data = {"question": "Signed ~~~~ in {{subst:CURRENTYEAR}} [[Category:Leaked]]"}
    assert writer.write_json(title, data, "s").kind is OutcomeKind.EDITED
    page = site.current(title)
    assert page.content_model == "json"
    assert "~~~~" in page.text and "subst:CURRENTYEAR" in page.text
    assert site.parse(title)["categories"] == []
    # A copy saved as wikitext earlier (JSON text, wikitext model) is converted;
    # a person's wikitext there is not replaced.
    site.edit(title="User:GrantBot/Old data", text='{"question": "x"}', summary="old copy", bot=True)
    converted = writer.write_json("User:GrantBot/Old data", data, "s")
    assert converted.kind is OutcomeKind.EDITED and site.current("User:GrantBot/Old data").content_model == "json"
    assert "content model changed" in _comments(fresh_wiki, "User:GrantBot/Old data")[0]
    fresh_wiki.edit_as_human("User:GrantBot/Notes", "A person's notes, not JSON.")
    refused = writer.write_json("User:GrantBot/Notes", data, "s")
    assert refused.kind is OutcomeKind.REFUSED and refused.alarm and "not JSON" in (refused.reason or "")
    assert text_of(fresh_wiki, "User:GrantBot/Notes") == "A person's notes, not JSON."


# ---------------------------------------------- 10: notes inside the block

def test_note_written_inside_the_block_survives_the_next_data_change(
        fresh_wiki: LocalWiki, fresh_bot_site: Any) -> None:
    writer = Writer(WikiSite(fresh_bot_site))
    table = "{| class=\"wikitable\"\n| Alpha || 3\n|-\n| Beta || 5\n|}"
    assert writer.write_block(STATUS, table, "status").kind is OutcomeKind.EDITED
    note = "Beta's report was sent by mail on 3 May. ~~~~"
    page = text_of(fresh_wiki, STATUS)
    fresh_wiki.edit_as_human(STATUS, page.replace("| Beta || 5\n", f"| Beta || 5\n{note}\n"))
    signed = text_of(fresh_wiki, STATUS).split("Beta's report", 1)[1].split("\n", 1)[0]
    outcome = writer.write_block(STATUS, table.replace("|| 3", "|| 4"), "status")
    assert outcome.kind is OutcomeKind.EDITED
    text = text_of(fresh_wiki, STATUS)
    assert current_block(text) == table.replace("|| 3", "|| 4")
    assert text.endswith(f"{BLOCK_END}\nBeta's report{signed}")  # kept, just below the block
    assert "moved 1 line(s) a person wrote inside the bot's block" in _comments(fresh_wiki, STATUS)[0]


# ------------------------------------------ 11: markers as MediaWiki sees them

def test_quoted_markers_are_left_alone_and_a_broken_block_is_repaired_once(
        fresh_wiki: LocalWiki, fresh_bot_site: Any) -> None:
    site = WikiSite(fresh_bot_site)
    writer = Writer(site)
    note = (f"How the bot marks its table: <nowiki>{BLOCK_START} … {BLOCK_END}</nowiki>\n"
            f"<pre>\n{BLOCK_START}\nexample\n{BLOCK_END}\n</pre>\n<!-- old: {BLOCK_START} -->\n")
    fresh_wiki.edit_as_human(STATUS, note)
    assert writer.write_block(STATUS, "table one", "s").kind is OutcomeKind.EDITED
    assert writer.write_block(STATUS, "table two", "s").kind is OutcomeKind.EDITED
    text = text_of(fresh_wiki, STATUS)
    assert text.startswith(note) and current_block(text) == "table two"
    assert _markers_after(note, text) == 2
    # A person deletes the end marker (and writes below): repaired once, nothing duplicated.
    head, _, tail = text.rpartition(BLOCK_END)
    broken = head + tail + "\nA line a person added.\n"
    fresh_wiki.edit_as_human(STATUS, broken)
    assert writer.write_block(STATUS, "table two", "s").kind is OutcomeKind.EDITED
    assert writer.write_block(STATUS, "table two", "s").kind is OutcomeKind.UNCHANGED
    text = text_of(fresh_wiki, STATUS)
    assert text.startswith(note) and "A line a person added." in text
    assert _markers_after(note, text) == 2 and current_block(text) == "table two"
    assert len([r for r in revisions(fresh_wiki, STATUS) if r["user"] == "GrantBot"]) == 3


def _markers_after(note: str, text: str) -> int:
    """The bot's markers on the page after the person's note (which quotes some)."""
    rest = text[len(note):]
    return rest.count(BLOCK_START) + rest.count(BLOCK_END)


# --------------------------------------------------------- 14: exclusion

@pytest.mark.parametrize("exclusion", [
    "{{bots|deny=Other bot,GrantBot|reason={{tl|x}}}}",
    "<nowiki><!--</nowiki>{{nobots}}<nowiki>--></nowiki>",
    "{{No bots}}",
])
def test_exclusion_is_read_as_the_wiki_renders_it(fresh_wiki: LocalWiki, fresh_bot_site: Any,
                                                 exclusion: str) -> None:
    fresh_wiki.edit_as_human("Template:Nobots", "This page excludes bots.")
    fresh_wiki.edit_as_human("Template:No bots", "#REDIRECT [[Template:Nobots]]")
    fresh_wiki.edit_as_human(TALK, f"{exclusion}\n{QUESTION}")
    fresh_wiki.edit_as_human(STATUS, f"{exclusion}\n{BLOCK_START}\nold\n{BLOCK_END}")
    writer = Writer(WikiSite(fresh_bot_site))
    before = (len(revisions(fresh_wiki, TALK)), len(revisions(fresh_wiki, STATUS)))
    assert writer.append_section(TALK, "Reminder", "Please answer.", "s").kind is OutcomeKind.REFUSED
    assert writer.write_block(STATUS, "new", "s").kind is OutcomeKind.REFUSED
    assert (len(revisions(fresh_wiki, TALK)), len(revisions(fresh_wiki, STATUS))) == before


def test_nobots_on_the_run_page_is_honoured_and_hidden_ones_do_not_count(
        fresh_wiki: LocalWiki, fresh_bot_site: Any) -> None:
    run_page = "User:GrantBot/Run"
    fresh_wiki.edit_as_human(run_page, "{{nobots}}\n* [[Grants:Some grant]]\n")
    writer = Writer(WikiSite(fresh_bot_site))
    outcome = writer.rewrite(run_page, lambda text: text.replace("* [[Grants:Some grant]]", ""), "done")
    assert outcome.kind is OutcomeKind.REFUSED and "nobots" in (outcome.reason or "")
    assert len(revisions(fresh_wiki, run_page)) == 1
    # Quoted, commented or in <pre>: MediaWiki does not transclude it, the bot may edit.
    fresh_wiki.edit_as_human(TALK, f"<!-- {{{{nobots}}}} --> <pre>{{{{nobots}}}}</pre>\n{QUESTION}")
    assert writer.append_section(TALK, "Reminder", "Please answer.", "s").kind is OutcomeKind.EDITED
