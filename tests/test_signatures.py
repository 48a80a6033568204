from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parsers.signatures import find_signatures, normalise_user


def sigs(text: str, lang: str = "en", tz: str = "UTC"):
    return find_signatures(text, None, lang, tz)


def test_display_name_differs_from_account() -> None:
    (s,) = sigs("I think so. [[User:Long_account name|Shorty]] ([[User talk:Long account name|talk]]) "
                "14:18, 31 July 2019 (UTC)")
    assert s.user == "Long account name"
    assert s.display == "Shorty"
    assert s.timestamp == datetime(2019, 7, 31, 14, 18, tzinfo=timezone.utc)
    assert s.timestamp_text == "14:18, 31 July 2019 (UTC)"


def test_dash_prefix_and_contributions_link() -> None:
    (s,) = sigs("Anon note --[[Special:Contributions/192.0.2.7|192.0.2.7]] 10:00, 2 May 2020 (UTC)")
    assert s.user == "192.0.2.7"
    assert s.source == "link"


def test_author_is_last_link_before_timestamp() -> None:
    (s,) = sigs("Thanks [[User:Helper]] for the pointer. [[User:Writer|W]] 09:00, 3 May 2020 (UTC)")
    assert s.user == "Writer"


def test_link_too_far_from_timestamp_is_not_a_signature() -> None:
    text = "[[User:Far]] " + "words " * 30 + "09:00, 3 May 2020 (UTC)"
    assert [s for s in sigs(text) if s.timestamp] == []


def test_subpage_links_do_not_sign() -> None:
    assert sigs("See [[User:Someone/sandbox|draft]] 09:00, 3 May 2020 (UTC)") == ()


def test_several_signatures_on_one_line() -> None:
    found = sigs("First [[User:Ann]] 09:00, 3 May 2020 (UTC) then [[User:Ben]] 10:00, 3 May 2020 (UTC)")
    assert [s.user for s in found] == ["Ann", "Ben"]
    assert found[0].end <= found[1].start


@pytest.mark.parametrize(
    ("text", "user", "when"),
    [
        ("Text {{unsigned|Some One|10:00, 4 May 2020 (UTC)}}", "Some One", datetime(2020, 5, 4, 10, 0)),
        ("Text {{Unsigned2|10:00, 4 May 2020 (UTC)|Some One}}", "Some One", datetime(2020, 5, 4, 10, 0)),
        ("Text {{unsignedIP|198.51.100.2|12:00, 4 May 2020}}", "198.51.100.2", datetime(2020, 5, 4, 12, 0)),
        ("Text {{unsigned|Some One}}", "Some One", None),
        # a history line pasted whole: time and account in one parameter
        ("Text {{unsigned|10:00, 4 May 2020\u200e Some One}}", "Some One", datetime(2020, 5, 4, 10, 0)),
        # a bare date is not an account; the account comes after it
        ("Text {{unsigned|4 May 2020|Some One}}", "Some One", None),
    ],
)
def test_unsigned_templates(text: str, user: str, when: datetime | None) -> None:
    (s,) = sigs(text)
    assert s.source == "template" and s.user == user
    assert s.timestamp == (when.replace(tzinfo=timezone.utc) if when else None)


def test_french_template_and_namespace() -> None:
    found = sigs("Avis {{non signé|Quelqu'un|5 mars 2021 à 09:30 (CET)|123}}\n"
                 "Réponse [[Utilisateur:Autre|Autre]] ([[Discussion utilisateur:Autre|d]]) "
                 "5 mars 2021 à 10:00 (CET)", "fr", "Europe/Paris")
    assert [(s.user, s.timestamp.hour) for s in found] == [("Quelqu'un", 8), ("Autre", 9)]


def test_polish_and_spanish_namespaces() -> None:
    (pl,) = sigs("Zgoda. [[Użytkownik:Ktoś|Ktoś]] 12:00, 5 maj 2021 (CEST)", "pl", "Europe/Warsaw")
    assert pl.user == "Ktoś" and pl.timestamp.hour == 10
    (es,) = sigs("De acuerdo. [[Usuario:Alguien]] 12:00 5 may 2021 (UTC)", "es")
    assert es.user == "Alguien"


def test_undated_signature_at_paragraph_end() -> None:
    (s,) = sigs("We will send the receipts next week. [[User:Grantee person|Grantee]]\n\nNext para")
    assert s.user == "Grantee person" and s.timestamp is None and s.display == "Grantee"


def test_mid_sentence_mention_is_not_undated_signature() -> None:
    assert sigs("Thanks to [[User:Helper]] for all of this work on the page.") == ()
    assert sigs("* [[User:Voter]]") == ()


def test_signatures_in_comments_and_refs_ignored() -> None:
    text = ("<!-- [[User:Hidden]] 10:00, 1 May 2020 (UTC) -->\n"
            "Claim<ref>[[User:Ref]] 10:00, 1 May 2020 (UTC)</ref> [[User:Real]] 11:00, 1 May 2020 (UTC)")
    assert [s.user for s in sigs(text)] == ["Real"]


def test_broken_link_does_not_crash_or_sign() -> None:
    assert sigs("Broken [[User:Nobody 10:00, 1 May 2020 (UTC)") == ()


def test_normalise_user() -> None:
    assert normalise_user("some_body%20else") == "Some body else"
    assert normalise_user("  x  ") == "X"


def test_links_to_user_pages_on_other_wikis_sign() -> None:
    """Staff sign with their Meta accounts: "[[:m:User:X|X]]" is a signature like a local link."""
    (s,) = sigs("Please test it. --[[:m:User:Some Staff (WMF)|Some Staff (WMF)]] "
                "([[:m:User talk:Some Staff (WMF)|talk]]) 10:00, 4 May 2020 (UTC)")
    assert s.user == "Some Staff (WMF)" and s.timestamp is not None


def test_foreign_user_link_without_timestamp_is_a_credit_not_a_signature() -> None:
    credit = "Author of this script and of the other tools: [[{}User:Tool Maker|Tool Maker]]\n"
    assert sigs(credit.format(":meta:")) == ()
    assert len(sigs(credit.format(""))) == 1
