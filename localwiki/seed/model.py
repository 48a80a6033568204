"""Page histories for seeding, and their MediaWiki XML export form.

A talk page is written as *blocks* in final page order, each tagged with the
*step* (one revision: an author and an age) that added it.  Revision k is the
concatenation of the blocks of steps 0..k, so an inline reply is simply a
block placed under the bullet it answers with a later step.  Markers in a
block become that step's signature, which keeps signature timestamps equal to
revision timestamps (to the minute) by construction:

``~SIG~``       ``[[User:X|X]] ([[User talk:X|talk]]) 09:14, 3 October 2026 (UTC)``
``~SIGNAME:Y~`` the same with a different link label ``Y``
``~UNSIGNED~``  ``{{unsigned|X|09:14, 3 October 2026 (UTC)}}``
``~TIME~``      the timestamp alone
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

NAMESPACES = {0: "", 2: "User", 3: "User talk", 10: "Template", 200: "Grants", 201: "Grants talk"}


@dataclass(frozen=True)
class Step:
    """One revision: who saved it and how long before ``now``."""

    author: str
    days_ago: float
    summary: str = ""


@dataclass(frozen=True)
class PageSpec:
    """A page as blocks tagged with the step that added each of them."""

    title: str
    steps: tuple[Step, ...]
    blocks: tuple[tuple[int, str], ...]
    notes: str = ""  # what this page exercises, for people reading the fixtures


@dataclass(frozen=True)
class Revision:
    author: str
    timestamp: datetime
    text: str
    summary: str


@dataclass(frozen=True)
class PageHistory:
    title: str
    revisions: tuple[Revision, ...] = field(default=())

    @property
    def namespace(self) -> int:
        prefix, sep, _ = self.title.partition(":")
        if sep:
            for number, name in NAMESPACES.items():
                if name and name == prefix:
                    return number
        return 0


def signature_time(when: datetime) -> str:
    """MediaWiki's default signature timestamp (English, UTC)."""
    return f"{when:%H:%M}, {when.day} {when:%B %Y} (UTC)"


def step_time(now: datetime, step: Step, index: int) -> datetime:
    """The step's minute, plus a few seconds so revisions look typed, not scripted."""
    when = now - timedelta(days=step.days_ago)
    return when.replace(second=(7 + 11 * index) % 50, microsecond=0)


def _render_block(text: str, author: str, when: datetime) -> str:
    stamp = signature_time(when)
    link = f"[[User:{author}|{author}]] ([[User talk:{author}|talk]]) {stamp}"
    text = text.replace("~SIG~", link)
    text = text.replace("~UNSIGNED~", f"{{{{unsigned|{author}|{stamp}}}}}")
    text = text.replace("~TIME~", stamp)
    while "~SIGNAME:" in text:
        start = text.index("~SIGNAME:")
        end = text.index("~", start + 9)
        label = text[start + 9 : end]
        text = (
            text[:start]
            + f"[[User:{author}|{label}]] ([[User talk:{author}|talk]]) {stamp}"
            + text[end + 1 :]
        )
    return text


def build_history(spec: PageSpec, now: datetime) -> PageHistory:
    """Turn a spec into revisions; raises ValueError on steps out of order."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(timezone.utc)
    times = [step_time(now, step, i) for i, step in enumerate(spec.steps)]
    if any(later <= earlier for earlier, later in zip(times, times[1:])):
        raise ValueError(f"{spec.title}: steps must go forward in time")
    if any(not 0 <= step < len(spec.steps) for step, _ in spec.blocks):
        raise ValueError(f"{spec.title}: a block names a step that does not exist")
    rendered = [
        (step, _render_block(text, spec.steps[step].author, times[step]))
        for step, text in spec.blocks
    ]
    revisions = []
    for index, step in enumerate(spec.steps):
        text = "".join(block for block_step, block in rendered if block_step <= index)
        summary = step.summary or ("new section" if index == 0 else "reply")
        revisions.append(Revision(step.author, times[index], text.strip("\n") + "\n", summary))
    return PageHistory(spec.title, tuple(revisions))


def export_xml(pages: list[PageHistory]) -> str:
    """A MediaWiki XML dump (export-0.11) that importDump.php accepts."""
    out = [
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">',
        "<siteinfo><sitename>Grants Local Wiki</sitename><dbname>wiki</dbname>",
        "<base>http://127.0.0.1/index.php/Main_Page</base><generator>grantbot seed</generator>",
        '<case>first-letter</case><namespaces>',
    ]
    for number, name in NAMESPACES.items():
        out.append(f'<namespace key="{number}" case="first-letter">{escape(name)}</namespace>')
    out.append("</namespaces></siteinfo>")
    revid = 0
    for page_number, page in enumerate(pages, start=1):
        out.append(
            f"<page><title>{escape(page.title)}</title><ns>{page.namespace}</ns>"
            f"<id>{page_number}</id>"
        )
        for rev in page.revisions:
            revid += 1
            out.append(
                f"<revision><id>{revid}</id>"
                f"<timestamp>{rev.timestamp:%Y-%m-%dT%H:%M:%SZ}</timestamp>"
                f"<contributor><username>{escape(rev.author)}</username></contributor>"
                f"<comment>{escape(rev.summary)}</comment>"
                "<model>wikitext</model><format>text/x-wiki</format>"
                f'<text xml:space="preserve" bytes="{len(rev.text.encode())}">'
                f"{escape(rev.text)}</text></revision>"
            )
        out.append("</page>")
    out.append("</mediawiki>\n")
    return "\n".join(out)


def authors(pages: list[PageHistory]) -> tuple[str, ...]:
    return tuple(sorted({rev.author for page in pages for rev in page.revisions}))
