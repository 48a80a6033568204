"""The sweep's reminder stage: candidates from the state, then each page's markers.

A reminder can become due without any page changing (an item ages past
``min_age_days``), so this stage cannot look only at what the sweep
fetched; but it must not decode every grant's analysis either.  The items
table says which open items are old enough (one query), the reminder
history loaded with the state says which of them may still be reminded;
only those grants' talk analyses are read.  Each is then decided again on
the talk page as it is now (read in one batch), because the page's markers
are the source of truth after a crash between posting and recording.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime, timedelta

from bots.changes import read_bases
from bots.errors import GrantbotError
from bots.site import PageState
from jobs.context import RunContext
from jobs import verify
from jobs.grants import Grant
from jobs.publish import Outcomes, decoded
from jobs.refresh import Analysed, first_line
from jobs.state.bulk import SweepState, advance_page, load_analyses, open_items, save_settings
from jobs.state.records import PageRecord, ReminderRecord
from jobs.wording import load_wording
from parsers.markers import ReminderMarker
from parsers.model import ReportAnalysis, TalkAnalysis
from parsers.reportstatus import normalise
from publishing import reminders
from publishing.outcomes import EditOutcome, OutcomeKind

OPTED_OUT = "opted-out."
SETTLED = "settled-report."  # + report title: the revision at which the report was accepted or closed
Found = tuple[TalkAnalysis, ReportAnalysis | None]  # a grant's talk and report analyses


def candidates(ctx: RunContext, state: SweepState, grants: Mapping[str, Grant],
               pages: Mapping[str, PageRecord]) -> list[Grant]:
    """Grants a reminder may be due for, from the state alone (no request)."""
    if not ctx.config.reminders.enabled:
        return []
    policy, now = ctx.reminder_policy, ctx.now()
    interval = timedelta(days=policy.interval_days)
    keys = set()
    for item in open_items(ctx.state.engine, now - timedelta(days=policy.min_age_days)):
        past = [r.posted_at for r in state.reminders.get(item.grant, ()) if item.item_id in r.item_ids]
        if len(past) < policy.max_per_item and (not past or now - max(past) >= interval):
            keys.add(item.grant)
    out = []
    chosen = sorted(keys & set(grants))
    state.preload(t for key in chosen for t in (grants[key].talk_title, grants[key].report_title))
    for key in chosen:
        talk = pages.get(grants[key].talk_title)
        if talk is None or talk.last_revid is None:
            continue
        if talk.last_revid in (state.settings.get(OPTED_OUT + talk.title),
                               state.settings.get(verify.NOBODY + talk.title)):
            continue  # refused, or nobody to ping, at this very revision already: do not ask again
        report = pages.get(grants[key].report_title)
        if report is not None and state.settings.get(SETTLED + report.title) == report.last_revid:
            continue  # accepted or closed at this revision: no reminder, no need to look again
        out.append(grants[key])
    return out


def _history(records: tuple[ReminderRecord, ...]) -> tuple[dict[str, list[datetime]], datetime | None]:
    recorded: dict[str, list[datetime]] = {}
    for reminder in records:
        for item_id in reminder.item_ids:
            recorded.setdefault(item_id, []).append(reminder.posted_at)
    return recorded, max((r.posted_at for r in records), default=None)


def decide(ctx: RunContext, state: SweepState, grant: Grant, found: Found,
           markers: tuple[ReminderMarker, ...]) -> reminders.ReminderDecision | None:
    """The policy applied to the page's markers and the state's reminder history."""
    talk, report = found
    recorded, last = _history(state.reminders.get(grant.key, ()))
    report_state = normalise(report.status).state if report is not None else None
    return reminders.decide(talk, markers, ctx.reminder_policy, ctx.now(), recorded, last, report_state)


def due(ctx: RunContext, state: SweepState, found: list[Grant], fresh: Mapping[str, Analysed],
        pages: Mapping[str, PageRecord]) -> list[tuple[Grant, Found]]:
    """The candidates whose analyses, with the state's history, say a reminder is due.

    A report accepted or closed is remembered at its revision (``pages``: this
    sweep's records), so quiet sweeps do not read its analysis again."""
    stored = load_analyses(ctx.state.engine, [
        t for g in found if g.key not in fresh for t in (g.talk_title, g.report_title)])
    out = []
    settled: dict[str, object] = {}
    for grant in found:
        talk, report = ((fresh[grant.key].talk, fresh[grant.key].report) if grant.key in fresh
                        else decoded(stored, grant))
        if report is not None and reminders.blocked_by_report(normalise(report.status).state):
            record = pages.get(grant.report_title)
            if record is not None and record.last_revid is not None:
                settled[SETTLED + grant.report_title] = record.last_revid
        elif talk is not None and decide(ctx, state, grant, (talk, report), ()) is not None:
            out.append((grant, (talk, report)))
    if settled and not ctx.simulate:
        save_settings(ctx.state.engine, settled, ctx.now())
    return out


def remind(ctx: RunContext, state: SweepState, grant: Grant, found: Found,
           page: PageState | None, out: Outcomes) -> EditOutcome | None:
    """Post the reminder due for ``grant`` on the page as it is now, if still due."""
    now = ctx.now()
    if page is None or page.title != grant.talk_title:
        page = ctx.site.current(grant.talk_title)
    refused = ctx.writer.refused_by_page(page, ctx.writer.policy.optout_kind)
    if refused:
        save_settings(ctx.state.engine, {OPTED_OUT + grant.talk_title: page.revid}, now)
        return out.add(refused)
    decision = decide(ctx, state, grant, found, verify.markers(ctx, state, grant, page))
    if decision is not None:
        decision = verify.pingable(ctx, grant, decision, page)
    if decision is None:
        return None
    load_wording(ctx)
    policy = dataclasses.replace(ctx.reminder_policy, goto_comment=ctx.goto_comment)
    heading, body, summary = reminders.render(decision, grant.talk_title, found[0].language or "en",
                                              policy, now, ctx.site.user)
    outcome = out.add(ctx.writer.append_section(grant.talk_title, heading, body, summary, page))
    if outcome.kind is OutcomeKind.EDITED:
        rid = ctx.state.record_reminder(grant.key, grant.talk_title, decision.marker_ids,
                                        outcome.revid, now)
        out.posted.append(ReminderRecord(rid, grant.key, grant.talk_title, decision.marker_ids,
                                         outcome.revid, now))
        # The reminder changed the talk page: move its last seen revision to
        # the bot's own (the analysis stays: a reminder adds no reviewer item
        # and answers none), so the next sweep does not refetch it.
        record = advance_page(ctx.state.engine, grant.talk_title, page.revid, outcome.revid, now)
        if record is not None:
            out.pages[record.title] = record
    return outcome


def remind_all(ctx: RunContext, state: SweepState, found: list[tuple[Grant, Found]],
               out: Outcomes, errors: list[str]) -> None:
    """Post the due reminders; the caller holds the grants' leases."""
    pages = read_bases(ctx.site, [g.talk_title for g, _ in found]) if found else {}
    for grant, analyses in found:
        if ctx.should_stop():
            return
        try:
            outcome = remind(ctx, state, grant, analyses, pages.get(grant.talk_title), out)
        except GrantbotError as exc:
            errors.append(f"{grant.key}: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - one grant's reminder never stops the others
            errors.append(f"{grant.key}: could not be processed: reminder failed: {first_line(exc)}")
            continue
        if outcome is not None and outcome.alarm:
            errors.append(f"{grant.key}: reminder not posted: {outcome.describe()}")
