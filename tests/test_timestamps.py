from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parsers.timestamps import UnknownLanguageError, find_timestamps, language_data, parse_timestamp


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "lang", "tz", "expected"),
    [
        ("14:18, 31 July 2019 (UTC)", "en", "UTC", utc(2019, 7, 31, 14, 18)),
        ("09:05, 2 March 2021 (UTC)", "en", "UTC", utc(2021, 3, 2, 9, 5)),
        ("17:40 3 feb 2022 (UTC)", "es", "UTC", utc(2022, 2, 3, 17, 40)),
        ("4 avril 2020 à 10:15 (CEST)", "fr", "Europe/Paris", utc(2020, 4, 4, 8, 15)),
        ("4 janvier 2020 à 10:15 (CET)", "fr", "Europe/Paris", utc(2020, 1, 4, 9, 15)),
        ("21:03, 12 sty 2019 (CET)", "pl", "Europe/Warsaw", utc(2019, 1, 12, 20, 3)),
        ("08:00, 30 lip 2019 (CEST)", "pl", "Europe/Warsaw", utc(2019, 7, 30, 6, 0)),
        # Arabic-Indic digits and the genitive month as Central Kurdish writes it.
        ("\u200f١٠:٠٥، ٣ی ئابی ٢٠٢٠ (UTC)", "ckb", "UTC", utc(2020, 8, 3, 10, 5)),
        # The localised zone name, with no-break spaces.
        ("11:11، 5 مايو 2021 (ت\u00a0ع\u00a0م)", "ar", "UTC", utc(2021, 5, 5, 11, 11)),
        ("06:30, 9. јун 2019. (CEST)", "sr", "Europe/Berlin", utc(2019, 6, 9, 4, 30)),
        ("06:30, 9. jun 2019. (CEST)", "sr", "Europe/Berlin", utc(2019, 6, 9, 4, 30)),
        # English signatures are recognised on other wikis too.
        ("12:00, 1 June 2020 (UTC)", "fr", "Europe/Paris", utc(2020, 6, 1, 12, 0)),
    ],
)
def test_parse_timestamp(text: str, lang: str, tz: str, expected: datetime) -> None:
    assert parse_timestamp(text, lang, tz) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Around the autumn change 02:00-03:00 happens twice: the written zone decides.
        ("01:30, 28 Oct 2018 (CEST)", utc(2018, 10, 27, 23, 30)),
        ("02:30, 28 Oct 2018 (CEST)", utc(2018, 10, 28, 0, 30)),
        ("02:30, 28 Oct 2018 (CET)", utc(2018, 10, 28, 1, 30)),
        ("03:30, 28 Oct 2018 (CET)", utc(2018, 10, 28, 2, 30)),
    ],
)
def test_dst_follows_written_abbreviation(text: str, expected: datetime) -> None:
    assert parse_timestamp(text, "en", "Europe/Warsaw") == expected


def test_invalid_fields_give_no_value() -> None:
    assert parse_timestamp("24:00, 7 March 2010 (UTC)") is None
    assert parse_timestamp("10:00, 31 February 2010 (UTC)") is None


def test_not_a_timestamp() -> None:
    assert find_timestamps("About 2000 people came on 16 December at 22:00 (UTC).") == []
    assert parse_timestamp("") is None


def test_find_several_in_order() -> None:
    text = "a 10:00, 1 May 2020 (UTC) b 11:30, 2 May 2020 (UTC)"
    found = find_timestamps(text)
    assert [t.text for t in found] == ["10:00, 1 May 2020 (UTC)", "11:30, 2 May 2020 (UTC)"]
    assert text[found[1].start:found[1].end] == found[1].text


def test_unknown_language() -> None:
    with pytest.raises(UnknownLanguageError):
        language_data("xx-nope")


def test_language_table_has_localised_names() -> None:
    fr = language_data("fr")
    assert "Utilisateur" in fr.user_namespaces
    assert "Discussion utilisateur" in fr.user_talk_namespaces
    assert ("juillet",) == fr.months[6]
    assert language_data("pl").months_gen[0] == ("stycznia",)
    assert language_data("no").code == "nb"


def test_canonical_form_is_the_wikis_own_format_only() -> None:
    from parsers.timestamps import is_canonical

    assert is_canonical("14:18, 31 July 2019 (UTC)")
    assert not is_canonical("14:18, 31 Jul 2019 (UTC)")  # readable, but not what MediaWiki writes
    assert not is_canonical("31 July 2019 14:18 (UTC)")
    assert is_canonical("26 octobre 2004 à 10:00 (CEST)", "fr")
    assert not is_canonical("25 oct 2004 à 18:26 (CEST)", "fr")
    assert not is_canonical("14:18, 31 July 2019 (UTC)", "no-such-language")
