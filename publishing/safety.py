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
"""

from __future__ import annotations

from dataclasses import dataclass

from bots.errors import NotAllowedError
from parsers.markers import bots_directive



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


def refusal(text: str, bot_user: str, kind: str | None = None) -> str | None:
    """Why the page's own templates forbid this edit, or None when allowed.

    ``kind`` is the opt-out message type (e.g. ``grantbot-reminders``)."""
    directive = bots_directive(text, bot_user)
    if directive.denied:
        return "the page excludes this bot ({{nobots}} or {{bots|deny/allow}})"
    if kind is not None and directive.opted_out(kind):
        return f"the page opted out of {kind} ({{{{bots|optout=…}}}})"
    return None
