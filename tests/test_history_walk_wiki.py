"""Histories of many pages at once (bots.history.walk_histories) on the real local wiki:
the same revisions as reading each page alone, in fewer requests."""

from __future__ import annotations

from typing import Any

import pytest

from bots.changes import fetch_pages
from bots.history import fetch_revisions, walk_histories
from bots.metrics import count_requests
from bots.site import WikiSite
from parsers.blame import Revision

pytestmark = pytest.mark.wiki


def _heads(site: WikiSite, titles: list[str], after: dict[str, int | None]) -> dict[str, Any]:
    pages = fetch_pages(site, titles)
    return {t: (Revision(p.revid, p.user, p.time, p.text), p.parent, after.get(t))
            for t, p in pages.items() if t in titles}


def test_walk_matches_reading_each_page_alone(fresh_wiki: Any, fresh_bot_site: Any) -> None:
    site = WikiSite(fresh_bot_site)
    depth = {"Grants talk:Walk/One": 1, "Grants talk:Walk/Three": 3, "Grants talk:Walk/Five": 5}
    revids: dict[str, list[int]] = {}
    for title, n in depth.items():
        text = ""
        for k in range(n):
            text += f"== Point {k} ==\nA note number {k} on {title}.\n"
            revids.setdefault(title, []).append(fresh_wiki.edit_as_human(title, text))
    titles = list(depth)

    heads = _heads(site, titles, {})
    with count_requests() as counter:
        walked = walk_histories(site, heads)
    assert counter.total == 4  # one request per step back, for all pages together
    assert set(walked) == set(titles)
    for title in titles:
        alone = fetch_revisions(site, title)
        assert walked[title] == alone and [r.revid for r in alone] == revids[title]

    # From a known revision on: only the newer ones.
    after = {"Grants talk:Walk/Five": revids["Grants talk:Walk/Five"][1],
             "Grants talk:Walk/Three": revids["Grants talk:Walk/Three"][0]}
    walked = walk_histories(site, _heads(site, list(after), after))
    for title, known in after.items():
        assert walked[title] == fetch_revisions(site, title, known)

    # A history longer than the steps allowed is left out (read alone by the caller).
    walked = walk_histories(site, _heads(site, titles, {}), steps=2)
    assert set(walked) == {"Grants talk:Walk/One", "Grants talk:Walk/Three"}

    # A known revision that is not an ancestor (history rewritten): left out too.
    walked = walk_histories(site, _heads(site, ["Grants talk:Walk/Three"],
                                         {"Grants talk:Walk/Three": revids["Grants talk:Walk/Five"][0]}))
    assert walked == {}
