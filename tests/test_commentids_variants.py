"""Comment ids on wikis with script variants, and comments DiscussionTools does not see.

The pages below are written for these tests: a small Serbian discussion
stored in Cyrillic and the same discussion as a reader of the Latin variant
sees it (labels and text converted, link targets not).
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from jobs.cli import cli
from parsers.commentids import id_at, thread_ids
from parsers.threads import parse_talk_page
from parsers.variants import convert, converter, shown_variant, stored_title

TZ = "Europe/Belgrade"

CYRILLIC = """== Грешка у шаблону ==
Шаблон за заставу не ради. [[Корисник:Петар Петровић|Петар Петровић]] 14:11, 15. јануар 2018. (CET)
:Поправљено је. [[Корисник:Љиљана|Љиљана]] 15:20, 15. јануар 2018. (CET)
::Хвала! [[Корисник:Петар Петровић|Петар Петровић]] 16:00, 15. јануар 2018. (CET)

== [[Њујорк]] ==
Чланак треба слику. [[Корисник:Џон|Џон]] 10:00, 16. јануар 2018. (CET)

== Weekly wiki news ==
New tools this week. [[Корисник:Newsbot|Newsbot]] 09:00, 17. јануар 2018. (CET)
"""

LATIN = """== Greška u šablonu ==
Šablon za zastavu ne radi. [[Корисник:Петар Петровић|Petar Petrović]] 14:11, 15. januar 2018. (CET)
:Popravljeno je. [[Корисник:Љиљана|Ljiljana]] 15:20, 15. januar 2018. (CET)
::Hvala! [[Корисник:Петар Петровић|Petar Petrović]] 16:00, 15. januar 2018. (CET)

== [[Њујорк|Njujork]] ==
Članak treba sliku. [[Корисник:Џон|Džon]] 10:00, 16. januar 2018. (CET)

== Weekly wiki news ==
New tools this week. [[Корисник:Newsbot|Newsbot]] 09:00, 17. januar 2018. (CET)
"""


def test_serbian_table_converts_both_ways_with_digraphs() -> None:
    sr = converter("sr")
    assert sr is not None and converter("sr-ec") is sr and converter("en") is None
    assert convert("Љиљана и Џон у Њујорку", sr, "sr-el") == "Ljiljana i Džon u Njujorku"
    assert convert("Ljiljana i Džon u NJUJORKU", sr, "sr-ec") == "Љиљана и Џон у ЊУЈОРКУ"
    assert convert("Poglavlje XIV", sr, "sr-ec") == "Поглавље XIV"  # Roman numerals are left alone


def test_a_converted_copy_is_told_from_stored_text_by_its_links() -> None:
    assert shown_variant(LATIN, "sr") == "sr-el"
    assert shown_variant(CYRILLIC, "sr") is None  # labels in their targets' own script
    assert shown_variant(LATIN, "hr") is None  # no converter, nothing to guess


def test_headings_go_back_to_the_stored_script() -> None:
    assert stored_title("Greška u šablonu", "sr", "sr-el") == "Грешка у шаблону"
    assert stored_title("[[Њујорк|Njujork]]", "sr", "sr-el") == "[[Њујорк]]"  # the label was the conversion
    assert stored_title("[[Њујорк|Grad]] danas", "sr", "sr-el") == "[[Њујорк|Град]] данас"
    # a "w" cannot come out of Cyrillic, nor can a camel-case name: written in Latin
    assert stored_title("Weekly wiki news", "sr", "sr-el") == "Weekly wiki news"
    assert stored_title("Alat HotCat", "sr", "sr-el") == "Alat HotCat"
    assert stored_title("Greška u šablonu", "sr", None) == "Greška u šablonu"  # stored text: as it is
    # no Serbian word lacks both vowels and "r": an abbreviation typed in Latin (one-letter words convert)
    assert stored_title("Slika u svg formatu s ljudima", "sr", "sr-el") == "Слика у svg формату с људима"


def test_the_latin_copy_gets_the_ids_of_the_stored_page() -> None:
    stored = thread_ids(parse_talk_page(CYRILLIC, "sr", TZ), TZ, "sr")
    copy = thread_ids(parse_talk_page(LATIN, "sr", TZ), TZ, "sr", "sr-el")
    assert stored.comments[0] == "c-Петар_Петровић-2018-01-15T13:11:00.000Z-Грешка_у_шаблону"
    assert copy.comments == stored.comments and copy.headings == stored.headings
    as_is = thread_ids(parse_talk_page(LATIN, "sr", TZ), TZ, "sr")
    assert as_is.comments[0] != stored.comments[0]  # read as stored text, the copy's anchors differ


def test_threads_cli_detects_the_variant_and_refuses_an_unknown_one() -> None:
    result = CliRunner().invoke(cli, ["threads", "-", "--lang", "sr", "--tz", TZ, "--json"], input=LATIN)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["comments"][3]["id"] == "c-Џон-2018-01-16T09:00:00.000Z-Њујорк"
    stored = CliRunner().invoke(cli, ["threads", "-", "--lang", "sr", "--tz", TZ, "--json",
                                      "--variant", "stored"], input=LATIN)
    assert json.loads(stored.output)["comments"][3]["id"] == "c-Џон-2018-01-16T09:00:00.000Z-Njujork"
    wrong = CliRunner().invoke(cli, ["threads", "-", "--lang", "en", "--variant", "sr-el"], input=LATIN)
    assert wrong.exit_code != 0 and "--variant sr-el" in wrong.output


def test_unpadded_hour_is_not_seen_and_its_text_opens_the_next_comment() -> None:
    """DiscussionTools writes "07:49"; a hand-typed "7:49" is text to it, part of the next comment."""
    page = parse_talk_page(
        "== Sources ==\nA question. [[Utilisateur:Alba]] 14 novembre 2013 à 23:19 (CET)\n"
        ":A reply typed by hand. [[Utilisateur:Bruno]] 15 novembre 2013 à 7:49 (CET)\n"
        "::Signed properly. [[Utilisateur:Alba]] 15 novembre 2013 à 22:13 (CET)\n"
        ":::And an answer to that. [[Utilisateur:Chloé]] 15 novembre 2013 à 22:30 (CET)\n",
        "fr", "Europe/Paris")
    ids = thread_ids(page, "Europe/Paris", "fr")
    assert ids.comments[1] is None
    # Alba's second comment starts at Bruno's line (level 2): a reply to her first one ...
    assert ids.comments[2] == "c-Alba-2013-11-15T21:13:00.000Z-Alba-2013-11-14T22:19:00.000Z"
    # ... and Chloé answers it, not the comment DiscussionTools never saw
    assert ids.comments[3] == "c-Chloé-2013-11-15T21:30:00.000Z-Alba-2013-11-15T21:13:00.000Z"
    text = page.text
    assert id_at(page, ids, text.index("typed by hand")) == ids.comments[2]


def test_a_paragraph_opening_with_an_inline_icon_is_one_comment_per_author() -> None:
    """An icon shown inline starts a paragraph; one person's two signatures in it are one comment."""
    text = ("== Bot down ==\n"
            "[[File:Clock icon.svg|14px]] Still waiting, bumped. [[User:Waiting Person]] 02:00, 19 July 2019 (UTC)\n"
            "The bot stopped in April; any idea why? [[User:Waiting Person]] 13:00, 8 July 2019 (UTC)\n"
            ":Looking into it. [[User:Helper]] 18:00, 8 July 2019 (UTC)\n")
    page = parse_talk_page(text)
    assert len(page.comments) == 2
    ids = thread_ids(page)
    assert ids.comments[1] == "c-Helper-2019-07-08T18:00:00.000Z-Waiting_Person-2019-07-19T02:00:00.000Z"
    framed = text.replace("|14px]]", "|thumb|A clock]]")  # a framed image is a block of its own
    assert len(parse_talk_page(framed).comments) == 3
