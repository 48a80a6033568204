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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from bots import reminders
from bots.outcomes import EditOutcome, OutcomeKind
from bots.safety import refusal
from bots.site import PageState
from bots.statuspage import GrantRow, edit_summary, mask_json, render_detail, render_json, render_table
from jobs.context import RunContext
from jobs.grants import Grant
from jobs.serialize import report_from_json, talk_from_json
from jobs.state.settings import Settings
from parsers.markers import ReminderMarker, mask_volatile, reminder_markers
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


@dataclass(frozen=True)
class _Write:
    title: str
    fingerprint: str
    write: Callable[[PageState | None], EditOutcome]


def _pending(ctx: RunContext, title: str, fingerprint: str) -> bool:
    return Settings(ctx.state.engine).get(PUBLISHED + title) != fingerprint


def _run_writes(ctx: RunContext, out: Outcomes, writes: list[_Write]) -> None:
    """Save what changed, reading every page to be written in one batch first."""
    settings = Settings(ctx.state.engine)
    bases = ctx.site.read_pages([w.title for w in writes]) if writes else {}
    for w in writes:
        outcome = out.add(w.write(bases.get(w.title)))
        if outcome.kind in (OutcomeKind.EDITED, OutcomeKind.UNCHANGED):
            settings.set(PUBLISHED + w.title, w.fingerprint, ctx.now())


def publish_status(
    ctx: RunContext, rows: list[GrantRow], out: Outcomes, details_for: Iterable[str] | None = None
) -> None:
    """The status table, its JSON copy and the detail pages of ``details_for``
    (report titles; None = every grant).  Only pages whose content changed
    since the bot last wrote them are read and written."""
    now = ctx.now()
    spec = ctx.status_spec
    settings = Settings(ctx.state.engine)
    previous = settings.get(OPEN_IDS)
    summary = edit_summary(rows, {k: frozenset(v) for k, v in previous.items()} if previous else None)
    writes: list[_Write] = []
    table = render_table(rows, spec, now)
    fp = _fingerprint(mask_volatile(table))
    if _pending(ctx, spec.title, fp):
        writes.append(_Write(spec.title, fp,
                             lambda base: ctx.writer.write_block(spec.title, table, summary, base)))
    if spec.detail_subpages:
        wanted = None if details_for is None else set(details_for)
        for row in rows:
            if wanted is not None and row.report_title not in wanted:
                continue
            writes += _detail_write(ctx, row, now)
    _run_writes(ctx, out, writes)
    if ctx.config.status.json_page:
        data = render_json(rows, spec, now)
        fp = _fingerprint(json.dumps(mask_json(data), sort_keys=True, ensure_ascii=False))
        if _pending(ctx, spec.json_page, fp):
            outcome = out.add(ctx.writer.write_json(spec.json_page, data, summary))
            if outcome.kind in (OutcomeKind.EDITED, OutcomeKind.UNCHANGED):
                settings.set(PUBLISHED + spec.json_page, fp, now)
    if not ctx.simulate:
        settings.set(OPEN_IDS, {r.grant_title: sorted(i.id for i in r.open_items) for r in rows}, now)


def _detail_write(ctx: RunContext, row: GrantRow, now: datetime) -> list[_Write]:
    """A grant's detail page, if it has open items or had a page before."""
    spec = ctx.status_spec
    title = spec.detail_title(row.grant_title)
    known = Settings(ctx.state.engine).get(PUBLISHED + title)
    if not row.open_items and known is None:
        return []
    detail = render_detail(row, spec, now)
    fp = _fingerprint(mask_volatile(detail))
    if known == fp:
        return []
    summary = f"Open items: {len(row.open_items)}"
    return [_Write(title, fp, lambda base: ctx.writer.write_block(title, detail, summary, base))]


def reminder_due(ctx: RunContext, grant: Grant, row: GrantRow) -> bool:
    """Whether the state alone says a reminder may be due (no request)."""
    if not ctx.config.reminders.enabled or row.talk is None:
        return False
    settings = Settings(ctx.state.engine)
    seen = ctx.state.pages_seen([grant.talk_title]).get(grant.talk_title)
    if seen is not None and settings.get(OPTED_OUT + grant.talk_title) == seen.last_revid:
        return False  # refused at this very revision already: do not ask again
    return _decide(ctx, grant, row.talk, ()) is not None


def _decide(ctx: RunContext, grant: Grant, talk: TalkAnalysis,
            markers: tuple[ReminderMarker, ...]) -> reminders.ReminderDecision | None:
    """The policy applied to the page's markers and the state's reminder history."""
    recorded: dict[str, list[datetime]] = {}
    last: datetime | None = None
    for reminder in ctx.state.reminders_for(grant.key):
        last = max(last, reminder.posted_at) if last else reminder.posted_at
        for item_id in reminder.item_ids:
            recorded.setdefault(item_id, []).append(reminder.posted_at)
    return reminders.decide(talk, markers, ctx.reminder_policy, ctx.now(), recorded, last)


def remind(ctx: RunContext, grant: Grant, row: GrantRow, out: Outcomes,
           page: PageState | None = None) -> EditOutcome | None:
    """Post the reminder that is due for ``grant``, if any.

    Decided twice: first from the state alone (:func:`reminder_due`), then
    with the markers on the talk page as it is now (``page``, read in a batch
    by the caller, or here), because the page is the source of truth after a
    crash between posting and recording.
    """
    if not reminder_due(ctx, grant, row):
        return None
    assert row.talk is not None
    policy, now = ctx.reminder_policy, ctx.now()
    if page is None or page.title != grant.talk_title:
        page = ctx.site.current(grant.talk_title)
    reason = refusal(page.text, ctx.site.user, ctx.writer.policy.optout_kind)
    if reason:
        Settings(ctx.state.engine).set(OPTED_OUT + grant.talk_title, page.revid, now)
        return out.add(EditOutcome.refused(grant.talk_title, reason))
    decision = _decide(ctx, grant, row.talk, reminder_markers(page.text))
    if decision is None:
        return None
    heading, body = reminders.render(
        decision, grant.talk_title, _language(row.talk), policy, now, ctx.site.user
    )
    summary = f"Reminder: {len(decision.marker_ids)} open reviewer item(s)"
    outcome = out.add(ctx.writer.append_section(grant.talk_title, heading, body, summary, page))
    if outcome.kind is OutcomeKind.EDITED:
        ctx.state.record_reminder(grant.key, grant.talk_title, decision.marker_ids,
                                  outcome.revid, now)
        out.reminders += 1
        # The reminder changed the talk page: remember its new revision so
        # the next sweep does not refetch a page only the bot touched.
        _advance_revision(ctx, grant, outcome.revid, now)
    return outcome


def _language(talk: TalkAnalysis) -> str:
    return talk.language or "en"


def _advance_revision(ctx: RunContext, grant: Grant, revid: int | None, now: datetime) -> None:
    """Move the talk page's last seen revision to the bot's own, keeping its analysis
    (a reminder adds no reviewer item and answers none)."""
    record = ctx.state.pages_seen([grant.talk_title]).get(grant.talk_title)
    stored = None
    if record is not None and record.analysis_revid is not None:
        stored = ctx.state.stored_analysis(grant.talk_title, record.analysis_revid)
    ctx.state.record_page(
        grant.talk_title, kind="talk", revid=revid, timestamp=now, now=now, grant=grant.key,
        analysis=stored.data if stored else None,
        analysis_version=record.analysis_version if record else None,
    )
