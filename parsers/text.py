"""Plain text out of wikitext: markup stripping, sentence splitting, word stems.

Why here and not in the thread stage: the item extractor needs to cut a
reviewer's bullet into sentences while keeping offsets into the page (so an
item can point back at the text), and it needs a plain, comparable form of a
sentence to classify it and to compare it with a grantee's answer.  Links,
templates and URLs hold dots and question marks that are not sentence ends,
so splitting works on a *masked* copy in which those regions are blanked.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_REF = re.compile(r"<ref\b[^<>]*?(?:/>|>.*?(?:</ref\s*>|\Z))", re.DOTALL | re.IGNORECASE)
_NOWIKI = re.compile(r"<nowiki\s*>(.*?)(?:</nowiki\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
_FILE_LINK = re.compile(r"\[\[\s*(?:File|Image|Category)\s*:[^\[\]]*\]\]", re.IGNORECASE)
_PIPED_LINK = re.compile(r"\[\[([^\[\]|]*)\|([^\[\]]*)\]\]")
_PLAIN_LINK = re.compile(r"\[\[([^\[\]|]*)\]\]")
_EXT_LINK_LABEL = re.compile(r"\[(?:https?:|ftp:|mailto:)?//[^\s\[\]]+\s+([^\[\]]*)\]")
_EXT_LINK_BARE = re.compile(r"\[((?:https?:|ftp:)?//[^\s\[\]]+)\]")
_APOSTROPHES = re.compile(r"'{2,}")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\b[^<>]*>")
_LINE_MARKUP = re.compile(r"^[ \t]*[*#:;]+[ \t]*", re.MULTILINE)
_HEADING_MARKUP = re.compile(r"^[ \t]*(=+)[ \t]*(.*?)[ \t]*\1[ \t]*$", re.MULTILINE)
_SPACES = re.compile(r"\s+")

# Regions whose dots and question marks never end a sentence.
_MASK_REGIONS = re.compile(
    r"<!--.*?(?:-->|\Z)|\{\{[^{}]*\}\}|\[\[[^\[\]]*\]\]|\[[a-z]*:?//[^\[\]]*\]|https?://\S+"
    r"|<[A-Za-z/][^<>]*>",
    re.DOTALL | re.IGNORECASE,
)
# A sentence ends at . ! ? (or the Japanese/Chinese full stops) followed by space or end,
# possibly after closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…。？！؟]+['\"’”»)\]]*(?=\s|$)")
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs mr mrs ms dr sr sra prof approx aprox no nr p pp ca cf ej p.ej st jr inc ltd".split()
)


def _apostrophes(m: re.Match[str]) -> str:
    n = len(m.group(0))
    if n in (2, 3, 5):
        return ""
    if n == 4:
        return "'"
    return "'" * (n - 5)


def strip_markup(text: str) -> str:
    """Readable plain text of a wikitext fragment, on one line.

    Used for item texts, labels and excerpts, which are shown to people and
    compared with each other.
    """
    s = text  # each step runs only when its markup's first character is there (most text is plain)
    if "<" in s:
        s = _NOWIKI.sub(r"\1", _REF.sub(" ", _COMMENT.sub(" ", s)))
    for _ in range(3 if "{" in s else 0):  # nested templates, innermost first
        s2 = _TEMPLATE.sub(" ", s)
        if s2 == s:
            break
        s = s2
    if "[" in s:
        s = _FILE_LINK.sub(" ", s)
        s = _PIPED_LINK.sub(r"\2", s)
        s = _PLAIN_LINK.sub(r"\1", s)
        s = _EXT_LINK_LABEL.sub(r"\1", s)
        s = _EXT_LINK_BARE.sub(r"\1", s)
    if "''" in s:
        s = _APOSTROPHES.sub(_apostrophes, s)
    if "<" in s:
        s = _TAG.sub(" ", s)
    s = html.unescape(s)
    if "=" in s:
        s = _HEADING_MARKUP.sub(r"\2", s)
    s = _LINE_MARKUP.sub("", s)
    return _SPACES.sub(" ", s).strip()


def mask_regions(text: str) -> str:
    """``text`` with links, templates, URLs and tags blanked (same length)."""

    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", "x", m.group(0))

    return _MASK_REGIONS.sub(blank, text)


@dataclass(frozen=True)
class Sentence:
    start: int  # offset in the text that was split
    end: int
    raw: str  # the wikitext of the sentence
    plain: str  # markup stripped

    @property
    def is_question(self) -> bool:
        return is_question(self.plain)


def is_question(plain: str) -> bool:
    """A sentence that ends with a question mark (Spanish ``¿…?`` included)."""
    s = plain.rstrip(" '\"’”»)]*.").rstrip()
    return s.endswith(("?", "？", "؟")) or ("¿" in s and "?" in s)


def split_sentences(text: str, base: int = 0) -> list[Sentence]:
    """Sentences of a wikitext fragment, offsets relative to ``base``.

    Fragments with no letters (a lone "?" after a question, a signature's
    leftovers) are glued to the sentence before them.
    """
    masked = mask_regions(text)
    cuts: list[int] = []
    for m in _SENTENCE_END.finditer(masked):
        if m.group(0).startswith(".") and _is_abbreviation(masked, m.start()):
            continue
        cuts.append(m.end())
    if not cuts or cuts[-1] < len(text):
        cuts.append(len(text))
    out: list[Sentence] = []
    prev = 0
    for cut in cuts:
        raw = text[prev:cut]
        lead = len(raw) - len(raw.lstrip())
        start, raw = prev + lead, raw.strip()
        prev = cut
        if not raw:
            continue
        plain = strip_markup(raw)
        if out and not any(ch.isalnum() for ch in plain):
            last = out[-1]
            merged = text[last.start : start + len(raw)]
            out[-1] = Sentence(last.start, start + len(raw), merged, strip_markup(merged))
            continue
        out.append(Sentence(start, start + len(raw), raw, plain))
    return [Sentence(s.start + base, s.end + base, s.raw, s.plain) for s in out]


def _is_abbreviation(masked: str, dot: int) -> bool:
    """Whether the full stop at ``dot`` closes an abbreviation or a list number.

    Only the characters just before the dot are looked at (scanning back),
    never the whole text before it: a long one-line comment has thousands of
    full stops, and a search over everything before each would be quadratic.
    """
    start = dot
    while start > 0 and (masked[start - 1] in "._" or masked[start - 1].isalnum()):
        start -= 1  # the run of word characters and dots that ends at the dot (regex \w and ".")
    if start == dot:
        return False
    w = masked[start:dot].lower()
    if w.isdigit() and len(w) <= 2 and (dot < 3 or not masked[dot - len(w) - 1].isalpha()):
        # "1. Goals" at the start of a numbered line is a marker, not a sentence end
        before = start
        while before > 0 and masked[before - 1].isspace():
            before -= 1
        return before == 0 or masked[before - 1] == ":"
    return w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha() and w.isupper())


# --------------------------------------------------------------------------
# Comparable forms

_STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at by for from with as is are was were be been being am
    do does did done have has had having i we you he she it they me us him her them my our your
    his its their this that these those there here what which who whom whose when where why how
    not no yes so than then too very can could would should will shall may might must just also
    any some all more most other such only own same about into over after before again further
    once up down out off under above below between through during while each both few nor
    let know please thank thanks hi hello dear regards best kind like get got make sure
    el la los las un una unos unas y o pero si de del al en con por para como es son fue ser
    que qué se su sus lo le les nos mi mis tu tus este esta estos estas ese esa hay muy más ya
    o os as um uma uns umas e do da dos das no na nos nas com por para como é são foi ser em ao aos à às pelo pela
    que se seu sua seus suas lhe nos meu minha este esta isso isto há muito mais já
    le la les un une des et ou mais si de du au aux en avec par pour comme est sont été être
    que qui se son sa ses leur leurs nous vous je il elle ce cette ces il y a très plus déjà
    gracias hola saludos obrigado obrigada obrigados olá oi abraços merci bonjour salut cordialement
    der die das und ist ein eine einen zu für mit von im ihr wir sie es nicht auch danke hallo grüße
    il lo gli di da con per che è non anche grazie ciao saluti
    """.split()
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_PLURALS = ("ies", "es", "s", "ções", "ciones")
_DERIVED = ("ations", "ation", "ments", "ment", "ings", "ing", "ied", "ed", "ly", "ción", "cion",
            "mente", "ção")


def fold(text: str) -> str:
    """Lower-case without accents: comparisons must not depend on typography."""
    if text.isascii():
        return text.lower()  # nothing to decompose (and casefold is lower for ASCII)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Compared with folded words (no accents), so folded too: "déjà" must match "deja".
_FOLDED_STOPWORDS = frozenset(fold(w) for w in _STOPWORDS)


def stem(word: str) -> str:
    """A crude, language-agnostic stem: enough to pair "documents" with "documentation"."""
    for group in (_PLURALS, _DERIVED, _DERIVED):
        for suffix in group:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
    return word.rstrip("e") if len(word) > 4 else word


@lru_cache(maxsize=65536)
def content_stems(text: str) -> frozenset[str]:
    """The meaningful words of a plain text, stemmed and folded."""
    out = set()
    for w in _WORD.findall(fold(text)):
        if w in _FOLDED_STOPWORDS or len(w) < 2:
            continue
        out.add(stem(w))
    return frozenset(out)


def normalise_for_id(text: str) -> str:
    """What an item id hashes: immune to whitespace, case, accents and markup."""
    return " ".join(_WORD.findall(fold(strip_markup(text))))
