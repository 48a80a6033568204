"""Making text copied from wiki pages inert before the bot writes it back.

Anything a grantee or reviewer wrote (a question, a heading, a user name) can
contain wikitext: ``{{template}}``, ``[[Category:X]]``, ``~~~~``,
``__NOINDEX__``, ``<ref>``, ``|}`` that ends our table, or a bare URL.  When
the bot quotes it in a status table, a detail page or a reminder, it must
render as the characters people typed and do nothing else.

Two tools, for two places:

* :func:`text` for running text and table cells: the whole excerpt goes
  inside ``<nowiki>`` (which also disarms ``~~~~`` at pre-save transform,
  magic links like ``ISBN``, free URLs and table syntax), with ``&``, ``<``
  and ``>`` turned into entities so no ``</nowiki>`` in the input can close
  it early.  Newlines and control characters are collapsed, so a quoted
  line can never start with ``|``, ``!``, ``-``, ``*``, ``=`` or ``{|``.
* :func:`link` / :func:`fragment` for link targets, where nowiki cannot go:
  every character that has a meaning in a link (``[]{}|<>&~'=_``…) is a
  numeric character reference, which MediaWiki decodes when it resolves the
  target, so the link still reaches the right section anchor.  Labels are
  escaped the same way, but for ``:`` and ``/``, inert there.
"""

from __future__ import annotations

import re
from types import MappingProxyType

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_SPACE_RE = re.compile(r"\s+")
# Characters that mean something somewhere in wikitext; in link targets and
# labels they become numeric character references.
_SPECIAL = set("{}[]|~_<>&'=*#:;!-\"%/")
_ENTITIES = MappingProxyType({ord(ch): f"&#{ord(ch)};" for ch in _SPECIAL})
_LINK_PIPE_RE = re.compile(r"\[\[(?:[^\[\]|]*\|)?([^\[\]]*)\]\]")
_EXTLINK_RE = re.compile(r"\[(?:https?:)?//\S+\s+([^\]]*)\]")
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_TEMPLATE_RE = re.compile(r"\{\{[^{}]*\}\}")


def collapse(value: str, limit: int | None = None) -> str:
    """One line of plain text, at most ``limit`` characters (an ellipsis marks the cut)."""
    flat = _SPACE_RE.sub(" ", _CONTROL_RE.sub(" ", value)).strip()
    if limit is not None and len(flat) > limit:
        flat = flat[: max(limit - 1, 0)].rstrip() + "…"
    return flat


def text(value: str | None, limit: int | None = None) -> str:
    """Inert wikitext showing ``value`` literally (empty string for None/empty)."""
    flat = collapse(value or "", limit)
    if not flat:
        return ""
    escaped = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<nowiki>{escaped}</nowiki>"


def entities(value: str, keep: str = "") -> str:
    """Every wikitext-special character (except those in ``keep``) as a numeric
    character reference."""
    out = collapse(value).translate(_ENTITIES)
    for ch in keep:  # every "&" of the input is "&#38;" by now: only ours read "&#NN;"
        out = out.replace(f"&#{ord(ch)};", ch)
    return out


def anchor(heading: str) -> str:
    """The section anchor MediaWiki derives from a heading's wikitext, best effort:
    links become their labels, bold/italic quotes, tags, comments and simple
    templates disappear, whitespace collapses."""
    value = re.sub(r"<!--.*?-->", "", heading, flags=re.DOTALL)
    value = _TEMPLATE_RE.sub("", value)
    value = _LINK_PIPE_RE.sub(lambda m: m.group(1), value)
    value = _EXTLINK_RE.sub(lambda m: m.group(1), value)
    value = _TAG_RE.sub("", value)
    value = re.sub(r"'{2,}", "", value)
    return collapse(value)


def fragment(section_anchor: str) -> str:
    """A ``#fragment`` safe inside ``[[...]]`` that still targets the section."""
    return entities(section_anchor.replace("_", " "))


def link(title: str, label: str | None = None, section: str | None = None) -> str:
    """``[[:Title#section|label]]`` with title, section and label made inert.

    The leading colon keeps a title in the Category or File namespace from
    categorising or embedding; the label is entity-escaped text.
    """
    # ":" and "/" stay literal in the title so MediaWiki sees the namespace and
    # subpage structure before it decodes references; in the label they mean
    # nothing (a label makes no link, URL or namespace of them) and cost five
    # bytes each on every title the status table shows.
    target = entities(title.replace("_", " "), keep=":/")
    if section:
        target += "#" + fragment(section)
    shown = entities(label if label is not None else title, keep=":/")
    return f"[[:{target}|{shown}]]"


def user_link(name: str) -> str:
    """A link to a user page (notifies with Echo, unlike ``{{ping}}`` it needs no template)."""
    return link(f"User:{name}", name)
