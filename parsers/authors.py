"""Who wrote each line of a talk page: signed comments, plain-text signatures, cut or unsigned text.

Why a stage of its own: the thread stage follows DiscussionTools (a comment
runs from the end of the previous one to its signature), which is right for
well-signed pages but gives the wrong author when a reviewer's text has no
linked signature.  Four corrections, each a thing a careful reader does:

* a signature written as plain text ("Alex Wang (WMF) (talk) 18:58, ...")
  still closes its writer's text;
* a signed line indented deeper than the line just above it is a reply to
  that line, so the lines above are someone else's unsigned text;
* an unsigned sub-bullet that answers the bullet above it ("* Can you add X?"
  then "** Added, ...") inside a reviewer's signed list is the grantee's
  inline answer, so it is left unowned;
* the older-comment rule: a line inside a comment whose later, shallower
  signature is older belongs to that older comment (an inline reply was
  signed inside it).

Lines nobody signed stay unowned here; :mod:`parsers.sides` decides by
context whose they are.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from parsers.asks import Ask, classify
from parsers.model import Comment, LineKind, Signature, TalkPage
from parsers.sides import greets, opens_like_reply
from parsers.text import fold, strip_markup
from parsers.timestamps import find_timestamps

# A plain-text signature: a name, an optional "(WMF …)" part, then "talk" and the timestamp.
_PLAIN_SIG = re.compile(
    r"(?:^|[\s,;:!.—–-])(?P<name>[^\W\d_][\w.’'-]*(?:[ \t]+[^\W\d_][\w.’'-]*){0,3}"
    r"(?:[ \t]*\([^()\n]{2,40}\))?)[ \t]*\(?[ \t]*(?:talk|discussion|discusión|discussão|discuter|"
    r"disc|contribs?)[ \t]*\)?[ \t]*[|·•,;:.]?[ \t]*$",
    re.IGNORECASE,
)
_LEADING_WORDS = re.compile(r"^(?:best|regards|thanks|thank you|cheers|cordialement|saludos|abraços)\b[ ,]*",
                            re.IGNORECASE)


@dataclass(frozen=True)
class Ownership:
    """Line number -> the comment that wrote it (``None``: nobody signed it)."""

    owner: dict[int, Comment | None]
    plain_comments: tuple[Comment, ...]  # comments closed by a plain-text signature


def plain_signatures(page: TalkPage, masked: str, lang: str, tz: str) -> list[Signature]:
    """Timestamps after "Name (talk)" on lines with no linked signature."""
    signed = {s.line for c in page.comments for s in c.signatures}
    out: list[Signature] = []
    for line in page.lines:
        if line.number in signed or line.kind not in (LineKind.TEXT, LineKind.LIST):
            continue
        segment = masked[line.start:line.end]
        if not any(ch.isdigit() for ch in segment) or "talk" not in segment.lower() and "disc" not in segment.lower():
            continue
        for stamp in find_timestamps(masked, lang, tz, start=line.start, end=line.end):
            before = strip_markup(masked[line.start + len(line.prefix):stamp.start])[-120:]
            m = _PLAIN_SIG.search(before)
            if m is None:
                continue
            name = _LEADING_WORDS.sub("", m.group("name")).strip()
            if len(name) < 2:
                continue
            first_word = name.split()[0]
            at = masked.rfind(first_word, line.start, stamp.start)
            out.append(Signature(user=name, display=name, timestamp=stamp.value,
                                 timestamp_text=stamp.text, start=at if at >= 0 else stamp.start,
                                 end=stamp.end, line=line.number, source="plain"))
            break
    return out


def _older_comment_lines(page: TalkPage, owner: dict[int, Comment | None]) -> None:
    """Lines of a comment whose later, shallower signature is older belong to that older comment."""
    signed_lines = sorted(((s.line, c) for c in page.comments for s in c.signatures), key=lambda x: x[0])
    signed_keys = [ln for ln, _ in signed_lines]
    lines = page.lines
    for c in page.comments:
        if c.timestamp is None:
            continue
        first = bisect.bisect_right(signed_keys, c.last_line)
        for n in range(c.first_line, c.last_line):
            line = lines[n]
            if line.kind not in (LineKind.LIST, LineKind.TEXT) or any(s.line == n for s in c.signatures):
                continue
            later = next(((ln, oc) for ln, oc in signed_lines[first:] if lines[ln].depth <= line.depth), None)
            if later is None:
                continue
            _, oc = later
            if oc.heading == c.heading and oc.timestamp is not None and oc.timestamp < c.timestamp:
                owner[n] = oc


def _reply_split(page: TalkPage, owner: dict[int, Comment | None], masked: str) -> None:
    """Lines above an indented reply, in the same comment, are someone else's unsigned text.

    The signer's part is the last run of ``:``-indented lines (or a signed
    list line deeper than the line just above it).  The lines above it are
    another writer's when the reply sits deeper than the line it follows and
    either opens like a reply ("Hi, thanks for the questions") or the text
    above greets the signer (nobody greets themselves)."""
    lines = page.lines
    for c in page.comments:
        sig = lines[c.last_line]
        if not sig.prefix or c.first_line >= c.last_line:
            continue
        own = [n for n in range(c.first_line, c.last_line + 1)
               if lines[n].kind is not LineKind.BLANK and owner.get(n) is c]
        if len(own) < 2:
            continue
        start = len(own) - 1
        while start > 0 and lines[own[start - 1]].prefix.startswith(":") and sig.prefix.startswith(":") \
                and lines[own[start - 1]].depth >= sig.depth:
            start -= 1
        above = own[start - 1] if start > 0 else None
        if above is None:
            continue
        # "* question" then "** reply ~~~~", or "paragraph" then ":reply ~~~~" (a paragraph then a
        # signed bullet is one writer's list)
        up = lines[above]
        direct = up.depth < sig.depth and (
            (sig.prefix.startswith(up.prefix) and (bool(up.prefix) or sig.prefix.startswith(":")))
            or (sig.prefix.startswith(":") and not up.prefix.startswith(":")))  # "* question" then ":* reply"
        first_above = masked[lines[own[0]].start + len(lines[own[0]].prefix):lines[own[0]].end]
        greeted_signer = greets(first_above, c.author, c.signatures[0].display)
        if start == len(own) - 1 and not direct and not greeted_signer:
            continue
        first_reply = masked[lines[own[start]].start + len(lines[own[start]].prefix):lines[own[start]].end]
        if direct or opens_like_reply(first_reply) or greeted_signer:
            for n in own[:start]:
                owner[n] = None


# "Added, 1,240 files in total." / "Hecho." / "Sim, ...": how an inline answer opens.
_ANSWER_OPENING = re.compile(
    r"^(?:done|added|fixed|updated|corrected|uploaded|included|changed|yes|no|sure|ok|okay|agreed|"
    r"we (?:have|did|added|updated|changed|will)|we've|i (?:have|added|updated)|i've|"
    r"hecho|listo|agregad[oa]|anadid[oa]|actualizad[oa]|si|claro|feito|adicionad[oa]|atualizad[oa]|sim|"
    r"fait|ajoute|mis a jour|oui|non|c'est fait)\b")


# "We have …", "nuestro …": the grantee speaking of their own project.
_FIRST_PERSON = re.compile(r"\b(?:we|we've|we're|our|nosotros|nosotras|nuestr[oa]s?|hemos|tenemos|"
                           r"nosso|nossa|nossos|nossas|temos|nous|notre|wir|unser|unsere|kami)\b")


def _inline_answers(page: TalkPage, owner: dict[int, Comment | None]) -> None:
    """Unsigned sub-bullets that answer the ask just above them, inside someone else's signed list.

    One such line counts when it opens like an answer ("Done, …") or speaks of its own project
    ("We have …"); a list where several asks each carry a sub-bullet that asks nothing is
    answered bullet by bullet (a reviewer does not add a remark under every question)."""
    lines = page.lines
    for c in page.comments:
        own = [n for n in range(c.first_line, c.last_line) if owner.get(n) is c and lines[n].kind is LineKind.LIST]
        found: list[tuple[int, bool]] = []
        for above, n in zip(own, own[1:]):
            parent, line = lines[above], lines[n]
            if not (line.depth > parent.depth and line.prefix.startswith(parent.prefix) and "*" in line.prefix):
                continue
            asked = classify(strip_markup(page.text[parent.start + len(parent.prefix):parent.end]))
            said = strip_markup(page.text[line.start + len(line.prefix):line.end]).strip()
            if asked not in (Ask.QUESTION, Ask.REQUEST) or "?" in said or classify(said) is Ask.REQUEST:
                continue
            folded = fold(said)
            found.append((n, bool(_ANSWER_OPENING.match(folded) or _FIRST_PERSON.search(folded))))
        for n, sure in found:
            if sure or len(found) >= 2:
                owner[n] = None


def _plain_comments(page: TalkPage, sigs: list[Signature], owner: dict[int, Comment | None]) -> list[Comment]:
    """Comments closed by plain-text signatures, taking their lines from whoever held them."""
    out: list[Comment] = []
    boundaries = sorted({s.line for c in page.comments for s in c.signatures}
                        | {h.line for h in page.headings})
    heading_lines = [h.line for h in page.headings]
    for k, sig in enumerate(sigs):
        prev = bisect.bisect_left(boundaries, sig.line)
        begin = boundaries[prev - 1] + 1 if prev else 0
        if out and out[-1].last_line >= begin:
            begin = out[-1].last_line + 1
        while begin < sig.line and page.lines[begin].kind is LineKind.BLANK:
            begin += 1
        h = bisect.bisect_right(heading_lines, sig.line) - 1
        comment = Comment(index=len(page.comments) + k, author=sig.user, timestamp=sig.timestamp,
                          level=1 + min(page.lines[begin].depth, page.lines[sig.line].depth), parent=None,
                          heading=h if h >= 0 else None, start=page.lines[begin].start,
                          end=sig.end, first_line=begin, last_line=sig.line, signatures=(sig,))
        for n in range(begin, sig.line + 1):
            owner[n] = comment
        out.append(comment)
    return out


def line_owners(page: TalkPage, masked: str, lang: str = "en", tz: str = "UTC") -> Ownership:
    """Who wrote each line, after the corrections in the module docstring."""
    owner: dict[int, Comment | None] = {}
    for c in page.comments:
        for n in range(c.first_line, c.last_line + 1):
            owner[n] = c
    _older_comment_lines(page, owner)
    _reply_split(page, owner, masked)
    _inline_answers(page, owner)
    plain = _plain_comments(page, plain_signatures(page, masked, lang, tz), owner)
    return Ownership(owner=owner, plain_comments=tuple(plain))


def with_plain(page: TalkPage, own: Ownership) -> TalkPage:
    """The page with plain-signed comments added (later stages look comments up by index)."""
    if not own.plain_comments:
        return page
    return replace(page, comments=page.comments + own.plain_comments)
