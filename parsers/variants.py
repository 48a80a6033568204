"""Script variants of languages with a LanguageConverter (Serbian: Cyrillic and Latin).

Why: on a wiki whose language has variants, MediaWiki stores a page in the
script its editors wrote (on the Serbian Wikipedia, mostly Cyrillic) and
converts it for each reader (``sr-ec`` Cyrillic, ``sr-el`` Latin).  The
conversion touches only what is shown: link targets, user names and the
section anchors are computed from the stored text.  DiscussionTools' ids
therefore carry the stored script whatever variant a reader sees, so ids
computed from a copy of a rendered page (a reader's Latin view of a
Cyrillic page) must first take the copy's headings back to the stored
script.  The bot itself reads stored text and never needs this.

The table below is MediaWiki's own (``SrConverter``), one row per
language.  Going from the shown variant back to the stored one is not
always possible (a word written in Latin in the stored text looks the same
after conversion to Latin); the rules used, each a property of the
converter rather than of a page:

* link targets are never converted: they already are the stored text, and
  a piped link whose label is the converter's rendering of its target was
  written without a label (``[[Европска унија]]`` shows as
  ``[[Европска унија|Evropska unija]]``);
* a heading holding a word the conversion cannot have produced (a letter
  outside the shown alphabet, like ``w`` or ``x`` for Serbian Latin, or an
  identifier in camel case such as ``HotCat``) was written in the shown
  script and stays as it is;
* Roman numerals stay as they are (the converter skips them), and so does
  a lower-case word of two letters or more with no vowel and no ``r``
  (``svg``): no Serbian word is spelt so, it is an abbreviation typed in
  Latin;
* everything else is converted to the stored variant by the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

_CYRILLIC_TO_LATIN = MappingProxyType({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Ђ": "Đ", "Е": "E", "Ж": "Ž", "З": "Z", "И": "I",
    "Ј": "J", "К": "K", "Л": "L", "Љ": "Lj", "М": "M", "Н": "N", "Њ": "Nj", "О": "O", "П": "P", "Р": "R",
    "С": "S", "Т": "T", "Ћ": "Ć", "У": "U", "Ф": "F", "Х": "H", "Ц": "C", "Ч": "Č", "Џ": "Dž", "Ш": "Š",
})
# MediaWiki's Latin -> Cyrillic table: the inverse, with the digraphs in every case form.
_LATIN_TO_CYRILLIC = MappingProxyType({
    **{latin: cyr for cyr, latin in _CYRILLIC_TO_LATIN.items()},
    "LJ": "Љ", "NJ": "Њ", "DŽ": "Џ",
})


@dataclass(frozen=True)
class Converter:
    """One language's converter: its variants, their scripts and the variant pages are stored in."""

    lang: str
    stored: str  # the variant the wiki's pages are written in, by convention of its community
    tables: MappingProxyType  # variant -> MappingProxyType of (text -> converted text)
    alphabets: MappingProxyType  # variant -> the letters its script uses (lower case)


_SERBIAN = Converter(
    lang="sr",
    stored="sr-ec",
    tables=MappingProxyType({"sr-el": _CYRILLIC_TO_LATIN, "sr-ec": _LATIN_TO_CYRILLIC}),
    alphabets=MappingProxyType({
        "sr-el": frozenset("abcčćddžđefghijklljmnnjoprsštuvzž"),
        "sr-ec": frozenset("абвгдђежзијклљмнњопрстћуфхцчџш"),
    }),
)

# The documented table: content language -> its converter (more rows as they are needed).
CONVERTERS: MappingProxyType = MappingProxyType({"sr": _SERBIAN})

_ROMAN = re.compile(r"(?=[MDCLXVI])M{0,4}(?:C[DM]|D?C{0,3})(?:X[LC]|L?X{0,3})(?:I[VX]|V?I{0,3})")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CAMEL = re.compile(r"[a-zčćđšž][A-ZČĆĐŠŽ]")
_ABBREVIATION = re.compile(r"[b-df-hj-np-qs-z]{2,}")  # lower case, no vowel, no "r", not a one-letter word
_PROTECTED = re.compile(r"<[^<>]*>|\{\{.*?\}\}|&[#A-Za-z0-9]+;|\[\[[^\[\]]*\]\]|\[[a-z]+:[^\s\]]*", re.DOTALL)
_LINK = re.compile(r"\[\[([^\[\]|]*)\|([^\[\]]*)\]\]")


def converter(lang: str) -> Converter | None:
    """The converter of a content language, None for languages without variants."""
    return CONVERTERS.get(lang.split("-")[0])


def convert(text: str, conv: Converter, variant: str) -> str:
    """``text`` in ``variant``, letter by letter with the longest match first (MediaWiki's way).

    Roman numerals are left alone, as MediaWiki's Serbian converter does.
    """
    table = conv.tables[variant]
    longest = max(len(k) for k in table)

    def word(m: re.Match[str]) -> str:
        piece = m.group(0)
        if _ROMAN.fullmatch(piece):
            return piece
        out: list[str] = []
        i = 0
        while i < len(piece):
            for size in range(min(longest, len(piece) - i), 0, -1):
                hit = table.get(piece[i:i + size])
                if hit is not None:
                    out.append(hit)
                    i += size
                    break
            else:
                out.append(piece[i])
                i += 1
        return "".join(out)

    return _WORD.sub(word, text)


def _converted_links(text: str, conv: Converter) -> dict[str, int]:
    """Per variant: the piped links whose label is the converter's rendering of their target.

    ``[[Корисник:Ранко Николић|Ranko Nikolić]]``: the label is the title
    (without its namespace) converted to Latin.  Nobody writes that in the
    stored text, where the label would be in the target's own script or
    left out; a rendered copy is full of them.
    """
    counts = {variant: 0 for variant in conv.tables}
    for m in _LINK.finditer(text):
        target, label = m.group(1).strip(), m.group(2).strip()
        name = target.split(":", 1)[-1].strip()
        for variant in conv.tables:
            if label not in (target, name) and label in (convert(target, conv, variant),
                                                        convert(name, conv, variant)):
                counts[variant] += 1
    return counts


def shown_variant(text: str, lang: str) -> str | None:
    """The variant ``text`` is a rendering in, when it is a converted copy; None for stored text.

    Link targets keep the stored script while labels show the reader's: a
    copy with several links labelled by their own target's conversion (and
    hardly any the other way) was converted to that variant.
    """
    conv = converter(lang)
    if conv is None:
        return None
    counts = _converted_links(text, conv)
    best = max(counts, key=lambda v: counts[v])
    others = sum(n for v, n in counts.items() if v != best)
    return best if counts[best] >= 3 and others * 10 <= counts[best] else None


def _written_in_shown_script(title: str, conv: Converter, shown: str) -> bool:
    """A heading the conversion cannot have produced: a foreign letter or a camel-case identifier."""
    plain = _PROTECTED.sub(" ", title)
    letters = conv.alphabets[shown]
    for word in _WORD.findall(plain):
        if _CAMEL.search(word) or any(ch not in letters for ch in word.lower()):
            return True
    return False


def stored_title(title: str, lang: str, shown: str | None) -> str:
    """A heading's wikitext as it was stored, from a copy shown in variant ``shown``."""
    conv = converter(lang)
    if conv is None or shown is None or shown == conv.stored or shown not in conv.tables:
        return title

    def unpipe(m: re.Match[str]) -> str:
        target, label = m.group(1), m.group(2)
        return f"[[{target}]]" if convert(target, conv, shown).strip() == label.strip() else m.group(0)

    title = _LINK.sub(unpipe, title)
    if _written_in_shown_script(title, conv, shown):
        return title
    pieces: list[str] = []
    last = 0
    for m in _PROTECTED.finditer(title):
        pieces.append(_back(title[last:m.start()], conv))
        link = _LINK.fullmatch(m.group(0))
        pieces.append(f"[[{link.group(1)}|{_back(link.group(2), conv)}]]" if link else m.group(0))
        last = m.end()
    pieces.append(_back(title[last:], conv))
    return "".join(pieces)


def _back(text: str, conv: Converter) -> str:
    """Plain text to the stored variant, word by word, abbreviations typed in Latin kept."""
    return _WORD.sub(lambda m: m.group(0) if _ABBREVIATION.fullmatch(m.group(0))
                     else convert(m.group(0), conv, conv.stored), text)
