"""DiscussionTools' comment and heading ids, recomputed from the thread structure."""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings

from parsers.commentids import (anchor, goto_comment_target, id_at, page_anchors, thread_ids, timestamp_part,
                                truncate_for_id)
from parsers.threads import parse_talk_page
from test_parsers_fuzz import TEXT

PAGE = """Opening words before any heading. [[User:Early Bird]] 08:00, 1 May 2020 (UTC)

== Budget and [[Grants:Example|the plan]] ==
Could you explain the '''travel''' line? [[User:Officer (WMF)|Officer]] 09:00, 1 May 2020 (UTC)
:We used it for two trips. [[User:Lead grantee]] 10:00, 1 May 2020 (UTC)
::Thanks. [[User:Officer (WMF)|Officer]] 11:00, 1 May 2020 (UTC)

=== Receipts ===
Where are they? [[User:Officer (WMF)]] 12:00, 2 May 2020 (UTC)
"""


def test_ids_name_author_time_and_parent() -> None:
    page = parse_talk_page(PAGE)
    ids = thread_ids(page)
    assert ids.comments == (
        "c-Early_Bird-2020-05-01T08:00:00.000Z",
        "c-Officer_(WMF)-2020-05-01T09:00:00.000Z-Budget_and_the_plan",
        "c-Lead_grantee-2020-05-01T10:00:00.000Z-Officer_(WMF)-2020-05-01T09:00:00.000Z",
        "c-Officer_(WMF)-2020-05-01T11:00:00.000Z-Lead_grantee-2020-05-01T10:00:00.000Z",
        "c-Officer_(WMF)-2020-05-02T12:00:00.000Z-Receipts",
    )
    # a heading: its anchor, its parent section's anchor, then the oldest comment under it
    assert ids.headings == ("h-Budget_and_the_plan-2020-05-01T09:00:00.000Z",
                            "h-Receipts-Budget_and_the_plan-2020-05-02T12:00:00.000Z")
    assert set(ids.comments_legacy) == {None}


def test_timestamp_format_changed_in_july_2022_in_the_wikis_zone() -> None:
    late_evening = datetime(2022, 7, 11, 23, 0, tzinfo=timezone.utc)  # already 12 July in Berlin
    assert timestamp_part(late_evening) == "2022-07-11T23:00:00.000Z"
    assert timestamp_part(late_evening, "Europe/Berlin") == "20220711230000"


def test_repeated_ids_get_numbers() -> None:
    same = "Same words. [[User:Twin]] 10:00, 1 May 2020 (UTC)\n"
    page = parse_talk_page("== T ==\n" + same + "\n" + same + "\n" + same)
    assert thread_ids(page).comments == ("c-Twin-2020-05-01T10:00:00.000Z-T",
                                         "c-Twin-2020-05-01T10:00:00.000Z-T-1",
                                         "c-Twin-2020-05-01T10:00:00.000Z-T-2")


def test_reply_to_an_undated_comment_names_the_dated_one_above() -> None:
    page = parse_talk_page("== T ==\nQuestion? [[User:Asker]] 10:00, 1 May 2020 (UTC)\n"
                           ":An answer signed without a date, like this one. [[User:Quiet]]\n"
                           "::Thanks! [[User:Asker]] 11:00, 1 May 2020 (UTC)\n")
    ids = thread_ids(page)
    assert ids.comments[1] is None  # DiscussionTools does not see an undated signature
    assert ids.comments[2] == "c-Asker-2020-05-01T11:00:00.000Z-Asker-2020-05-01T10:00:00.000Z"


def test_anchors_as_mediawiki_makes_them() -> None:
    assert anchor("[[Main Page|Home]] and ''[[Help]]'' <span id=\"x\">now</span> &amp; then") == \
        "Home_and_Help_now_&_then"
    assert anchor("  spaced   out\u00a0title ") == "spaced_out_title"
    # repeated titles, compared without case, get _2, _3
    assert page_anchors(["Notes", "notes", "Notes", "Notes_2"]) == ["Notes", "notes_2", "Notes_3", "Notes_2_2"]


def test_long_parts_are_cut_at_80_bytes_and_the_legacy_form_keeps_underscores() -> None:
    title = "é" * 39 + "x_tail"  # 78 bytes of "é", "x", then "_" as the 80th byte
    assert truncate_for_id(anchor(title)) == "é" * 39 + "x"
    assert truncate_for_id(anchor(title), legacy=True) == "é" * 39 + "x_"
    assert truncate_for_id("a" + "é" * 40) == "a" + "é" * 39  # never half a character
    page = parse_talk_page(f"== {title} ==\nHi. [[User:A]] 10:00, 1 May 2020 (UTC)\n")
    ids = thread_ids(page)
    assert ids.comments[0] == "c-A-2020-05-01T10:00:00.000Z-" + "é" * 39 + "x"
    assert ids.comments_legacy[0] == "c-A-2020-05-01T10:00:00.000Z-" + "é" * 39 + "x_"


def test_goto_comment_link_target() -> None:
    assert goto_comment_target("c-A-20220720010100-T") == "Special:GoToComment/c-A-20220720010100-T"
    for unlinkable in ("c-A-2020-05-01T10:00:00.000Z-Why_[this]?", "c-A-1-x#y", "c-A-1-100%25", None, ""):
        assert goto_comment_target(unlinkable) is None


@settings(max_examples=2_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_ids_never_raise_and_never_repeat(text: str) -> None:
    page = parse_talk_page(text)
    ids = thread_ids(page, "Europe/Paris")
    assert len(ids.comments) == len(page.comments) and len(ids.headings) == len(page.headings)
    current = [i for i in ids.comments + ids.headings if i is not None]
    assert len(current) == len(set(current))
    assert all(i.startswith("c-") for i in ids.comments if i) and all(i.startswith("h-") for i in ids.headings)


def test_only_timestamps_in_the_wikis_own_format_get_an_id() -> None:
    """An old abbreviated month is read as a comment, but DiscussionTools does not see it: no id."""
    page = parse_talk_page("== Liens ==\nUn lien. [[Utilisateur:Ancien]] 25 oct 2004 à 18:26 (CEST)\n"
                           ":Merci. [[Utilisateur:Récent]] 26 octobre 2004 à 10:00 (CEST)\n", "fr", "Europe/Paris")
    assert [c.author for c in page.comments] == ["Ancien", "Récent"]
    ids = thread_ids(page, "Europe/Paris", "fr")
    assert ids.comments == (None, "c-Récent-2004-10-26T08:00:00.000Z-Liens")
    assert ids.headings == ("h-Liens-2004-10-26T08:00:00.000Z",)  # its oldest comment is the one it sees


def test_template_link_in_a_heading_shows_the_template_name() -> None:
    assert anchor("Use {{tl|Done}} here") == "Use_{{Done}}_here"


def test_id_of_the_comment_holding_an_offset() -> None:
    page = parse_talk_page(PAGE)
    ids = thread_ids(page)
    question = PAGE.index("travel")
    assert id_at(page, ids, question) == ids.comments[1]
    assert id_at(page, ids, PAGE.index("== Budget")) is None  # a heading is no comment
    assert id_at(page, ids, len(PAGE) + 5) is None
