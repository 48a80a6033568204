"""What the bot may edit at all: the allowlist, the shutoff page, opt-outs.

These rules are not configuration: a configuration file that names the
Main Page as the status page must be refused, not obeyed.  The bot may
edit

* pages under its own user space (``User:<bot>/…``: status pages, their
  detail subpages and the JSON copy), except the shutoff page itself, and
* pages in the configured grant talk namespace (201, ``Grants talk:``, on
  Meta), only by appending a new section, and
* the own talk page (``User talk:<name>``, no subpage) of a reviewer who
  asked for nudges there, only by appending a new section.

The shutoff page (``User:<bot>/Shutoff``) stops every edit when it exists
with any content other than ``run`` (stripped, any case).  A missing page
means run: new wikis should not need a page to get started.

:class:`EditPolicy` carries what configuration may set within these rules
(narrower prefixes, an edit cap, simulation); the writer applies both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bots.errors import NotAllowedError
from parsers.exclusion import bots_directive
_REDIRECT_RE = re.compile(r"\A\s*#[^\s\[]+\s*:?\s*\[\[([^\]|#]*)")


@dataclass(frozen=True)
class Allowlist:
    bot_user: str
    talk_namespaces: frozenset[int]  # the configured grant talk namespace
    nudge_pages: frozenset[str] = frozenset()  # opted-in reviewers' own talk pages, exact titles

    @property
    def user_prefix(self) -> str:
        return f"User:{self.bot_user}/"

    @property
    def shutoff_title(self) -> str:
        return shutoff_title(self.bot_user)

    def check_block_page(self, title: str, namespace: int) -> None:
        """Status, detail and JSON pages: only in the bot's own user space."""
        if title == self.shutoff_title or title.startswith(self.shutoff_title + "/"):
            raise NotAllowedError(f"refusing to edit {title!r}: it is the bot's shutoff page")
        if namespace != 2 or not title.startswith(self.user_prefix):
            raise NotAllowedError(
                f"refusing to edit {title!r}: status pages must be subpages of "
                f"{self.user_prefix.rstrip('/')!r}"
            )

    def check_talk_page(self, title: str, namespace: int) -> None:
        """Reminders: only on grant talk pages; nudges: only on an opted-in reviewer's own talk page."""
        if namespace == 3 and title in self.nudge_pages and "/" not in title:
            return
        if namespace not in self.talk_namespaces:
            raise NotAllowedError(
                f"refusing to post on {title!r}: reminders go only to pages in namespace(s) "
                f"{sorted(self.talk_namespaces)} (the grant talk namespace)"
            )


def shutoff_title(bot_user: str) -> str:
    return f"User:{bot_user}/Shutoff"


def shutoff_says_stop(exists: bool, text: str) -> bool:
    return exists and text.strip().lower() != "run"


def refusal(text: str, bot_user: str, kind: str | None = None,
            transcluded: Iterable[str] | None = None,
            aliases: Mapping[str, str] | None = None) -> str | None:
    """Why the page's own templates forbid this edit, or None when allowed.

    ``kind`` is the opt-out message type (e.g. ``grantbot-reminders``);
    ``transcluded`` and ``aliases`` what the wiki says about the page's
    bots/nobots templates (see :mod:`parsers.exclusion`), when known."""
    directive = bots_directive(text, bot_user, transcluded, aliases)
    if directive.denied:
        return f"the page excludes this bot ({directive.why})"
    if kind is not None and directive.opted_out(kind):
        return f"the page opted out of {kind} ({{{{bots|optout=…}}}})"
    return None


def redirect_refusal(text: str) -> str:
    """Why the bot does not write to a page the wiki says is a redirect.

    Not following it, even into the bot's own space: a moved status page
    may be an archive now, and a redirect planted from one detail page to
    another would make the bot publish one grant's data on another's page.
    An operator decides (move the page back, or delete the redirect)."""
    match = _REDIRECT_RE.match(text)
    target = f" to [[{match.group(1).strip()}]]" if match else ""
    return (f"the page is a redirect{target} (moved?): the bot never writes through a redirect; "
            "move the page back or delete the redirect")


@dataclass(frozen=True)
class EditPolicy:
    """How to write; the runner maps configuration onto this."""

    simulate: bool = False
    max_tries: int = 3
    shutoff_every: int = 50
    optout_kind: str = "grantbot-reminders"
    minor: bool = True
    # Configuration may narrow the hard allowlist further, never widen it.
    allowed_prefixes: tuple[str, ...] = ()
    max_edits: int = 0  # per run; 0 = no limit
    shutoff_title: str | None = None  # default: User:<bot>/Shutoff
    talk_namespace: int = 201  # where reminders may go: [grants] talk_namespace
    nudge_pages: tuple[str, ...] = ()  # "User talk:<reviewer>" of [reminders] reviewer_nudges
