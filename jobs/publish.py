"""Deciding and posting: status rows, the status pages, reminders.

Works from the analyses stored in the state database, so aging (an item
crossing the reminder threshold) needs no fetch.  Each bot page's content
is fingerprinted (volatile parts masked) and compared with what the bot
last gave it, so an unchanged status page costs no request at all; the
writer still re-reads and compares before any save it does make.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bots import reminders
from bots.outcomes import EditOutcome, OutcomeKind
from bots.safety import refusal
from bots.statuspage import GrantRow, edit_summary, mask_json, render_detail, render_json, render_table
from jobs.context import RunContext
from jobs.grants import Grant
from jobs.serialize import report_from_json, talk_from_json
from jobs.state.settings import Settings
from parsers.markers import mask_volatile, reminder_markers
from parsers.model import TalkAnalysis

PUBLISHED = "published."
OPTED_OUT = "opted-out."
OPEN_IDS = "published.open-ids"


@dataclass
class Outcomes:
    """What a run did to the wiki; mutable, one per run."""

    edits: list[EditOutcome] = field(default_factory=list)
    reminders: int = 0

    def add(self, outcome: EditOutcome) -> EditOutcome:
        self.edits.append(outcome)
        return outcome

    @property
    def edited(self) -> int:
        return sum(1 for o in self.edits if o.kind is OutcomeKind.EDITED)

    def by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for outcome in self.edits:
            counts[outcome.kind.value] = counts.get(outcome.kind.value, 0) + 1
        return counts


def load_row(ctx: RunContext, grant: Grant) -> GrantRow:
    """A grant's row from the analyses stored for its pages."""
    seen = ctx.state.pages_seen([grant.report_title, grant.talk_title])
    report_rec, talk_rec = seen.get(grant.report_title), seen.get(grant.talk_title)
    talk = report = None
    note = None
    if talk_rec and talk_rec.analysis_revid is not None:
        stored = ctx.state.stored_analysis(grant.talk_title, talk_rec.analysis_revid)
        if stored and stored.data.get("talk"):
            talk = talk_from_json(stored.data["talk"])
    if talk_rec is None or talk_rec.last_revid is None:
        note = "the talk page does not exist yet"
    if report_rec and report_rec.analysis_revid is not None:
        stored = ctx.state.stored_analysis(grant.report_title, report_rec.analysis_revid)
        if stored and stored.data.get("report"):
            report = report_from_json(stored.data["report"])
    checked = [r.updated_at for r in (report_rec, talk_rec) if r is not None]
    return GrantRow(
        grant_title=grant.grant_title, talk_title=grant.talk_title,
        report_title=grant.report_title, talk=talk, report=report,
        reminders_sent=len(ctx.state.reminders_for(grant.key)),
        last_checked=max(checked) if checked else None, note=note,
    )


def _fingerprint(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _publish(ctx: RunContext, out: Outcomes, title: str, fingerprint: str, write: Any) -> None:
    """Write a bot page unless it already holds exactly this (volatile parts aside)."""
    settings = Settings(ctx.state.engine)
    key = PUBLISHED + title
    if settings.get(key) == fingerprint:
        return
    outcome = out.add(write())
    if outcome.kind in (OutcomeKind.EDITED, OutcomeKind.UNCHANGED):
        settings.set(key, fingerprint, ctx.now())


def publish_status(
    ctx: RunContext, rows: list[GrantRow], out: Outcomes, details_for: Iterable[str] | None = None
) -> None:
    """The status table, its JSON copy and the detail pages of ``details_for``
    (report titles; None = every grant)."""
    now = ctx.now()
    spec = ctx.status_spec
    settings = Settings(ctx.state.engine)
    previous = settings.get(OPEN_IDS)
    summary = edit_summary(rows, {k: frozenset(v) for k, v in previous.items()} if previous else None)
    table = render_table(rows, spec, now)
    _publish(ctx, out, spec.title, _fingerprint(mask_volatile(table)),
             lambda: ctx.writer.write_block(spec.title, table, summary))
    if ctx.config.status.json_page:
        data = render_json(rows, spec, now)
        masked = json.dumps(mask_json(data), sort_keys=True, ensure_ascii=False)
        _publish(ctx, out, spec.json_page, _fingerprint(masked),
                 lambda: ctx.writer.write_json(spec.json_page, data, summary))
    if spec.detail_subpages:
        wanted = None if details_for is None else set(details_for)
        for row in rows:
            if wanted is not None and row.report_title not in wanted:
                continue
            detail = render_detail(row, spec, now)
            title = spec.detail_title(row.grant_title)
            _publish(ctx, out, title, _fingerprint(mask_volatile(detail)),
                     lambda: ctx.writer.write_block(
                         title, detail, f"Open items: {len(row.open_items)}"))
    if not ctx.simulate:
        settings.set(OPEN_IDS, {r.grant_title: sorted(i.id for i in r.open_items) for r in rows}, now)


def remind(ctx: RunContext, grant: Grant, row: GrantRow, out: Outcomes) -> EditOutcome | None:
    """Post the reminder that is due for ``grant``, if any.

    The decision is made twice: first from the state alone (no request),
    then, only if something looks due, again with the markers on the talk
    page as it is now, because the page is the source of truth after a crash
    between posting and recording.
    """
    if not ctx.config.reminders.enabled or row.talk is None:
        return None
    policy = ctx.reminder_policy
    now = ctx.now()
    recorded = _recorded(ctx, grant)
    last = max((r.posted_at for r in ctx.state.reminders_for(grant.key)), default=None)
    if reminders.decide(row.talk, (), policy, now, recorded, last) is None:
        return None
    settings = Settings(ctx.state.engine)
    seen = ctx.state.pages_seen([grant.talk_title]).get(grant.talk_title)
    if seen is not None and settings.get(OPTED_OUT + grant.talk_title) == seen.last_revid:
        return None  # refused at this very revision already: do not ask again
    page = ctx.site.current(grant.talk_title)
    reason = refusal(page.text, ctx.site.user, ctx.writer.policy.optout_kind)
    if reason:
        settings.set(OPTED_OUT + grant.talk_title, page.revid, now)
        return out.add(EditOutcome.refused(grant.talk_title, reason))
    markers = reminder_markers(page.text)
    decision = reminders.decide(row.talk, markers, policy, now, recorded, last)
    if decision is None:
        return None
    heading, body = reminders.render(
        decision, grant.talk_title, _language(row.talk), policy, now, ctx.site.user
    )
    summary = f"Reminder: {len(decision.marker_ids)} open reviewer item(s)"
    outcome = out.add(ctx.writer.append_section(grant.talk_title, heading, body, summary))
    if outcome.kind is OutcomeKind.EDITED:
        ctx.state.record_reminder(grant.key, grant.talk_title, decision.marker_ids,
                                  outcome.revid, now)
        out.reminders += 1
        # The reminder changed the talk page: remember its new revision so
        # the next sweep does not refetch a page only the bot touched.
        ctx.state.record_page(grant.talk_title, kind="talk", revid=outcome.revid, timestamp=now,
                              now=now, grant=grant.key, analysis=_stored(ctx, grant.talk_title),
                              analysis_version=_version(ctx, grant.talk_title))
    return outcome


def _language(talk: TalkAnalysis) -> str:
    return talk.language or "en"


def _recorded(ctx: RunContext, grant: Grant) -> dict[str, list[Any]]:
    recorded: dict[str, list[Any]] = {}
    for reminder in ctx.state.reminders_for(grant.key):
        for item_id in reminder.item_ids:
            recorded.setdefault(item_id, []).append(reminder.posted_at)
    return recorded


def _stored(ctx: RunContext, title: str) -> Any:
    record = ctx.state.pages_seen([title]).get(title)
    if record is None or record.analysis_revid is None:
        return None
    stored = ctx.state.stored_analysis(title, record.analysis_revid)
    return stored.data if stored else None


def _version(ctx: RunContext, title: str) -> str | None:
    record = ctx.state.pages_seen([title]).get(title)
    return record.analysis_version if record else None
