"""A report's ``status=`` value, whatever its language, as one of Meta's report states.

Why: reports on Meta are written in many languages and their status field
reads "under review", "en revisión", "em análise" or "en cours d'examen"
for the same state.  A program officer filtering the status page, and the
reminder policy (no reminder for accepted or closed reports, no "waiting on
reviewer" for drafts), need one vocabulary.  Pure: a string in, a
:class:`NormalisedStatus` with the reason out; never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from parsers.text import fold


class ReportState(str, Enum):
    """Meta's report states, in the order a report moves through them."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under review"
    INCOMPLETE = "incomplete"  # the reviewers asked for more before accepting
    ACCEPTED = "accepted"
    CLOSED = "closed"  # withdrawn, cancelled, archived: nobody acts on it any more
    UNKNOWN = "unknown"  # no status field, or a value none of the words below matches

    @property
    def settled(self) -> bool:
        """Nobody owes anybody a reply on a settled report: no reminder, no "waiting on reviewer"."""
        return self in (ReportState.ACCEPTED, ReportState.CLOSED)

    @property
    def reviewer_can_owe(self) -> bool:
        """A reviewer owes a reply only on a report handed in and not settled."""
        return self in (ReportState.SUBMITTED, ReportState.UNDER_REVIEW, ReportState.INCOMPLETE,
                        ReportState.UNKNOWN)


@dataclass(frozen=True)
class NormalisedStatus:
    state: ReportState
    raw: str | None
    reason: str


# Checked in this order: "not accepted" must be INCOMPLETE before "accepted"
# matches, "under review" before "review".  Words are folded (lower case, no accents).
_RULES: tuple[tuple[ReportState, str], ...] = (
    (ReportState.INCOMPLETE, r"not accepted|rejected|incomplete|revisions? (?:requested|needed)|"
     r"needs? (?:revision|changes|more)|changes requested|no aceptad|rechazad|incomplet|"
     r"revision solicitada|requiere cambios|nao aceit|rejeitad|revisao solicitada|"
     r"non accepte|refuse|a completer|a corriger"),
    (ReportState.CLOSED, r"closed|withdrawn|cancel+ed|archived|cerrad|retirad|cancelad|archivad|"
     r"fechad|arquivad|ferme|retire|annule|archive|clos\b"),
    (ReportState.ACCEPTED, r"accepted|approved|complete[d]?\b|done|aceptad|aprobad|completad|"
     r"aceit|aprovad|conclu|accepte|approuve|termine|valide"),
    (ReportState.UNDER_REVIEW, r"under review|in review|reviewing|being reviewed|en revision|"
     r"en evaluacion|em (?:analise|revisao|avaliacao)|en cours (?:d'examen|de revision|d.evaluation)|"
     r"en examen|en revue|review"),
    (ReportState.SUBMITTED, r"submitted|handed in|received|enviad|presentad|entregad|recibid|"
     r"submetid|recebid|soumis|envoye|depose|recu"),
    (ReportState.DRAFT, r"draft|in progress|not submitted|borrador|en progreso|en preparacion|"
     r"rascunho|em andamento|em preparacao|brouillon|en cours|en preparation"),
)
_COMPILED = tuple((state, re.compile(rf"(?:^|\b)(?:{pattern})")) for state, pattern in _RULES)


def normalise(raw: str | None) -> NormalisedStatus:
    """The Meta report state a ``status=`` value means."""
    if raw is None or not raw.strip():
        return NormalisedStatus(ReportState.UNKNOWN, raw, "the report has no status field")
    folded = fold(raw)
    for state, pattern in _COMPILED:
        match = pattern.search(folded)
        if match:
            return NormalisedStatus(state, raw, f"'{match.group(0).strip()}' in the status means {state.value}")
    return NormalisedStatus(ReportState.UNKNOWN, raw, "no known report state in the status field")
