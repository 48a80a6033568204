"""Who is on the reviewer side and who is on the grantee side.

Why a policy object: the same page is judged differently depending on who
is asking.  Program officers sign with ``(WMF)`` accounts, but committee
members use ordinary accounts, and on some grants a staff member of another
affiliate is the grantee.  The caller (configuration, or the wiki job that
knows the report page's creator and main editors) passes the accounts in;
everything else follows the defaults below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["reviewer", "grantee", "other"]

_WMF_MARK = re.compile(r"\((?:WMF|Wikimedia Foundation)\)\s*$", re.IGNORECASE)
_BLANKS = re.compile(r"[\s_]+")
_USER_PREFIX = re.compile(r"^user\s*:\s*", re.IGNORECASE)


def normalise_user(name: str) -> str:
    """Account names as MediaWiki compares them: spaces, first letter upper-cased."""
    s = _USER_PREFIX.sub("", _BLANKS.sub(" ", name).strip())
    return s[:1].upper() + s[1:]


@dataclass(frozen=True)
class Roles:
    """Reviewer accounts and patterns, grantee accounts.

    When ``grantees`` is empty, everyone who is not a reviewer counts as the
    grantee side (the usual case: reviewers come and ask, everyone else on
    a grant's talk page is the grantee team).
    """

    reviewers: frozenset[str] = field(default_factory=frozenset)
    reviewer_patterns: tuple[re.Pattern[str], ...] = ()
    grantees: frozenset[str] = field(default_factory=frozenset)
    ignored: frozenset[str] = field(default_factory=frozenset)  # bots: on neither side

    @classmethod
    def build(cls, reviewers: tuple[str, ...] | list[str] = (),
              reviewer_patterns: tuple[str, ...] | list[str] = (),
              grantees: tuple[str, ...] | list[str] = (),
              ignored: tuple[str, ...] | list[str] = ()) -> Roles:
        """Roles from plain strings; raises ``re.error`` for an invalid pattern."""
        return cls(
            ignored=frozenset(normalise_user(i) for i in ignored if i and i.strip()),
            reviewers=frozenset(normalise_user(r) for r in reviewers if r and r.strip()),
            reviewer_patterns=tuple(re.compile(p, re.IGNORECASE) for p in reviewer_patterns if p),
            grantees=frozenset(normalise_user(g) for g in grantees if g and g.strip()),
        )

    def is_reviewer(self, user: str | None) -> bool:
        if not user:
            return False
        name = normalise_user(user)
        if name in self.reviewers or _WMF_MARK.search(name):
            return True
        return any(p.search(name) for p in self.reviewer_patterns)

    def is_ignored(self, user: str | None) -> bool:
        """Accounts such as this bot, whose comments (reminders) are nobody's answer."""
        return bool(user) and normalise_user(user or "") in self.ignored

    def role_of(self, user: str | None) -> Role:
        """The side ``user`` speaks for; an explicitly listed grantee wins over patterns."""
        if not user:
            return "other"
        name = normalise_user(user)
        if name in self.ignored:
            return "other"
        if name in self.grantees and name not in self.reviewers:
            return "grantee"
        if self.is_reviewer(name):
            return "reviewer"
        if self.grantees:
            return "other"
        return "grantee"
