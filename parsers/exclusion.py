"""Whether a page excludes the bot: ``{{nobots}}`` and ``{{bots|allow=|deny=|optout=}}``.

Read the way MediaWiki renders the page, not the way a regular expression
sees its source.  Template calls are parsed with mwparserfromhell, so a
call with a nested template is seen, one inside ``<nowiki>``, ``<pre>`` or
a comment is not, and ``<nowiki><!--</nowiki>{{nobots}}`` (a call a naive
comment stripper hides) is.  When the caller knows which of the two
templates the wiki says the page transcludes (``prop=templates``: through
redirects such as ``{{No bots}}`` and other templates too), a transcluded
template no readable call explains excludes the bot, since its parameters
cannot be known.  The wiki's list only adds exclusions: it may lag behind
an edit (links are updated after the save), so a call read in the text
counts even when the list does not have it yet.  Names the bot cannot read (a template inside a name list)
count as naming it: when in doubt, the bot stays off the page.  Nothing
here raises on odd input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Template

BOTS, NOBOTS = "bots", "nobots"
_NAMESPACE_RE = re.compile(r"^\s*template\s*:", re.IGNORECASE)
_FALLBACK_RE = re.compile(r"\{\{\s*(?:template\s*:\s*)?(?:no)?bots\b", re.IGNORECASE)
# "bots" with comments anywhere inside (``{{no<!-- -->bots}}`` is {{nobots}} to
# MediaWiki): a page without it cannot name either template, so the parse is skipped.
_MAYBE_BOTS_RE = re.compile(r"b(?:<!--.*?-->)*o(?:<!--.*?-->)*t(?:<!--.*?-->)*s", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class BotsDirective:
    """What ``{{nobots}}``/``{{bots}}`` on a page say about one bot."""

    denied: bool  # the bot may not edit the page at all
    optouts: frozenset[str]  # message types the page opted out of ("all" for every type)
    why: str = ""  # in plain words, when denied

    def opted_out(self, kind: str) -> bool:
        return self.denied or "all" in self.optouts or kind.lower() in self.optouts


@dataclass(frozen=True)
class _Call:
    kind: str  # BOTS or NOBOTS
    params: dict[str, str | None]  # None: a value the bot cannot read (it holds a template)


def template_kind(name: str, aliases: Mapping[str, str]) -> str | None:
    """BOTS, NOBOTS or None for a template name as written or as the wiki lists it
    (``aliases``: redirect name -> BOTS/NOBOTS, names without namespace)."""
    bare = _NAMESPACE_RE.sub("", name).replace("_", " ")
    bare = " ".join(bare.split())
    if not bare:
        return None
    bare = bare[0].upper() + bare[1:]
    if bare in ("Bots", "Nobots"):
        return bare.lower()
    return aliases.get(bare)


def bots_directive(text: str, bot_name: str, transcluded: Iterable[str] | None = None,
                   aliases: Mapping[str, str] | None = None) -> BotsDirective:
    """The page's exclusion for ``bot_name``.

    ``transcluded``: the kinds (BOTS, NOBOTS) the wiki says the page
    transcludes, or None when unknown (then only the readable calls decide)."""
    me = bot_name.strip().replace("_", " ").lower()
    calls = _calls(text, aliases or {})
    if calls is None:  # the parser gave up: fall back to the plain text
        found = bool(_FALLBACK_RE.search(text)) or bool(set(transcluded or ()))
        return BotsDirective(found, frozenset(), why="the page has {{nobots}}/{{bots}} the bot cannot read"
                             if found else "")
    if transcluded is not None:
        unexplained = set(transcluded) - {c.kind for c in calls}
        if unexplained:
            names = ", ".join("{{" + k + "}}" for k in sorted(unexplained))
            return BotsDirective(True, frozenset(),
                                 why=f"the page transcludes {names} through a call the bot cannot read")
    return _decide(calls, me)


def _decide(calls: list[_Call], me: str) -> BotsDirective:
    optouts: set[str] = set()
    for call in calls:
        if call.kind == NOBOTS:
            if any(k != "1" for k in call.params) or _names_me(call.params.get("1", "all"), me):
                return BotsDirective(True, frozenset(), why="the page has {{nobots}}")
            continue
        if "deny" in call.params and _names_me(call.params["deny"], me):
            return BotsDirective(True, frozenset(), why="the page has {{bots|deny=…}} naming the bot")
        if "allow" in call.params:
            value = call.params["allow"]
            names = _names(value) if value is not None else set()
            if value is None or "none" in names or ("all" not in names and me not in names):
                return BotsDirective(True, frozenset(), why="the page has {{bots|allow=…}} without the bot")
        if "optout" in call.params:
            value = call.params["optout"]
            optouts |= {"all"} if value is None else _names(value)
    return BotsDirective(False, frozenset(optouts))


def _names_me(value: str | None, me: str) -> bool:
    if value is None:
        return True  # unreadable: assume it names the bot
    names = _names(value)
    return "all" in names or me in names


def _names(value: str) -> set[str]:
    return {n.strip().replace("_", " ").lower() for n in value.split(",") if n.strip()}


def _calls(text: str, aliases: Mapping[str, str]) -> list[_Call] | None:
    """Every bots/nobots call MediaWiki would expand, or None if the parser failed."""
    if not aliases and not _MAYBE_BOTS_RE.search(text):
        return []  # most talk pages: no name there could be either template
    try:
        code = mwparserfromhell.parse(text, skip_style_tags=True)
        templates = code.filter_templates(recursive=True)
    except Exception:  # mwparserfromhell can fail on pathological input
        return None
    out = []
    for template in templates:
        kind = template_kind(_plain(template.name), aliases)
        if kind is not None:
            out.append(_Call(kind, _params(template)))
    return out


def _params(template: Template) -> dict[str, str | None]:
    params: dict[str, str | None] = {}
    for param in template.params:
        key = _plain(param.name).strip().lower()
        readable = not param.value.filter_templates(recursive=False)
        params[key] = _plain(param.value).strip() if readable else None
    return params


def _plain(code: object) -> str:
    """Wikicode as text without comments (``{{nobots<!-- why -->}}`` is ``nobots``)."""
    nodes = getattr(code, "nodes", None)
    if nodes is None:
        return str(code)
    return "".join(str(n) for n in nodes if not isinstance(n, Comment))
