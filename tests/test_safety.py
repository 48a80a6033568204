"""Allowlist, shutoff rule, opt-outs and error mapping (no wiki needed)."""

from __future__ import annotations

import pytest

from bots.errors import LoginError, NotAllowedError, WikiError, WikiUnavailableError
from publishing.safety import Allowlist, redirect_refusal, refusal, shutoff_says_stop, shutoff_title
from bots.site import wiki_errors


def test_allowlist_status_pages_only_in_bot_user_space() -> None:
    allow = Allowlist("GrantBot", frozenset({201}))
    allow.check_block_page("User:GrantBot/Grant status", 2)
    allow.check_block_page("User:GrantBot/Grant status/Grants:X/Report", 2)
    allow.check_block_page("User:GrantBot/Grant status.json", 2)
    for title, ns in (("Main Page", 0), ("User:GrantBot", 2), ("User:GrantBotX/a", 2),
                      ("User:Other/GrantBot/a", 2), ("Grants talk:X", 201), ("User talk:GrantBot/a", 3)):
        with pytest.raises(NotAllowedError, match="refusing"):
            allow.check_block_page(title, ns)
    with pytest.raises(NotAllowedError, match="shutoff"):
        allow.check_block_page(shutoff_title("GrantBot"), 2)


def test_allowlist_reminders_only_on_grant_talk() -> None:
    allow = Allowlist("GrantBot", frozenset({201}))
    allow.check_talk_page("Grants talk:X/Report", 201)
    for title, ns in (("Grants:X", 200), ("User talk:A", 3), ("Talk:Main Page", 1)):
        with pytest.raises(NotAllowedError):
            allow.check_talk_page(title, ns)


@pytest.mark.parametrize(
    ("exists", "text", "stop"),
    [(False, "", False), (True, "run", False), (True, "  RUN\n", False), (True, "Run ", False),
     (True, "", True), (True, "stop", True), (True, "run please", True), (True, "running", True)],
)
def test_shutoff_rule(exists: bool, text: str, stop: bool) -> None:
    assert shutoff_says_stop(exists, text) is stop


def test_refusal_reasons() -> None:
    assert refusal("plain talk", "GrantBot") is None
    assert "excludes" in (refusal("{{nobots}}", "GrantBot") or "")
    assert refusal("{{bots|optout=grantbot-reminders}}", "GrantBot") is None
    assert "opted out" in (refusal("{{bots|optout=grantbot-reminders}}", "GrantBot", "grantbot-reminders") or "")
    assert refusal("{{bots|deny=Other_Bot}}", "GrantBot", "grantbot-reminders") is None


def test_error_mapping_is_one_clear_error_without_secrets() -> None:
    import pywikibot.exceptions as pe
    import requests

    with pytest.raises(LoginError) as caught:
        with wiki_errors("logging in"):
            raise pe.APIError("WrongPass", "password s3cr3t-value rejected")
    assert "s3cr3t" not in str(caught.value) and "login refused" in str(caught.value)
    with pytest.raises(LoginError):
        with wiki_errors("logging in"):
            raise pe.NoUsernameError("Failed login for GrantBot")
    with pytest.raises(WikiUnavailableError):
        with wiki_errors("reading"):
            raise requests.exceptions.ConnectionError("refused")
    with pytest.raises(WikiUnavailableError):
        with wiki_errors("reading"):
            raise pe.ApiTimeoutError("timeout")
    with pytest.raises(WikiError, match="badthing"):
        with wiki_errors("reading"):
            raise pe.APIError("badthing", "odd")


def test_exclusion_is_read_as_mediawiki_renders_the_page() -> None:
    me = "GrantBot"
    # Nested templates do not hide a deny list; quoted or commented calls do not count.
    assert refusal("{{bots|deny=Other,GrantBot|why={{tl|x}}}}", me)
    assert refusal("{{bots|deny={{Who|GrantBot}}}}", me)  # a list the bot cannot read names it
    assert refusal("<nowiki><!--</nowiki>{{nobots}}<nowiki>--></nowiki>", me)
    assert refusal("<nowiki>{{nobots}}", me)  # an unclosed <nowiki> is itself text
    assert refusal("<!-- {{nobots}} --> <pre>{{nobots}}</pre> <nowiki>{{nobots}}</nowiki>", me) is None
    assert refusal("{{nobots|Other bot}}", me) is None
    # A comment inside the name is not part of it (the quick "no 'bots' here" check knows).
    assert refusal("{{no<!-- why -->bo<!---->ts}}", me)
    assert refusal("== Questions ==\nPlease add the budget. <!-- bot: none -->", me) is None
    # What the wiki says the page transcludes: through a redirect or another template.
    assert refusal("{{No bots}}", me) is None
    assert refusal("{{No bots}}", me, transcluded={"nobots"}, aliases={"No bots": "nobots"})
    assert "cannot read" in (refusal("{{Talk header}}", me, transcluded={"nobots"}) or "")
    assert refusal("{{No bots|Other bot}}", me, transcluded={"nobots"}, aliases={"No bots": "nobots"}) is None
    # The wiki's list may lag behind an edit: a call in the text still counts.
    assert refusal("{{nobots}}", me, transcluded=set())


def test_redirect_refusal_names_the_target() -> None:
    assert "[[User:GrantBot/Old]]" in redirect_refusal("#REDIRECT [[User:GrantBot/Old|x]]")
    assert "redirect" in redirect_refusal("#WEITERLEITUNG [[Ziel]]")
