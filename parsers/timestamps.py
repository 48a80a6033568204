"""Signature timestamps (``14:18, 31 July 2019 (UTC)``) in any wiki language.

Why built from the language's own date format: MediaWiki writes the
timestamp of ``~~~~`` with the content language's default date format, month
names (genitive where the format says ``xg``), digits and the localised zone
abbreviation.  We compile that format into a regex, so one code path serves
every language listed in ``parsers/data/languages.json`` (generated from
MediaWiki by ``tools/gen_langdata.py``).  The zone written in the signature
decides the UTC offset (CET vs CEST around a DST change); the wiki's IANA
zone says which abbreviations it uses.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc
# Language codes Wikimedia uses that MediaWiki files under another code.
LANG_ALIASES = {"no": "nb", "simple": "en", "be-x-old": "be-tarask", "zh-classical": "lzh",
                 "zh-yue": "yue", "zh-min-nan": "nan", "als": "gsw", "roa-rup": "rup",
                 "bat-smg": "sgs", "fiu-vro": "vro"}
# Zone abbreviations a signature may carry when the wiki's zone does not
# produce them itself (offsets in hours east of UTC).
_FIXED_ZONES = {"UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "CET": 1, "CEST": 2, "MET": 1,
                "MEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "IST": 5.5, "KST": 9, "JST": 9,
                "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8,
                "PDT": -7, "AEST": 10, "AEDT": 11, "BST": 1, "CEMT": 3, "WEMT": 2}
_SPACE = r"(?:[\s\u200e\u200f\u202f]|&nbsp;|&#160;|&#x[aA]0;)+"
_OPT_MARKS = r"[\u200e\u200f]*"


class UnknownLanguageError(ValueError):
    """The language code is not in the generated table."""


@dataclass(frozen=True)
class LanguageData:
    code: str
    date_format: str
    months: tuple[tuple[str, ...], ...]  # per month: full names
    months_gen: tuple[tuple[str, ...], ...]
    months_abbr: tuple[tuple[str, ...], ...]
    days: tuple[tuple[str, ...], ...]
    days_abbr: tuple[tuple[str, ...], ...]
    utc_names: tuple[str, ...]
    user_namespaces: tuple[str, ...]
    user_talk_namespaces: tuple[str, ...]
    special_namespaces: tuple[str, ...]
    contributions: tuple[str, ...]


@dataclass(frozen=True)
class TimestampMatch:
    start: int
    end: int
    text: str
    value: datetime | None  # UTC; None when the fields do not make a real date


@lru_cache(maxsize=1)
def _table() -> dict[str, dict]:
    raw = resources.files("parsers.data").joinpath("languages.json").read_text(encoding="utf-8")
    return json.loads(raw)["languages"]


def known_languages() -> tuple[str, ...]:
    return tuple(sorted(set(_table()) | set(LANG_ALIASES)))


@lru_cache(maxsize=64)
def language_data(lang: str) -> LanguageData:
    """The generated data for ``lang`` (raises UnknownLanguageError)."""
    code = (lang or "en").strip().lower().replace("_", "-")
    code = LANG_ALIASES.get(code, code)
    entry = _table().get(code)
    if entry is None:
        raise UnknownLanguageError(f"unknown wiki language code: {lang!r}")

    def tup(values: list[list[str]]) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(v) for v in values)

    ns = entry["namespaces"]
    return LanguageData(
        code=code, date_format=entry["date_format"], months=tup(entry["months"]),
        months_gen=tup(entry["months_gen"]), months_abbr=tup(entry["months_abbr"]),
        days=tup(entry["days"]), days_abbr=tup(entry["days_abbr"]),
        utc_names=tuple(entry["utc"]) or ("UTC",),
        user_namespaces=tuple(ns["user"]), user_talk_namespaces=tuple(ns["user_talk"]),
        special_namespaces=tuple(ns["special"]), contributions=tuple(entry["contributions"]),
    )


@lru_cache(maxsize=64)
def zone(tz: str) -> ZoneInfo:
    """The IANA zone (raises ValueError for an unknown name)."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(f"unknown time zone: {tz!r}") from exc


def _alternation(names: list[str]) -> str:
    names = sorted({n for n in names if n}, key=len, reverse=True)
    return "|".join(re.sub(r"(?:\\\s|\s)+", lambda _: _SPACE, re.escape(n)) for n in names)


def _month_group(kind: str, data: LanguageData, strict: bool = False) -> str:
    sources = {"F": data.months, "M": data.months_abbr, "xg": data.months_gen}
    # Accept any form of the month for any month letter: wikis and users mix them
    # (strict: only the form the format names, as MediaWiki writes it).
    forms_used = (sources[kind],) if strict else (sources[kind], data.months, data.months_gen, data.months_abbr)
    names = [n for forms in forms_used for month in forms for n in month]
    if not strict:
        names += [n[:-1] for n in names if n.endswith(".") and len(n) > 2]  # "feb." is also written "feb"
    return f"(?P<month>{_alternation(names)})"


def _compile_format(fmt: str, data: LanguageData, require_zone: bool, strict: bool = False) -> str:
    """Regex for a PHP ``date()`` format as MediaWiki's Language::sprintfDate reads it."""
    out: list[str] = []
    used: set[str] = set()
    i = 0

    def group(name: str, pattern: str) -> str:
        if name in used:
            return f"(?:{pattern})"
        used.add(name)
        return f"(?P<{name}>{pattern})"

    while i < len(fmt):
        ch = fmt[i]
        two = fmt[i:i + 2]
        if two in ("xg", "xn", "xN", "xr", "xh", "xk", "xi", "xj", "xm", "xo", "xt", "xT"):
            if two == "xg":
                out.append(_month_group("xg", data, strict) if "month" not in used else r"\S+")
                used.add("month")
            i += 2
            continue
        if ch == "\\" and i + 1 < len(fmt):
            out.append(re.escape(fmt[i + 1]))
            i += 2
            continue
        if ch == '"':
            close = fmt.find('"', i + 1)
            close = len(fmt) if close < 0 else close
            out.append(re.escape(fmt[i + 1:close]).replace(r"\ ", _SPACE))
            i = close + 1
            continue
        d = r"\d"
        two = "{2}" if strict else "{1,2}"  # "d", "m", "H" are zero-padded where MediaWiki writes them
        mapping = {
            "d": lambda: group("day", f"{d}{two}"), "j": lambda: group("day", f"{d}{{1,2}}"),
            "m": lambda: group("monthnum", f"{d}{two}"), "n": lambda: group("monthnum", f"{d}{{1,2}}"),
            "Y": lambda: group("year", f"{d}{{4}}"), "y": lambda: group("year2", f"{d}{{2}}"),
            "H": lambda: group("hour", f"{d}{two}"), "G": lambda: group("hour", f"{d}{{1,2}}"),
            "i": lambda: group("minute", f"{d}{{2}}"), "s": lambda: group("second", f"{d}{{2}}"),
            "D": lambda: f"(?:{_alternation([n for x in data.days_abbr + data.days for n in x])})",
            "l": lambda: f"(?:{_alternation([n for x in data.days + data.days_abbr for n in x])})",
        }
        if ch in "FM":
            out.append(_month_group(ch, data, strict) if "month" not in used else r"\S+")
            used.add("month")
        elif ch in mapping:
            out.append(mapping[ch]())
        elif ch.isspace():
            out.append(_SPACE)
        elif ch in ",،":
            out.append(f"{_OPT_MARKS}[,،]?")  # commas come and go between wikis and tools
        elif ch in "\u200e\u200f":
            out.append(_OPT_MARKS)
        else:
            out.append(re.escape(ch))
        i += 1
    zone_names = _alternation(list(data.utc_names) + ["UTC"])
    zone_re = rf"{_OPT_MARKS}[\s\u00a0]*{_OPT_MARKS}\((?P<zone>{zone_names}|[A-Za-z]{{2,5}}|[+-]\d{{1,2}}(?::?\d\d)?)\)"
    body = "".join(out)
    body = re.sub(r"^(?:\[\\s\\u200e\\u200f\\u202f\]\+)+", "", body)
    return f"{_OPT_MARKS}{body}" + (zone_re if require_zone else f"(?:{zone_re})?")


_TIME_FIRST = re.compile(r"^(\u200f?[GH]:i)([,،]?\s+)(.+)$")
_TIME_LAST = re.compile(r"^(.+?)([,،]?\s+)([GH]:i)$")


def swapped_format(fmt: str) -> str | None:
    """The format with date and time in the other order ("j F Y H:i" for "H:i, j F Y").

    Why: archiving tools, templates and people copying dates write the
    other order; MediaWiki itself never does, so it is only a fallback.
    """
    m = _TIME_FIRST.match(fmt)
    if m:
        return f"{m.group(3)} {m.group(1).lstrip(chr(0x200f))}"
    m = _TIME_LAST.match(fmt)
    if m:
        return f"{m.group(3)}, {m.group(1)}"
    return None


@lru_cache(maxsize=64)
def _regexes(lang: str, require_zone: bool) -> tuple[tuple[re.Pattern[str], LanguageData], ...]:
    """Patterns in order of preference, each with the language its names come from."""
    data = language_data(lang)
    english = language_data("en")
    candidates = [(data.date_format, data)]
    if data.code != "en":  # English signatures turn up on every wiki (imported, copied, bots)
        candidates.append((english.date_format, english))
    swapped = swapped_format(data.date_format)  # only the wiki's own format, never English's
    if swapped:
        candidates.append((swapped, data))
    return tuple((re.compile(_compile_format(f, src, require_zone), re.IGNORECASE), src)
                 for f, src in candidates)


@lru_cache(maxsize=64)
def _canonical_regex(lang: str) -> re.Pattern[str]:
    data = language_data(lang)
    return re.compile(_compile_format(data.date_format, data, True, strict=True), re.IGNORECASE)


def is_canonical(text: str, lang: str = "en") -> bool:
    """Whether ``text`` is a timestamp exactly in the wiki's own format, month form included.

    Why: DiscussionTools (the reply tool, ``Special:GoToComment``) only
    recognises those; the lenient reading here also accepts old or copied
    forms ("25 oct 2004" on a wiki that writes "25 octobre 2004"), whose
    comments DiscussionTools does not know.
    """
    try:
        return bool(_canonical_regex(lang).fullmatch(text.strip()))
    except UnknownLanguageError:
        return False


def _number(text: str) -> int:
    return int("".join(str(unicodedata.decimal(c, 0)) for c in text))


def _month_index(name: str, data: LanguageData) -> int | None:
    key = re.sub(r"\s+", " ", name).casefold().rstrip(".")
    for forms in (data.months, data.months_gen, data.months_abbr):
        for idx, month in enumerate(forms):
            if any(key == n.casefold().rstrip(".") for n in month):
                return idx + 1
    return None


def to_utc(naive: datetime, zone_text: str | None, tz: str, utc_names: tuple[str, ...] = ()) -> datetime:
    """Interpret a wall-clock time written with ``zone_text`` on a wiki whose zone is ``tz``."""
    abbr = re.sub(r"(?:[\s\u00a0]|&nbsp;|&#160;|&#x[aA]0;)+", " ", zone_text or "").strip()
    if abbr and (abbr.upper() in ("UTC", "GMT", "Z") or abbr in {re.sub(r"\s+", " ", n).strip() for n in utc_names}):
        return naive.replace(tzinfo=UTC)
    local = zone(tz)
    if abbr:
        for fold in (0, 1):
            candidate = naive.replace(tzinfo=local, fold=fold)
            if candidate.tzname() == abbr:
                return candidate.astimezone(UTC)
        offset = re.fullmatch(r"([+-])(\d{1,2}):?(\d\d)?", abbr)
        if offset:
            sign = -1 if offset.group(1) == "-" else 1
            delta = timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3) or 0))
            return (naive - sign * delta).replace(tzinfo=UTC)
        if abbr.upper() in _FIXED_ZONES:
            return (naive - timedelta(hours=_FIXED_ZONES[abbr.upper()])).replace(tzinfo=UTC)
    return naive.replace(tzinfo=local).astimezone(UTC)


def _value(m: re.Match[str], data: LanguageData, tz: str) -> datetime | None:
    g = m.groupdict()
    try:
        month = _month_index(g["month"], data) if g.get("month") else None
        if month is None and g.get("monthnum"):
            month = _number(g["monthnum"])
        if month is None and data.code != "en":
            month = _month_index(g.get("month") or "", language_data("en"))
        year = _number(g["year"]) if g.get("year") else 2000 + _number(g["year2"])
        naive = datetime(year, month or 0, _number(g["day"]), _number(g["hour"]),
                         _number(g["minute"]), _number(g["second"]) if g.get("second") else 0)
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    try:
        return to_utc(naive, g.get("zone"), tz, data.utc_names)
    except (ValueError, OverflowError):
        return None


def find_timestamps(text: str, lang: str = "en", tz: str = "UTC", *, require_zone: bool = True,
                    start: int = 0, end: int | None = None) -> list[TimestampMatch]:
    """Every signature timestamp in ``text[start:end]``, in order, without overlaps."""
    data = language_data(lang)
    end = len(text) if end is None else end
    found: list[TimestampMatch] = []
    for pattern, source in _regexes(data.code, require_zone):
        for m in pattern.finditer(text, start, end):
            if m.start() > 0 and text[m.start() - 1].isdigit():
                continue  # "123:45" is not a time
            found.append(TimestampMatch(m.start(), m.end(), m.group(0), _value(m, source, tz)))
        if found:
            break  # the wiki's own format wins; the others are fallbacks
    found.sort(key=lambda t: t.start)
    result: list[TimestampMatch] = []
    for t in found:
        if not result or t.start >= result[-1].end:
            result.append(t)
    return result


def parse_timestamp(text: str, lang: str = "en", tz: str = "UTC", *,
                    require_zone: bool = False) -> datetime | None:
    """The first valid timestamp in ``text`` as UTC, or None."""
    for match in find_timestamps(text, lang, tz, require_zone=require_zone):
        if match.value is not None:
            return match.value
    return None
