"""Every sentence the bot publishes, by key and language, with on-wiki overrides.

Why on the wiki: Meta's translators fix wording without waiting for a
deploy.  A message page ``User:<bot>/messages/<key>/<lang>`` replaces the
built-in text of ``key`` in ``lang`` (the sweep reads all of them in one
request).  The built-in English, Spanish, Portuguese and French stay the
fallback, per key: an override that is malformed (a required placeholder
missing, or one the bot does not fill) is ignored with a log line, never
published broken.

Syntax: ``{name}`` is a value the bot fills in (already escaped);
``{{PLURAL:{count}|one form|other form}}`` picks the form for the number in
the page's language (CLDR rules: French and Portuguese count 0 as
singular), so edit summaries, which the wiki does not expand, read right
too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from publishing.catalogue import BUILTIN, LANGUAGES, PLACEHOLDERS

_PLURAL = re.compile(r"\{\{\s*PLURAL\s*:\s*\{(\w+)\}\s*\|([^{}]*)\}\}", re.IGNORECASE)
_FIELD = re.compile(r"\{(\w+)\}")


def plural_index(lang: str, n: int) -> int:
    """0 for the singular form, 1 for the plural, as each language counts."""
    if lang in ("fr", "pt"):
        return 0 if n in (0, 1) else 1
    return 0 if n == 1 else 1


def fill(template: str, lang: str, values: Mapping[str, object]) -> str:
    """``template`` with its PLURAL forms chosen and its ``{name}`` fields filled."""
    def plural(match: re.Match[str]) -> str:
        forms = match.group(2).split("|")
        try:
            n = int(str(values.get(match.group(1), "")))
        except ValueError:
            return forms[-1]
        return forms[min(plural_index(lang, n), len(forms) - 1)]

    text = _PLURAL.sub(plural, template)
    return _FIELD.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def problem(key: str, text: str) -> str | None:
    """Why an override of ``key`` cannot be used (None when it can)."""
    if key not in PLACEHOLDERS:
        return f"no message '{key}'"
    required, allowed = PLACEHOLDERS[key]
    used = set(_FIELD.findall(_PLURAL.sub(lambda m: "{" + m.group(1) + "}", text)))
    takes = f" (it takes {_names(allowed) or 'no placeholder'})"
    if required - used:
        return f"missing {_names(required - used)}{takes}"
    if used - allowed:
        return f"unknown {_names(used - allowed)}{takes}"
    if "\n" in text.strip() and key.endswith(("heading", "summary")):
        return "a heading or edit summary is one line"
    return None


def _names(names: set[str]) -> str:
    return ", ".join("{" + n + "}" for n in sorted(names))


def page_key(title: str, prefix: str) -> tuple[str, str] | None:
    """``(key, lang)`` of a message page title under ``prefix`` (None for other pages)."""
    if not title.startswith(prefix):
        return None
    key, _, lang = title[len(prefix):].partition("/")
    return (key, lang) if key and lang in LANGUAGES else None


@dataclass(frozen=True)
class Messages:
    """The built-in catalogue with the usable overrides on top."""

    overrides: Mapping[tuple[str, str], str] = field(default_factory=lambda: MappingProxyType({}))
    rejected: tuple[str, ...] = ()  # one line per ignored override, for the run's log

    @classmethod
    def from_pages(cls, pages: Iterable[tuple[str, str]], prefix: str) -> Messages:
        """From ``(title, text)`` of message pages: bad ones go to ``rejected``."""
        good: dict[tuple[str, str], str] = {}
        bad = []
        for title, text in pages:
            found = page_key(title, prefix)
            if found is None:
                continue
            why = problem(found[0], text.strip())
            if why:
                bad.append(f"message page [[{title}]] ignored: {why}")
            else:
                good[found] = text.strip()
        return cls(MappingProxyType(good), tuple(bad))

    def with_overrides(self, extra: Mapping[tuple[str, str], str]) -> Messages:
        """Configured wording under the wiki's (the wiki is edited more recently)."""
        return Messages(MappingProxyType({**extra, **self.overrides}), self.rejected)

    def template(self, key: str, lang: str) -> str:
        lang = (lang or "en").split("-")[0].lower()
        for code in (lang, "en"):
            if (key, code) in self.overrides:
                return self.overrides[(key, code)]
            if code in BUILTIN.get(key, {}):
                return BUILTIN[key][code]
        raise KeyError(key)

    def text(self, key: str, lang: str, **values: object) -> str:
        return fill(self.template(key, lang), (lang or "en").split("-")[0].lower(), values)
