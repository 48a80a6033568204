"""Signatures: a user link followed closely by a timestamp, or an unsigned template.

Why these rules: they are DiscussionTools' (the reference parser behind
MediaWiki's reply tool), applied to wikitext.  The author is the user whose
link comes last before the timestamp; the link must be close to it (a short
scan limit, counted in rendered characters, so long signature markup does
not count against it); links to user subpages do not sign.  Timestamps with
no user link nearby are not signatures (they are usually quoted dates).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from parsers.lines import mask_text, parse_lines
from parsers.model import Line, LineKind, Signature
from parsers.timestamps import TimestampMatch, find_timestamps, language_data

SCAN_LIMIT = 100  # rendered characters between the user link and the timestamp
UNSIGNED_TEMPLATES = ("unsigned", "unsigned2", "unsignedip", "unsignedip2", "unsigned-ip",
                      "unsigned ip", "unsigned3", "non signé", "non signe", "nonsigné", "nonsigne",
                      "non firmato", "nf", "sin firma", "no firmado", "niepodpisany", "unsigniert",
                      "não assinado", "nao assinado")
_TAG = re.compile(r"<[^<>]*>")
_DATE_ONLY = re.compile(r"^\W*(?:\d{1,2}\W+\w+\.?\W+\d{4}|\d{4}-\d\d-\d\d|\w+\.?\s+\d{1,2},?\s+\d{4})\W*$")
_LINK_LABEL = re.compile(r"\[\[[^\[\]|]*\|([^\[\]]*)\]\]|\[\[([^\[\]|]*)\]\]")
# Up to two interwiki prefixes ("[[:m:User:X]]", "[[w:en:User:X]]"): staff and
# global accounts sign with links to their Meta pages, and DiscussionTools
# reads any link to a user page as a signature, wherever the page lives.
_INTERWIKI = r"(?P<iw>(?:[a-z][a-z0-9-]{0,19}[ _]*:[ _]*){0,2}?)"
_EXT_LINK = re.compile(r"\[(?:https?:)?//[^\s\]]*\s*([^\]]*)\]")


@dataclass(frozen=True)
class UserLink:
    start: int
    end: int
    user: str
    label: str | None
    user_page: bool  # a link to the user page itself (its label is the display name)
    foreign: bool = False  # a link to another wiki's user page ("[[:m:User:X]]")


_NAME_BLANKS = re.compile(r"[\s\u200e\u200f]+")


def normalise_user(name: str) -> str:
    """Account name as MediaWiki stores it: spaces, first letter upper-cased."""
    name = html.unescape(unquote(name)).replace("_", " ")
    name = _NAME_BLANKS.sub(" ", name).strip()
    return name[:1].upper() + name[1:] if name else name


def _ns_pattern(names: tuple[str, ...]) -> str:
    names = tuple(sorted({n for n in names if n}, key=len, reverse=True))
    return "|".join(re.escape(n).replace(r"\ ", "[ _]+") for n in names)


@lru_cache(maxsize=64)
def _link_regex(lang: str, extra_user: tuple[str, ...] = ()) -> re.Pattern[str]:
    data = language_data(lang)
    en = language_data("en")
    user = _ns_pattern(data.user_namespaces + en.user_namespaces + extra_user)
    talk = _ns_pattern(data.user_talk_namespaces + en.user_talk_namespaces
                       + tuple(f"{t} talk" for t in extra_user))
    special = _ns_pattern(data.special_namespaces + en.special_namespaces)
    contribs = _ns_pattern(data.contributions + en.contributions)
    return re.compile(
        r"\[\[[ _]*:?[ _]*" + _INTERWIKI + r"(?:(?P<ns>" + user + "|" + talk + r")[ _]*:[ _]*(?P<name>[^\[\]|#/\n{}<>]+?)"
        r"|(?:" + special + r")[ _]*:[ _]*(?:" + contribs + r")/(?P<contrib>[^\[\]|#\n{}<>]+?))"
        r"[ _]*(?:#[^\[\]|\n]*)?(?:\|(?P<label>[^\[\]\n]*))?\]\]",
        re.IGNORECASE,
    )


@lru_cache(maxsize=4)
def _template_regex() -> re.Pattern[str]:
    names = "|".join(re.escape(n).replace(r"\ ", "[ _]+") for n in sorted(UNSIGNED_TEMPLATES, key=len, reverse=True))
    return re.compile(r"\{\{\s*(?:template\s*:\s*)?(?:" + names + r")\s*\|(?P<params>[^{}\n]*)\}\}", re.IGNORECASE)


@lru_cache(maxsize=64)
def _user_ns(lang: str, extra_user: tuple[str, ...]) -> frozenset[str]:
    names = language_data(lang).user_namespaces + language_data("en").user_namespaces + extra_user
    return frozenset(re.sub(r"[ _]+", " ", n).casefold() for n in names)


def find_user_links(text: str, lang: str = "en", start: int = 0, end: int | None = None,
                    extra_user_namespaces: tuple[str, ...] = ()) -> list[UserLink]:
    """User, user-talk and contributions links in ``text[start:end]``."""
    links: list[UserLink] = []
    for m in _link_regex(lang, extra_user_namespaces).finditer(text, start, len(text) if end is None else end):
        name = m.group("name") or m.group("contrib") or ""
        user = normalise_user(name)
        if not user:
            continue
        label = m.group("label")
        user_page = bool(m.group("ns")) and m.group("ns").replace("_", " ").strip().casefold() in _user_ns(lang, extra_user_namespaces)
        links.append(UserLink(m.start(), m.end(), user, label.strip() if label else None, user_page,
                              foreign=bool(m.group("iw"))))
    return links


def rendered_length(wikitext: str) -> int:
    """Rough length of ``wikitext`` once rendered: tags and link targets removed."""
    text = _TAG.sub("", wikitext)
    text = _LINK_LABEL.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    text = _EXT_LINK.sub(r"\1", text)
    return len(text.replace("'''", "").replace("''", ""))


def _display(link: UserLink) -> str | None:
    if not link.label or not link.user_page:
        return None
    label = normalise_user(rendered_text(link.label))
    return label if label and label != link.user else None


def rendered_text(wikitext: str) -> str:
    text = _TAG.sub("", wikitext)
    text = _LINK_LABEL.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    return text.replace("'''", "").replace("''", "").strip()


def _template_param(value: str, lang: str, tz: str) -> tuple[TimestampMatch | None, str | None]:
    """What one parameter of an unsigned template gives: a timestamp, a user, or both.

    Both in one parameter is how a page history line is pasted
    ("08:33, 13 nov 2020 Some User"); a bare date ("14 nov 2020") is neither.
    """
    stamp = next((t for t in find_timestamps(value, lang, tz, require_zone=False) if t.value is not None), None)
    rest = value if stamp is None else value[:stamp.start] + " " + value[stamp.end:]
    rest = rest.strip(" \t\u200e\u200f,;-–—")
    if not rest or rest.isdigit() or _DATE_ONLY.match(rest):
        return stamp, None
    return stamp, normalise_user(rest)


def _template_signatures(masked: str, line: Line, lang: str, tz: str) -> list[Signature]:
    sigs: list[Signature] = []
    for m in _template_regex().finditer(masked, line.start, line.end):
        user: str | None = None
        when = None
        when_text = None
        for raw in m.group("params").split("|"):
            key, eq, value = raw.partition("=")
            if eq and key.strip() not in ("1", "2", "user", "date", "utilisateur"):
                continue
            value = (value if eq else raw).strip()
            if not value:
                continue
            stamp, named = _template_param(value, lang, tz)
            if stamp is not None and when is None:
                when, when_text = stamp.value, stamp.text
            if named and user is None:
                user = named
        if user:
            sigs.append(Signature(user=user, display=None, timestamp=when, timestamp_text=when_text,
                                  start=m.start(), end=m.end(), line=line.number, source="template"))
    return sigs


def _link_signature(stamp: TimestampMatch, links: list[UserLink], lo: int, hi: int, masked: str,
                    line: Line) -> Signature | None:
    """The signature ending with ``stamp``: the closest user link before it, within the limit.

    ``links[lo:hi]`` are the links after the previous timestamp and before
    this one (found by bisection, so a line with thousands of links and
    timestamps costs no more than its length).
    """
    if hi <= lo:
        return None
    last = links[hi - 1]
    if rendered_length(masked[last.end:stamp.start]) > SCAN_LIMIT:
        return None
    first = last
    for k in range(hi - 2, lo - 1, -1):  # the same user's other links belong to the signature
        ln = links[k]
        if ln.user != last.user or rendered_length(masked[ln.end:first.start]) > SCAN_LIMIT:
            break
        first = ln
    return Signature(user=last.user, display=_display(first) or _display(last), timestamp=stamp.value,
                     timestamp_text=stamp.text, start=first.start, end=stamp.end, line=line.number)


_TRAILER = re.compile(r"^(?:\s|\(|\)|[|•·—–\-.,;:!?]|'''?|</?(?:small|sup|sub|span|font|b|i|big|s)\b[^<>]*>"
                      r"|\{\{[^{}]*\}\}|<br\s*/?>)*$", re.IGNORECASE)


def _untimed_signature(links: list[UserLink], masked: str, line: Line,
                       lines_after: Line | None) -> Signature | None:
    """A user link closing a paragraph with no timestamp: an undated signature.

    A link to another wiki's user page does not count here: with no
    timestamp, it is more often a credit ("Author: [[:m:User:X]]") than a
    signature.
    """
    if not links or links[-1].foreign:
        return None
    last = links[-1]
    if not _TRAILER.match(masked[last.end:line.end]):
        return None
    first = last
    for ln in reversed(links[:-1]):
        if ln.user != last.user or rendered_length(masked[ln.end:first.start]) > 30:
            break
        first = ln
    before = rendered_text(masked[line.start + len(line.prefix):first.start])
    if len(before) < 12 or before.rstrip().endswith((",", "by", "to", "@", "cc", "ping")):
        return None  # a list of names or a mention, not a signed paragraph
    if lines_after is not None and lines_after.kind not in (LineKind.BLANK, LineKind.HEADING) \
            and lines_after.depth <= line.depth and lines_after.prefix[:1] == line.prefix[:1] \
            and lines_after.kind == line.kind and not line.prefix:
        return None  # the paragraph goes on: a mid-paragraph mention
    return Signature(user=last.user, display=_display(first) or _display(last), timestamp=None,
                     timestamp_text=None, start=first.start, end=last.end, line=line.number)


_TERM_SKIP = re.compile(r"\[\[[^\[\]]*\]\]|<[^<>]*>|\{\{[^{}]*\}\}")


def _outside_term_split(stamps: list[TimestampMatch], masked: str, line: Line) -> list[TimestampMatch]:
    """On a ``;term`` line the wiki cuts term from definition at the first colon.

    A timestamp holding that colon ("10:25, ...") is cut in two on the
    rendered page: no signature (DiscussionTools does not see one either).
    """
    content = masked[line.start + len(line.prefix):line.end]
    hidden = _TERM_SKIP.sub(lambda m: " " * len(m.group(0)), content)  # colons in links and tags stay
    colon = hidden.find(":")
    if colon < 0:
        return stamps
    at = line.start + len(line.prefix) + colon
    return [t for t in stamps if not t.start <= at < t.end]


def _timed_signatures(stamps: list[TimestampMatch], links: list[UserLink], templates: list[Signature],
                      masked: str, line: Line) -> list[Signature]:
    """The link signatures a line's timestamps close, skipping those inside unsigned templates.

    Everything is walked in order with bisection and a moving pointer, so a
    single line of a megabyte with thousands of links costs about its length.
    """
    found: list[Signature] = []
    starts = [ln.start for ln in links]
    ends = [ln.end for ln in links]  # links never overlap: their ends are sorted too
    floor = line.start
    t = 0
    for stamp in stamps:
        while t < len(templates) and templates[t].end <= stamp.start:
            t += 1
        if t < len(templates) and templates[t].start <= stamp.start:
            continue  # the timestamp of an unsigned template
        sig = _link_signature(stamp, links, bisect_left(starts, floor), bisect_right(ends, stamp.start),
                              masked, line)
        if sig is not None:
            found.append(sig)
        floor = stamp.end
    return found


def find_signatures(text: str, lines: tuple[Line, ...] | None = None, lang: str = "en", tz: str = "UTC",
                    *, masked: str | None = None, undated: bool = True,
                    extra_user_namespaces: tuple[str, ...] = ()) -> tuple[Signature, ...]:
    """Every signature on the page, in document order (headings are skipped)."""
    if masked is None:
        masked = mask_text(text)
    if lines is None:
        lines = parse_lines(text, masked)
    found: list[Signature] = []
    for idx, line in enumerate(lines):
        if line.kind in (LineKind.BLANK, LineKind.HEADING) or line.end - line.start < 8:
            continue
        segment = masked[line.start:line.end]
        has_link_hint = "[[" in segment
        if not has_link_hint and "{{" not in segment:
            continue
        stamps = find_timestamps(masked, lang, tz, start=line.start, end=line.end)
        if line.prefix.endswith(";"):
            stamps = _outside_term_split(stamps, masked, line)
        links = find_user_links(masked, lang, line.start, line.end, extra_user_namespaces) if has_link_hint else []
        templates = _template_signatures(masked, line, lang, tz) if "{{" in segment else []
        line_sigs = templates + _timed_signatures(stamps, links, templates, masked, line)
        if not stamps and not line_sigs and undated:
            nxt = lines[idx + 1] if idx + 1 < len(lines) else None
            sig = _untimed_signature(links, masked, line, nxt)
            if sig is not None:
                line_sigs.append(sig)
        found.extend(sorted(line_sigs, key=lambda s: s.start))
    return tuple(found)
