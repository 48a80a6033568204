"""The sweep's last stages: rows, render, write (the status output).

Rendering needs every grant's analysis; this sweep's fresh ones are in
memory, the others are read from the state in bulk and decoded, and only
when something the output depends on moved: the grants and their analysed
revisions, reminder counts, the configuration and the day (the one clock
value the pages show, through the overdue colour).  A digest of those
inputs is kept, so a quiet sweep renders nothing.  Each output page's
content is fingerprinted (volatile parts masked) and compared with what the
bot last gave it, so only changed pages are read (in one batch) and saved.

A fingerprint says what the bot wrote, not what the page says now: a person
may have changed a number in the table, or deleted the page.  So the
revision each page had when the bot saved it (or found it right) is kept,
and a page whose latest revision is another (a person's edit, move or
deletion the probe saw among the recent changes of the bot's own pages) is
rendered and compared again (:func:`tampered`); a quiet sweep still costs
its one probe request.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bots.changes import Change, list_pages, read_bases
from bots.site import PageState
from jobs.context import RunContext
from jobs.grants import Grant
from jobs.nudge import nudge_reviewers
from jobs.refresh import FAILED, GRANT_LIST, Analysed
from jobs.retire import stale_outputs
from jobs.serialize import report_from_json, talk_from_json
from jobs.state.bulk import CHUNK, SweepState, load_analyses, save_settings
from jobs.state.records import PageRecord, ReminderRecord
from jobs.wording import load_wording
from parsers.model import ItemStatus, ReportAnalysis, TalkAnalysis
from publishing.blocks import block_fingerprint
from publishing.outcomes import EditOutcome, OutcomeKind
from publishing.pages import OutputPage, PageKind, json_pages, retired_page, table_pages
from publishing import reminders
from publishing.statuspage import (
    GrantRow,
    StatusPageSpec,
    day_of,
    edit_summary,
    mask_json,
    render_detail,
)
from publishing.views import by_program, by_reviewer

PUBLISHED = "published."
OPEN_IDS = "published.open-ids"
INPUTS = "published.inputs"
INPUTS_DAY = "published.inputs-day"  # configuration and day of the last complete publish
PARTS = "published.parts"
_OWN_KEYS = {OPEN_IDS, INPUTS, INPUTS_DAY, PARTS}  # PUBLISHED-prefixed keys that name no page
REVISION = "published-revision."  # + title: the page's revision the bot saved or found right


@dataclass
class Outcomes:
    """What a run did to the wiki; mutable, one per run."""

    edits: list[EditOutcome] = field(default_factory=list)
    posted: list[ReminderRecord] = field(default_factory=list)  # reminders saved
    pages: dict[str, PageRecord] = field(default_factory=dict)  # records the run moved

    @property
    def reminders(self) -> int:
        return len(self.posted)

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


def _day_key(ctx: RunContext) -> str:
    return repr((ctx.status_spec, ctx.config.status.json_page, day_of(ctx.now()).date()))


def inputs_digest(ctx: RunContext, grants: Iterable[Grant], pages: Mapping[str, PageRecord],
                  state: SweepState) -> str:
    """Everything the status output is computed from, hashed."""
    digest = hashlib.sha256(_day_key(ctx).encode())
    for grant in grants:
        report, talk = pages.get(grant.report_title), pages.get(grant.talk_title)
        digest.update(repr((
            grant.key, report.analysis_revid if report else None,
            talk.analysis_revid if talk else None, bool(talk and talk.last_revid),
            len(state.reminders.get(grant.key, ())),
        )).encode())
    return digest.hexdigest()


def build_rows(ctx: RunContext, grants: Iterable[Grant], pages: Mapping[str, PageRecord],
               state: SweepState, fresh: Mapping[str, Analysed]) -> list[GrantRow]:
    """Every grant's row: fresh analyses as they are, the others decoded from the
    state 500 grants at a time, keeping open items only (memory at 10,000 grants)."""
    grants = list(grants)
    rows = []
    for start in range(0, len(grants), CHUNK):
        chunk = grants[start : start + CHUNK]
        stored = load_analyses(ctx.state.engine, [
            t for g in chunk if g.key not in fresh for t in (g.report_title, g.talk_title)])
        for grant in chunk:
            if grant.key in fresh:
                talk, report = fresh[grant.key].talk, fresh[grant.key].report
                refused = fresh[grant.key].refusal
            else:
                talk, report = decoded(stored, grant, open_only=True)
                refused = ((stored.get(grant.talk_title) or (None, {}))[1] or {}).get("refusal")
            rows.append(_row(ctx, grant, talk, report, pages, state, refused))
    return rows


def _row(ctx: RunContext, grant: Grant, talk: TalkAnalysis | None, report: ReportAnalysis | None,
         pages: Mapping[str, PageRecord], state: SweepState, refused: str | None) -> GrantRow:
    """One grant's row, with what the reminder policy says about it."""
    records = [r for r in (pages.get(grant.report_title), pages.get(grant.talk_title)) if r]
    talk_rec = pages.get(grant.talk_title)
    row = GrantRow(
        grant_title=grant.grant_title, talk_title=grant.talk_title,
        report_title=grant.report_title, talk=talk, report=report,
        reminders_sent=len(state.reminders.get(grant.key, ())),
        last_checked=max((r.updated_at for r in records), default=None),
        note=_note(state, grant, talk_rec),
    )
    reminder = reminders.state(talk, ctx.reminder_policy, day_of(ctx.now()),
                               _recorded(state.reminders.get(grant.key, ())),
                               refused, row.report_state, enabled=ctx.config.reminders.enabled)
    return dataclasses.replace(row, reminder=reminder)


def _note(state: SweepState, grant: Grant, talk: PageRecord | None) -> str | None:
    failed = state.settings.get(FAILED + grant.key)
    if failed:
        return f"could not be processed: {failed}"
    return None if talk and talk.last_revid else "the talk page does not exist yet"


def _recorded(records: Iterable[ReminderRecord]) -> dict[str, list[datetime]]:
    out: dict[str, list[datetime]] = {}
    for record in records:
        for item_id in record.item_ids:
            out.setdefault(item_id, []).append(record.posted_at)
    return out


def render_spec(ctx: RunContext) -> StatusPageSpec:
    """The status spec with the run's wording and link style (read only when rendering)."""
    return dataclasses.replace(ctx.status_spec, messages=load_wording(ctx), goto_comment=ctx.goto_comment)


def decoded(stored: Mapping[str, tuple[int | None, Any]], grant: Grant, open_only: bool = False
            ) -> tuple[TalkAnalysis | None, ReportAnalysis | None]:
    """A grant's stored analyses; ``open_only``: answered items are left undecoded
    (most items are answered, and the output shows open ones only)."""
    talk_data = (stored.get(grant.talk_title) or (None, {}))[1] or {}
    report_data = (stored.get(grant.report_title) or (None, {}))[1] or {}
    raw = talk_data.get("talk")
    if raw and open_only:
        raw = {**raw, "items": [i for i in raw.get("items", ()) if i.get("status") == ItemStatus.OPEN.value]}
    talk = talk_from_json(raw) if raw else None
    report = report_from_json(report_data["report"]) if report_data.get("report") else None
    return talk, report


def fingerprint(page: OutputPage) -> str:
    """What the bot gives a page, volatile parts masked (a block's is its
    :func:`~publishing.blocks.block_fingerprint`, which the writer compares
    with the page's block to know it is still the bot's own)."""
    if page.kind is PageKind.JSON:
        text = json.dumps(mask_json(page.data), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    return block_fingerprint(page.block)


def details(rows: list[GrantRow], spec: StatusPageSpec, settings: Mapping[str, Any],
            details_for: Iterable[str] | None, now: datetime) -> list[OutputPage]:
    """The detail subpages of grants with open items (and of those that had some)."""
    if not (spec.details and spec.detail_subpages):
        return []
    wanted = None if details_for is None else set(details_for)
    out = []
    for row in rows:
        title = spec.detail_title(row.grant_title)
        if settings.get(FAILED + str(row.report_title)):
            continue  # its row says why; its detail page may not even have a valid title
        if (wanted is None or row.report_title in wanted) and (
                row.open_items or PUBLISHED + title in settings):
            out.append(OutputPage(title, PageKind.BLOCK, render_detail(row, spec, now)))
    return out


def render(ctx: RunContext, rows: list[GrantRow], settings: Mapping[str, Any],
           details_for: Iterable[str] | None) -> list[OutputPage]:
    """Every output page, including parts left over from a longer table."""
    spec, now = render_spec(ctx), ctx.now()
    # Detail pages first: saved before the table links to them, its links are not red.
    out = details(rows, spec, settings, details_for, now) + table_pages(rows, spec, now)
    if spec.views:
        out += [OutputPage(spec.reviewers_title, PageKind.BLOCK,
                           by_reviewer(rows, spec, now, ctx.config.reminders.reviewer_silence_days)),
                OutputPage(spec.programs_title, PageKind.BLOCK, by_program(rows, spec, now))]
    if ctx.config.status.json_page:
        out += json_pages(rows, spec, now)
    current = {p.title for p in out}
    for title, kind in (settings.get(PARTS) or {}).items():
        if title not in current:
            out.append(retired_page(title, PageKind(kind), spec))
    if details_for is None:  # a complete render: what it no longer produces is no longer maintained
        published = [k[len(PUBLISHED):] for k, v in settings.items() if k.startswith(PUBLISHED) and v
                     and k not in (OPEN_IDS, INPUTS, INPUTS_DAY, PARTS)]
        out += stale_outputs(spec, settings, published, {p.title for p in out}, rows)
    return out


def publish(ctx: RunContext, state: SweepState, grants: Mapping[str, Grant],
            pages: Mapping[str, PageRecord], fresh: Mapping[str, Analysed], out: Outcomes,
            details_for: Iterable[str] | None = None,
            touched: Sequence[Change] | None = ()) -> list[str]:
    """Render and save what changed; returns errors (refused or abandoned saves).

    ``touched``: changes people made to the bot's own pages since the last
    sweep (the probe's), or None when they are unknown (then every page the
    bot maintains is checked, one listing request)."""
    settings = state.settings
    day = _day_key(ctx)
    suspects = tampered(ctx, settings, touched)
    moved = fresh or out.posted or out.pages or suspects
    if not moved and settings.get(INPUTS_DAY) == day and list(grants) == settings.get(GRANT_LIST):
        return []  # the same grants, nothing refetched or posted, the same day: no per-grant work
    digest = inputs_digest(ctx, grants.values(), pages, state)
    if not fresh and not suspects and settings.get(INPUTS) == digest:
        return []  # nothing the output depends on moved: no rendering at all
    rows = build_rows(ctx, grants.values(), pages, state, fresh)
    for outcome in nudge_reviewers(ctx, rows, render_spec(ctx), settings):
        out.add(outcome)
    outputs = render(ctx, rows, settings, details_for)
    pending = [(p, fingerprint(p)) for p in outputs]
    pending = [(p, fp) for p, fp in pending
               if p.title in suspects or settings.get(PUBLISHED + p.title) != fp]
    previous = settings.get(OPEN_IDS)
    summary = edit_summary(rows, {k: frozenset(v) for k, v in previous.items()} if previous else None,
                           render_spec(ctx))
    saved, errors = _write_all(ctx, pending, summary, settings, out)
    if not ctx.simulate:
        saved[PARTS] = {**(settings.get(PARTS) or {}), **_parts(ctx, outputs)}
        saved[OPEN_IDS] = {r.grant_title: sorted(i.id for i in r.open_items) for r in rows}
        saved[INPUTS] = digest if not errors else None
        saved[INPUTS_DAY] = day if not errors else None
    save_settings(ctx.state.engine, saved, ctx.now())
    return errors


def _bases(ctx: RunContext, titles: list[str], settings: Mapping[str, Any]) -> dict[str, PageState]:
    """The pages to save as they are now (as the writer needs them: redirect flag,
    exclusion), read in one batch; a page this state never saved is taken as
    missing without asking (it is created with ``createonly``: if someone made
    it meanwhile, the writer's conflict path reads it then, with the same
    checks).  A simulated run reads them all, to show true diffs."""
    known = [t for t in titles if ctx.simulate or PUBLISHED + t in settings]
    bases = read_bases(ctx.site, known) if known else {}
    return {t: bases.get(t) or PageState(t, False, "", None, None, exclusion=frozenset()) for t in titles}


def tampered(ctx: RunContext, settings: Mapping[str, Any], touched: Sequence[Change] | None) -> set[str]:
    """The bot's pages whose latest revision is not one the bot saved or checked
    (someone edited, moved or deleted them): they are compared with what the
    bot would write, whatever the state's fingerprints say."""
    maintained = {k[len(PUBLISHED):] for k in settings
                  if k.startswith(PUBLISHED) and k not in _OWN_KEYS}
    if not maintained:
        return set()
    checked = {t: settings.get(REVISION + t) or 0 for t in maintained}
    if touched is None:
        listed = list_pages(ctx.site, 2, f"{ctx.site.user}/")
        return {t for t in maintained if t not in listed or listed[t].revid != checked[t]}
    return {c.title for c in touched if c.title in maintained
            and (c.kind == "log" or (c.revid or 0) > checked[c.title])}


def _write_all(ctx: RunContext, pending: list[tuple[OutputPage, str]], summary: str,
               settings: Mapping[str, Any], out: Outcomes) -> tuple[dict[str, Any], list[str]]:
    """Save the pending pages: settings to record, errors for the run."""
    bases = _bases(ctx, [p.title for p, _ in pending], settings) if pending else {}
    saved: dict[str, Any] = {}
    errors = []
    for page, fp in pending:
        own = settings.get(PUBLISHED + page.title)
        outcome = out.add(_write(ctx, page, summary, bases.get(page.title), own))
        if outcome.kind in (OutcomeKind.EDITED, OutcomeKind.UNCHANGED):
            saved[PUBLISHED + page.title] = fp
            if outcome.revid is not None:
                saved[REVISION + page.title] = outcome.revid
        elif outcome.kind is not OutcomeKind.SIMULATED:
            errors.append(f"status output not saved: {outcome.describe()}")
    return saved, errors


def _write(ctx: RunContext, page: OutputPage, summary: str, base: PageState | None,
           own: str | None) -> EditOutcome:
    """``own``: the fingerprint of what the bot last saved on the page."""
    if page.kind is PageKind.JSON:
        return ctx.writer.write_json(page.title, page.data, summary, base)
    return ctx.writer.write_block(page.title, page.block, summary, base, own)


def _parts(ctx: RunContext, outputs: list[OutputPage]) -> dict[str, str]:
    """The numbered parts among ``outputs`` (remembered, to retire them when the table shrinks)."""
    spec = ctx.status_spec
    n = len(outputs)
    numbered = {spec.part_title(i) for i in range(1, n + 1)} | {
        spec.json_part_title(i) for i in range(1, n + 1)}
    return {p.title: p.kind.value for p in outputs if p.title in numbered}
