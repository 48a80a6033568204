"""How the real local MediaWiki behaves for grantbot: logins, seeded history,
edit conflicts and ``{{nobots}}``.  Writes go to fresh wikis only, so the
session wiki keeps exactly the seeded pages other tests rely on."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import pytest

from localwiki import LocalWiki
from localwiki.seed import samples_en
from localwiki.seed.model import signature_time

pytestmark = pytest.mark.wiki

INLINE_TALK = f"Grants talk:{samples_en.INLINE}"
NOBOTS_TALK = f"Grants talk:{samples_en.NOBOTS}"


def test_bot_and_human_sessions_coexist(bot_site: Any, human_site: Any, local_wiki: LocalWiki) -> None:
    assert bot_site.user() == local_wiki.bot_user
    assert human_site.user() == local_wiki.human_user
    # Both stay logged in as themselves after the other logged in.
    import pywikibot

    bot_page = pywikibot.Page(bot_site, INLINE_TALK)
    human_page = pywikibot.Page(human_site, INLINE_TALK)
    assert bot_page.exists() and human_page.exists()
    assert bot_site.userinfo["name"] == local_wiki.bot_user
    assert human_site.userinfo["name"] == local_wiki.human_user
    assert "bot" in bot_site.userinfo["groups"] and "bot" not in human_site.userinfo["groups"]


def test_seeded_history_has_authors_and_past_times(bot_site: Any, wiki_now: datetime) -> None:
    import pywikibot

    page = pywikibot.Page(bot_site, INLINE_TALK)
    revisions = list(page.revisions(reverse=True, content=True))
    assert [r.user for r in revisions] == [
        "Mara (WMF)", "Tomas Riverbank", "Mara (WMF)", "Tomas Riverbank"]
    first_age = wiki_now - revisions[0].timestamp.replace(tzinfo=wiki_now.tzinfo)
    assert timedelta(days=39, hours=23) < first_age <= timedelta(days=40, minutes=1)
    for rev in revisions:  # each revision carries its author's signature at that minute
        stamp = signature_time(rev.timestamp.replace(tzinfo=wiki_now.tzinfo))
        assert f"[[User:{rev.user}|" in rev.text and stamp in rev.text
    assert len(revisions[-1].text) > len(revisions[0].text)


def test_grant_pages_are_discoverable_by_namespace(bot_site: Any) -> None:
    talk = {p.title() for p in bot_site.allpages(namespace=201)}
    reports = {p.title() for p in bot_site.allpages(namespace=200)}
    assert INLINE_TALK in talk and len(talk) >= 13
    assert len([t for t in reports if t.endswith("/Report")]) >= 13
    assert all(p.namespace() == 201 for p in bot_site.allpages(namespace=201, total=3))


def test_nobots_refuses_the_edit_and_sends_nothing(bot_site: Any) -> None:
    import pywikibot
    from pywikibot.exceptions import OtherPageSaveError

    page = pywikibot.Page(bot_site, NOBOTS_TALK)
    before = page.latest_revision_id
    page.text += "\n== Reminder ==\nThis should never be saved.\n"
    with pytest.raises(OtherPageSaveError):
        page.save("must be refused")
    fresh = pywikibot.Page(bot_site, NOBOTS_TALK)
    fresh.clear_cache()
    assert fresh.latest_revision_id == before


def test_concurrent_human_edit_raises_edit_conflict(fresh_wiki: LocalWiki, fresh_bot_site: Any) -> None:
    import pywikibot
    from pywikibot.exceptions import EditConflictError

    title = "Grants talk:Conference/Test/Conflict/Report"
    fresh_wiki.edit_as_human(title, "== Status ==\nline one\n", "start")
    page = pywikibot.Page(fresh_bot_site, title)
    assert "line one" in page.text  # the bot's base revision is now fixed
    time.sleep(1.2)  # basetimestamp has one-second resolution
    fresh_wiki.edit_as_human(title, "== Status ==\nline one, changed by a person\n", "human edit")
    page.text = "== Status ==\nline one, changed by the bot\n"
    with pytest.raises(EditConflictError):
        page.save("bot edit")
    latest = fresh_wiki.api_session("bot").call(
        action="query", prop="revisions", titles=title, rvprop="content|user", rvslots="main")
    rev = latest["query"]["pages"][0]["revisions"][0]
    assert rev["user"] == fresh_wiki.human_user
    assert "changed by a person" in rev["slots"]["main"]["content"]


def test_bot_edit_is_marked_bot_and_attributed(fresh_wiki: LocalWiki, fresh_bot_site: Any) -> None:
    import pywikibot

    page = pywikibot.Page(fresh_bot_site, "Grants:Status/Open questions")
    page.text = "Nothing open yet.\n"
    page.save("status table", bot=True)
    changes = fresh_wiki.api_session("human").call(
        action="query", list="recentchanges", rcprop="user|title|flags", rctype="new")
    mine = [c for c in changes["query"]["recentchanges"] if c["title"] == page.title()]
    assert mine and mine[0]["user"] == fresh_wiki.bot_user and mine[0]["bot"]


def test_fresh_wiki_is_empty_of_grants(fresh_wiki: LocalWiki) -> None:
    reply = fresh_wiki.api_session("bot").call(action="query", list="allpages", apnamespace="201")
    assert reply["query"]["allpages"] == []
