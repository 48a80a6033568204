"""A comment written as one very long line is read exactly like the same text
in short pieces (correctness only; the speed figure is bench/long_line.py's)."""

from __future__ import annotations

from parsers.analysis import analyse_talk_page
from parsers.items import cosigners
from parsers.signatures import find_signatures
from parsers.text import split_sentences
from parsers.threads import parse_talk_page

# Sentences whose full stops are traps: abbreviations, a list number, dots inside a link.
SENTENCES = ("The hall for meeting {n} was cheaper e.g. in spring.",
             "Why did line {n} grow?",
             "Dr. Okafor checked [[Grants:Example/Report.{n}|the file v.{n}]] twice!",
             "We printed {n} flyers etc. for the fair.")


def _line(count: int) -> tuple[str, list[str]]:
    pieces = [SENTENCES[n % len(SENTENCES)].format(n=n) for n in range(count)]
    return " ".join(pieces), pieces


def test_sentences_of_a_long_line_are_the_pieces_it_was_made_of() -> None:
    line, pieces = _line(4000)
    sentences = split_sentences(line, base=10)
    assert [s.raw for s in sentences] == pieces
    assert all(line[s.start - 10:s.end - 10] == s.raw for s in sentences)


def test_numbered_marker_after_a_long_run_of_text_still_counts() -> None:
    line, _ = _line(2000)
    sentences = split_sentences(line + " Our goals: 1. Venue booked. Then 2. came late.")
    assert [s.raw for s in sentences[-3:]] == ["Our goals: 1. Venue booked.", "Then 2.", "came late."]


def _signed_line(count: int) -> str:
    """One line: mentions far from any timestamp, then many co-signed signatures."""
    parts = []
    for n in range(count):
        parts.append(f"Thanks to [[User:Helper {n % 7}|Helper {n % 7}]] for the photos of day {n}, "
                     "which went to Commons after the usual checks by the whole team of volunteers.")
        parts.append(f"[[User:Ana {n % 3}|Ana]] and [[User:Ben {n % 5}|Ben]] 10:{n % 60:02d}, "
                     f"{1 + n % 28} May 2024 (UTC)")
    return " ".join(parts)


def test_every_signature_of_a_long_line_is_found_with_its_author() -> None:
    count = 1500
    text = "== Days ==\n" + _signed_line(count) + "\n"
    sigs = find_signatures(text)
    assert len(sigs) == count
    assert [s.user for s in sigs] == [f"Ben {n % 5}" for n in range(count)]
    assert [s.timestamp.minute for s in sigs] == [n % 60 for n in range(count)]


def test_cosigners_of_a_long_line_keep_the_chained_links_only() -> None:
    page = parse_talk_page("== Days ==\n" + _signed_line(600) + "\n")
    (comment,) = page.comments
    names = cosigners(page, comment)
    assert set(names) == {f"Ana {i}" for i in range(3)} | {f"Ben {i}" for i in range(5)}
    assert not any(n.startswith("Helper") for n in names)  # mentions far from a signature do not sign


def test_analysis_of_a_long_line_equals_the_analysis_of_its_short_form() -> None:
    """The same reviewer comment, once with 3 sentences and once padded to ~200 KB
    with statements, gives the same items (the padding asks nothing)."""
    asks = "Could you upload the receipts for the fair? Please add the attendance list."
    padding = " ".join(f"The stand on day {n} had visitors from the school." for n in range(4000))
    template = ("== Review ==\n{body} [[User:Mara (WMF)|Mara (WMF)]] 09:00, 1 June 2024 (UTC)\n"
                ":I will add both next week. [[User:Tomasz|Tomasz]] 10:00, 2 June 2024 (UTC)\n")
    short = analyse_talk_page(template.format(body=asks), reviewers=("Mara (WMF)",), grantees=("Tomasz",))
    long = analyse_talk_page(template.format(body=padding + " " + asks), reviewers=("Mara (WMF)",),
                             grantees=("Tomasz",))
    assert len(long.items) == len(short.items) >= 1
    assert [(i.kind, i.status, i.asked_by, i.commitment) for i in long.items] == \
        [(i.kind, i.status, i.asked_by, i.commitment) for i in short.items]
    assert all(i.text.endswith(j.text) for i, j in zip(long.items, short.items))
