"""What happened when the bot tried to write: a value, never an exception.

The runner records and reports outcomes per page; a refused or simulated
edit is a normal result of a run, not an error, so callers can treat every
page the same way and keep going.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class OutcomeKind(str, Enum):
    EDITED = "edited"
    UNCHANGED = "unchanged"
    SIMULATED = "simulated"
    REFUSED = "refused"
    CONFLICT_GAVE_UP = "conflict-gave-up"


@dataclass(frozen=True)
class EditOutcome:
    kind: OutcomeKind
    title: str
    revid: int | None = None  # EDITED: the bot's new revision; UNCHANGED: the revision checked
    diff: str | None = None  # SIMULATED: unified diff of what would have been saved
    reason: str | None = None  # REFUSED / CONFLICT_GAVE_UP: why, in plain words
    tries: int = 1
    # REFUSED for a reason people must fix (a redirect, a page that is not the
    # bot's to replace), not by the page's own choice (nobots): the run reports it.
    alarm: bool = False

    @property
    def changed(self) -> bool:
        return self.kind is OutcomeKind.EDITED

    @classmethod
    def edited(cls, title: str, revid: int, tries: int = 1) -> EditOutcome:
        return cls(OutcomeKind.EDITED, title, revid=revid, tries=tries)

    @classmethod
    def unchanged(cls, title: str, revid: int | None = None) -> EditOutcome:
        """``revid``: the page's revision found to hold what the bot would write."""
        return cls(OutcomeKind.UNCHANGED, title, revid=revid)

    @classmethod
    def simulated(cls, title: str, diff: str) -> EditOutcome:
        return cls(OutcomeKind.SIMULATED, title, diff=diff)

    @classmethod
    def refused(cls, title: str, reason: str, alarm: bool = False) -> EditOutcome:
        return cls(OutcomeKind.REFUSED, title, reason=reason, alarm=alarm)

    @classmethod
    def gave_up(cls, title: str, reason: str, tries: int) -> EditOutcome:
        return cls(OutcomeKind.CONFLICT_GAVE_UP, title, reason=reason, tries=tries)

    def describe(self) -> str:
        """One line for logs and the command line."""
        if self.kind is OutcomeKind.EDITED:
            return f"{self.title}: edited (revision {self.revid})"
        if self.kind is OutcomeKind.SIMULATED:
            return f"{self.title}: simulated, not saved"
        if self.reason:
            return f"{self.title}: {self.kind.value} ({self.reason})"
        return f"{self.title}: {self.kind.value}"
