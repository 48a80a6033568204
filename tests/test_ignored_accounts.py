"""The bot's own reminders must never become reviewer items or grantee answers."""

from __future__ import annotations

from parsers.analysis import analyse_talk_page
from parsers.model import ItemStatus

PAGE = """== Review of the final report ==
* Could you share the attendance numbers for the second day?
* Please add the link to the photo category.
[[User:Nadia (WMF)|Nadia (WMF)]] ([[User talk:Nadia (WMF)|talk]]) 09:00, 2 February 2026 (UTC)

== Reminder: open reviewer questions (2026-03-01) ==
<!-- grantbot:reminder kind=grantee items=a,b at=2026-03-01T00:00:00Z -->
Hello [[User:Tomas|Tomas]], could you please answer the questions above? Please reply in the section.

This is an automated reminder from GrantBot. [[User:GrantBot|GrantBot]] ([[User talk:GrantBot|talk]]) 00:00, 1 March 2026 (UTC)
"""


def test_bot_comments_are_neither_items_nor_answers() -> None:
    plain = analyse_talk_page(PAGE, reviewer_patterns=(r"\(WMF\)$",))
    ignoring = analyse_talk_page(PAGE, reviewer_patterns=(r"\(WMF\)$",), ignored=("GrantBot",))
    # Even when not configured, the account that signed a reminder (its marker says so) is the bot.
    assert plain.items == ignoring.items and plain.threads == ignoring.threads
    assert len(ignoring.items) == 2
    assert all(i.asked_by == "Nadia (WMF)" for i in ignoring.items)
    assert all(i.status is ItemStatus.OPEN for i in ignoring.items)
    assert all(t.last_comment_by != "GrantBot" for t in ignoring.threads)
    assert "GrantBot" not in ignoring.grantees


def test_configured_grantees_are_pinged_even_if_silent() -> None:
    analysis = analyse_talk_page(PAGE, grantees=("Tomas",), ignored=("GrantBot",))
    assert analysis.grantees == ("Tomas",)
