"""Units (bullets and paragraphs) of a talk page, who wrote them, and the reviewer items in them.

Why units and not comments: the thread stage groups text by signature, but
grant talk pages are answered *inside* the reviewer's text (``*:`` under a
bullet) and reviewers sign once under a long list of questions.  A unit is
one bullet (with its deeper continuation lines) or one paragraph line, owned
by one person.  A line is owned by the comment the thread stage put it in,
except when a later, shallower signature is *older* than that comment: then
the line is the older comment's text with someone's inline reply signed
inside it (the reviewer's bullet, answered underneath by the grantee).

Bold pseudo-headings (a ``'''Goals'''`` line, ``;Goals``, or a bold label
opening a paragraph) open a sub-section that lasts until the next one or the
end of the comment.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import datetime

from parsers.model import Comment, ItemKind, LineKind, Signature, TalkPage
from parsers.authors import Ownership
from parsers.roles import Roles
from parsers.sides import SideFinder
from parsers.unsigned import attribute_unsigned
from parsers.text import Sentence, strip_markup


@dataclass(frozen=True)
class Unit:
    index: int
    heading: int | None
    section: tuple[str, ...]  # heading path, plain titles
    pseudo: str | None  # the bold pseudo-heading the unit sits under
    label: str | None  # the unit's own bold or dashed label ("Program design - …")
    number: int | None  # ordinal in a numbered list ("#", "1.", "2)", "Q3")
    first_line: int
    last_line: int
    start: int
    end: int
    depth: int
    comment: int | None
    author: str | None
    side: str  # "reviewer", "grantee", "other"
    timestamp: datetime | None
    body_start: int  # where the text after the label starts
    plain: str  # the whole unit, markup stripped (label included)
    signed_here: bool  # the unit holds its comment's signature line
    comment_last_line: int | None = None  # line of the owning comment's last signature
    side_reason: str = ""  # why the writer is counted on that side
    cut: bool = False  # the page's text ends inside this unit, mid-sentence
    prefix: str = ""  # the list markers of its first line ("*", "#", ":*" ...)


@dataclass(frozen=True)
class DraftItem:
    """A reviewer item before answer matching."""

    id: str
    kind: ItemKind
    text: str
    sentences: tuple[Sentence, ...]
    unit: Unit
    done_note: Sentence | None = None  # "This is done." written after the ask in the same bullet
    context: str = ""  # the remark just before the ask, which its "this" or "that" refers to
    position: int | None = None  # place in its writer's bullet list, counting bullets that ask nothing


_BOLD_ONLY = re.compile(r"^\s*'''(?!')(.{1,120}?)(?<!')'''\s*:?\s*$")
_BOLD_LEAD = re.compile(r"^\s*'''(?!')([^\n]{1,100}?)(?<!')'''\s*(?:[:.\-–—]\s*)?")
_DASH_LEAD = re.compile(r"^\s*([^\s.?!:;,'\[{<][^.?!:;\[{<\n]{1,60}?)\s+[-–—]\s+(?=[\"'¿¡]?[^\W\d_])")
# A dashed lead that starts like a sentence ("Why did costs rise - and who …") is not a label.
_NOT_LABEL_START = re.compile(
    r"^(?:what|why|how|when|where|who|which|do|does|did|is|are|was|were|can|could|would|will|have|has|"
    r"should|i|we|you|please|que|qué|por|cómo|como|cuándo|quién|dónde|pour|pourquoi|comment|est|"
    r"quando|onde|quem|porque)\b", re.IGNORECASE)
_NUMBER_LEAD = re.compile(r"^\s*(?:'''|'')?\s*(?:q|p|question|pregunta|pergunta)?\s*(\d{1,2})\s*[.)\-:]\s+",
                          re.IGNORECASE)
_ENDINGS = (".", "?", "!", "…", ":", ";", ")", '"', "'", "»", "”", "？", "。")
_TAG_ONLY_START = re.compile(r"^\s*<(?:p|br|div)\b", re.IGNORECASE)


def _clean_label(label: str) -> str:
    return strip_markup(label).strip().strip(":.-–—").strip().strip("'\"’‘“”").strip()


def _label_of(content: str) -> tuple[str | None, int]:
    """(label, offset of the text after it) of a bullet or paragraph."""
    m = _BOLD_LEAD.match(content)
    if m:
        inner = m.group(1)
        rest = content[m.end():]
        if inner.rstrip().endswith((":", "?", "？")) or content[m.end(1) + 3:m.end()].strip() or not rest.strip():
            label = _clean_label(inner)
            if label and len(label.split()) <= 12:
                return label, m.end()
    m = _DASH_LEAD.match(content)
    if (m and len(m.group(1).split()) <= 8 and not _NOT_LABEL_START.match(m.group(1).strip())
            and not content[m.end():m.end() + 2].lstrip("\"'¿¡")[:1].islower()):
        return _clean_label(m.group(1)), m.end()
    return None, 0


def _pseudo_heading(prefix: str, content: str) -> tuple[str | None, bool]:
    """(label, label_opens_paragraph) when the line is a pseudo-heading."""
    if prefix.startswith(";"):
        term = content.split(":", 1)
        label = _clean_label(term[0])
        return (label or None), len(term) > 1 and bool(term[1].strip())
    if prefix:
        return None, False
    m = _BOLD_ONLY.match(content)
    if m:
        label = _clean_label(m.group(1))
        return (label or None), False
    label, offset = _label_of(content)
    if label and content.lstrip().startswith("'''") and content[offset:].strip():
        return label, True
    return None, False


def _side_finder(page: TalkPage, roles: Roles, masked: str, own: Ownership, title: str | None) -> SideFinder:
    """Sides of every writer, from the text each one wrote (their own lines only)."""
    parts: dict[int, list[str]] = {}
    for n, c in own.owner.items():
        if c is not None:
            line = page.lines[n]
            parts.setdefault(c.index, []).append(masked[line.start + len(line.prefix):line.end])
    texts = {k: "\n".join(v) for k, v in parts.items()}
    return SideFinder(page, roles, title, page.comments + own.plain_comments, texts)


def build_units(page: TalkPage, roles: Roles, masked: str, own: Ownership,
                title: str | None = None) -> tuple[tuple[Unit, ...], Roles]:
    """Every bullet and paragraph of the page, with its writer, side and pseudo-heading.

    Also returns the roles as this page shows them (the caller's, plus
    writers whose side the page makes clear)."""
    owners = own.owner
    comments = page.comments + own.plain_comments
    finder = _side_finder(page, roles, masked, own, title)
    roles = finder.roles_for_page()
    unsigned = attribute_unsigned(page, owners, finder, masked)
    units: list[Unit] = []
    heading: int | None = None
    pseudo: str | None = None
    pseudo_comment: object = None
    current: dict | None = None

    last_text = len(masked.rstrip())

    def flush() -> None:
        nonlocal current
        if current is None:
            return
        c = current
        raw = masked[c["start"]:c["end"]]
        plain = strip_markup(raw)
        if plain:
            cut = c["end"] >= last_text and not c["signed"] and not plain.rstrip().endswith(_ENDINGS)
            units.append(Unit(
                index=len(units), heading=c["heading"], section=c["section"], pseudo=c["pseudo"],
                label=c["label"], number=c["number"], first_line=c["first"], last_line=c["last"],
                start=c["start"], end=c["end"], depth=c["depth"], comment=c["comment"],
                author=c["author"], side=c["side"], timestamp=c["timestamp"],
                body_start=c["body_start"], plain=plain, signed_here=c["signed"],
                comment_last_line=c["comment_last"], side_reason=c["why"], cut=cut,
                prefix=c["prefix"]))
        current = None

    sides = {c.index: _side(c, roles, cosigners(page, c), finder) for c in comments}
    numbering: dict[tuple[int | None, int], int] = {}
    sig_lines = {s.line for c in page.comments for s in c.signatures}
    heading_at = {h.line: h.index for h in page.headings}
    for line in page.lines:
        if line.kind is LineKind.HEADING:
            flush()
            heading = heading_at.get(line.number, heading)
            pseudo, pseudo_comment = None, None
            numbering.clear()
            continue
        if line.kind in (LineKind.BLANK, LineKind.OTHER) or not masked[line.start:line.end].strip():
            if line.kind is LineKind.BLANK:
                numbering.clear()
            continue
        owner = owners.get(line.number)
        voice = unsigned.get(line.number) if owner is None else None
        owner_key = owner.index if owner else (voice.key if voice else None)
        if owner_key != pseudo_comment:
            pseudo, pseudo_comment = None, owner_key
        content_start = line.start + len(line.prefix)
        content = masked[content_start:line.end]
        depth = line.depth
        label_here, opens = _pseudo_heading(line.prefix, content)
        if label_here is not None:
            flush()
            pseudo = label_here
            if not opens:
                continue
        continuation = current is not None and current["comment"] == owner_key and (
            (depth > current["depth"] and line.prefix.endswith(":"))
            or (depth > current["depth"] and line.prefix.endswith("*")
                and current["prefix"].endswith(("*", "#")))
            or (line.kind is LineKind.TEXT and bool(_TAG_ONLY_START.match(content)) and bool(current["prefix"]))
        )
        if continuation and label_here is None:
            current["end"] = line.end
            current["last"] = line.number
            current["signed"] = current["signed"] or line.number in sig_lines
            continue
        flush()
        label, offset = _label_of(content) if label_here is None else (label_here, _label_of(content)[1])
        number = None
        if line.prefix.endswith("#"):
            key = (owner_key, depth)
            numbering[key] = numbering.get(key, 0) + 1
            number = numbering[key]
        else:
            m = _NUMBER_LEAD.match(content)
            if m:
                number = int(m.group(1))
                if label is None:
                    offset = m.end()
        if voice is not None:
            side, speaker, why = voice.side, voice.author, voice.reason
        else:
            side, speaker, why = sides.get(owner_key) or _side(owner, roles, (), finder)
        current = {
            "heading": heading, "section": tuple(strip_markup(t) for t in page.section_path(heading)),
            "pseudo": pseudo, "label": label, "number": number, "first": line.number,
            "last": line.number, "start": content_start, "end": line.end, "depth": depth,
            "comment": owner_key, "author": speaker,
            "side": side, "why": why, "timestamp": owner.timestamp if owner else None,
            "body_start": content_start + offset, "prefix": line.prefix,
            "signed": line.number in sig_lines,
            "comment_last": owner.last_line if owner else None,
        }
    flush()
    return tuple(units), roles


_USER_LINK = re.compile(r"\[\[\s*(?:user|usuario|usuaria|usuário|usuária|utilisateur|utilisatrice)\s*:"
                        r"\s*([^|\]/#]+?)\s*(?:\|[^\]]*)?\]\]", re.IGNORECASE)
_COSIGN_GAP = re.compile(r"^[\s,;&/–—-]*(?:and|y|e|et|&)?[\s,;&/–—-]*$", re.IGNORECASE)


_LineLinks = dict[int, tuple[list[re.Match[str]], list[int]]]


def _links_before(page: TalkPage, sig: Signature, per_line: _LineLinks) -> tuple[list[re.Match[str]], int]:
    """The user links of the signature's line and how many of them end before it.

    Found once per line (``per_line``): a one-line comment may hold
    thousands of signatures, and searching the text before each was quadratic.
    """
    line = page.lines[sig.line]
    if sig.line not in per_line:
        links = list(_USER_LINK.finditer(page.text, line.start, line.end))
        per_line[sig.line] = (links, [m.end() for m in links])
    found, ends = per_line[sig.line]
    k = bisect.bisect_right(ends, sig.start)
    if k < len(found) and found[k].start() < sig.start:  # a malformed link runs across the signature
        found = list(_USER_LINK.finditer(page.text, line.start, sig.start))
        k = len(found)
    return found, k


def cosigners(page: TalkPage, comment: Comment) -> tuple[str, ...]:
    """Everyone who signed ``comment``: its signatures plus user links chained just before them.

    Why: "[[User:A]] and [[User:B]] 14:30, …" is one comment signed by two
    people, but only the link next to the timestamp is a signature proper.
    """
    names: list[str] = []
    per_line: _LineLinks = {}
    for sig in comment.signatures:
        found, k = _links_before(page, sig, per_line)
        chained: list[str] = []
        end = sig.start
        for j in range(k - 1, -1, -1):
            m = found[j]
            if not _COSIGN_GAP.match(page.text[m.end():end]):
                break
            chained.insert(0, m.group(1).replace("_", " ").strip())
            end = m.start()
        names.extend(chained)
        names.append(sig.user)
    out: list[str] = []
    for n in names:
        n = n[:1].upper() + n[1:]
        if n and n not in out:
            out.append(n)
    return tuple(out)


def _side(owner: Comment | None, roles: Roles, signers: tuple[str, ...],
          finder: SideFinder) -> tuple[str, str | None, str]:
    """(side, the signer who speaks for it, why) of a comment's text."""
    if owner is None:
        return "other", None, "unsigned, and nothing around it shows whose it is"
    users = [owner.author] + [u for u in signers if u != owner.author] if owner.author else list(signers)
    named = finder.roles.grantees | finder.roles.reviewers
    users.sort(key=lambda u: u not in named)  # accounts the caller named speak first
    for wanted in ("reviewer", "grantee"):
        for u in users:
            if u and roles.role_of(u) == wanted:
                known = finder.side_of(u)
                why = known.reason if known and known.side == wanted else f"counted on the {wanted} side"
                return wanted, u, f"{u}: {why}"
    return "other", owner.author, f"{owner.author}: on neither side"


def item_section(unit: Unit) -> tuple[str, ...]:
    return unit.section + ((unit.pseudo,) if unit.pseudo else ())
