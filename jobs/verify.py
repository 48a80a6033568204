"""The sweep's verification stage: who really wrote what, from the page history.

Run after a batch is analysed and before it is saved, only where a
signature could become a public claim: talk pages that changed (the batch)
and carry open items, or items the state had open (an answer may close
them).  Each such page's stored blame is extended with the revisions after
it (:func:`bots.history.walk_histories` for many short histories at once, else
:func:`bots.history.fetch_revisions`: usually one request) and the page
is analysed again with authors and times from the history
(:func:`parsers.authorship.attribute_page`).  In a sweep, the talk
pages new to the state are walked ahead, on the reader thread
(:mod:`jobs.readahead`): which ones the analysis will question is not known
yet, but on a first sweep nearly all of them, in the same requests.

The reminder stage asks two more things here: which reminder markers the
bot itself put on a page (:func:`markers`) and who may be pinged
(:func:`pingable`).  ``[safety] verify_authorship = false`` turns all of it
off: signatures, markers and report contributors are then taken as written.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from bots.changes import fetch_contributors
from bots.errors import WikiUnavailableError
from bots.history import fetch_revisions, report_facts, walk_histories
from bots.site import PageState
from jobs.context import RunContext
from jobs.grants import Grant
from jobs.refresh import Analysed, analyse_talk, first_line, sole_authors
from jobs.state.blames import item_states, load_blames, save_blames
from jobs.state.bulk import SweepState, save_settings
from parsers.authorship import (
    Attribution, attribute_page, grant_people, trusted_markers, unsigned_runs, verified_analysis,
)
from parsers.blame import Blame, Revision, extend
from parsers.markers import ReminderMarker, reminder_markers
from parsers.analysis import read_talk_page
from parsers.model import ItemStatus, TalkAnalysis, TalkPage
from publishing.reminders import ReminderDecision

log = logging.getLogger("grantbot.verify")
NOBODY = "nobody-to-ping."  # setting prefix: talk page -> the revision with nobody to remind


def enabled(ctx: RunContext) -> bool:
    return ctx.config.safety.verify_authorship


@dataclass(frozen=True)
class Histories:
    """Talk-page histories read ahead of the analysis (:mod:`jobs.readahead`)."""

    titles: frozenset[str]  # the pages walked
    walked: Mapping[str, list[Revision]]  # those whose walk reached their stored blame


def stored_blames(ctx: RunContext, titles: list[str]) -> dict[str, Blame] | None:
    """The stored blames of ``titles``, to walk their histories ahead (None: verification is off)."""
    return load_blames(ctx.state.engine, titles) if enabled(ctx) else None


def verify_batch(ctx: RunContext, pages: Mapping[str, PageState], done: list[Analysed],
                 ahead: Histories | None = None) -> tuple[list[Analysed], dict[str, str]]:
    """``done`` with the talk analyses that matter verified against their history,
    and why a grant could not be verified (it is left out: an unverified claim is
    never saved; a wiki that is down still ends the run).  ``ahead``: histories
    already walked; the other pages that need one are walked here."""
    if not enabled(ctx):
        return done, {}
    known = item_states(ctx.state.engine, [a.grant.key for a in done if a.talk is not None])
    chosen = {a.grant.key for a in done
              if _needs_history(ctx, a, pages.get(a.grant.talk_title), known.get(a.grant.key, {}))}
    titles = [a.grant.talk_title for a in done if a.grant.key in chosen]
    blames = load_blames(ctx.state.engine, titles)
    # Unsigned text speaks too: its grant's people must be known (the fetch asked
    # for contributors only where someone signed).
    missing = [a.grant.report_title for a in done if a.grant.key in chosen and a.contributors is None]
    found = sole_authors(pages, missing)
    asked = [t for t in missing if t not in found]
    found.update(fetch_contributors(ctx.site, asked) if asked else {})
    walked = dict(ahead.walked) if ahead else {}
    walked.update(walk(ctx, [p for t in titles if (p := pages.get(t)) is not None
                             and (ahead is None or t not in ahead.titles)], blames))
    out, updated, failed = [], {}, {}
    for a in done:
        page = pages.get(a.grant.talk_title)
        if a.grant.key not in chosen or page is None or a.talk is None:
            out.append(a)
            continue
        same_people = not (a.contributors is None and a.grant.report_title in found)
        if not same_people:
            a = dataclasses.replace(a, contributors=found[a.grant.report_title])
        try:
            blame = current_blame(ctx, page, blames.get(page.title), walked)
            verified = _verified(ctx, a, a.talk, page.text, blame, same_people)
        except WikiUnavailableError:
            raise
        except Exception as exc:  # noqa: BLE001 - one grant's failure never stops the others
            failed[a.grant.key] = f"verification failed: {first_line(exc)}"
            continue
        updated[page.title] = blame
        out.append(dataclasses.replace(a, talk=verified))
    save_blames(ctx.state.engine, {t: b for t, b in updated.items() if b is not blames.get(t)}, ctx.now())
    return out, failed


def _needs_history(ctx: RunContext, a: Analysed, page: PageState | None, known: Mapping[str, str]) -> bool:
    """Open items (a reminder may follow), answers the state has not seen (an item
    closes), or unsigned text (a question nobody signed is nobody's item yet)."""
    if a.talk is None or page is None:
        return False
    if any(i.status is ItemStatus.OPEN or known.get(i.id) != ItemStatus.ANSWERED.value
           for i in a.talk.items):
        return True
    return bool(unsigned_runs(_parsed(ctx, a, page.text)))


def current_blame(ctx: RunContext, page: PageState, blame: Blame | None,
                  walked: Mapping[str, list[Revision]] | None = None) -> Blame:
    """``blame`` brought up to the page's revision (the newer revisions only);
    ``walked``: histories already read for several pages at once (:func:`walk`)."""
    if blame is not None and blame.revid == page.revid:
        return blame
    blame = _base(page, blame)
    if page.revid is not None and page.time is not None and page.user is not None and \
            page.parent == (blame.revid if blame else 0):  # the one missing revision is this one
        return extend(blame, [Revision(page.revid, page.user, page.time, page.text)])
    if walked is not None and page.title in walked:
        return extend(blame, walked[page.title])
    return extend(blame, fetch_revisions(ctx.site, page.title, blame.revid if blame else None))


def _base(page: PageState, blame: Blame | None) -> Blame | None:
    if blame is not None and page.revid is not None and (blame.revid or 0) > page.revid:
        return None  # the stored history is ahead of the page (a deletion): start again
    return blame


def walk(ctx: RunContext, pages: list[PageState], blames: Mapping[str, Blame]) -> dict[str, list[Revision]]:
    """The missing revisions of the pages whose blame needs more than the revision
    the batch just read, stepping back along parent ids for all of them at once
    (:func:`bots.history.walk_histories`); the others are read alone later."""
    heads = {}
    for page in pages:
        blame = blames.get(page.title)
        if blame is not None and blame.revid == page.revid:
            continue
        base = _base(page, blame)
        after = base.revid if base is not None else None
        if page.revid is None or page.time is None or page.user is None or page.parent is None \
                or page.parent == (after or 0):
            continue
        heads[page.title] = (Revision(page.revid, page.user, page.time, page.text), page.parent, after)
    return walk_histories(ctx.site, heads) if heads else {}


def _verified(ctx: RunContext, a: Analysed, trusting: TalkAnalysis, text: str, blame: Blame,
              same_people: bool) -> TalkAnalysis:
    """The analysis of the page as its history tells it.  When the history confirms
    every comment as parsed and the grant's people are those ``trusting`` was made
    with (the usual case), that is ``trusting`` itself: the page is not analysed twice."""
    page = _parsed(ctx, a, text)
    attributed, attributions = attribute_page(page, blame)
    verified = trusting
    if not same_people or attributed.comments != page.comments:
        verified = analyse_talk(ctx, a.grant, text, a.contributors, lambda _: attributed)
    return verified_analysis(trusting, verified, attributed, attributions)


def _parsed(ctx: RunContext, a: Analysed, text: str) -> TalkPage:
    """The talk page as the analysis read it (read again only if it was not kept)."""
    return a.parsed if a.parsed is not None else read_talk_page(text, lang=ctx.lang, tz=ctx.tz)


def markers(ctx: RunContext, state: SweepState, grant: Grant, page: PageState) -> tuple[ReminderMarker, ...]:
    """The reminder markers on the page that the bot itself posted (others are logged)."""
    found = reminder_markers(page.text)
    if not enabled(ctx) or not found:
        return found
    recorded = [(r.item_ids, r.posted_at) for r in state.reminders.get(grant.key, ())]
    kept, ignored = trusted_markers(page.text, found, ctx.site.user, None, recorded)
    if len(kept) < len(found):  # some are not in the state: ask the history
        stored = load_blames(ctx.state.engine, [page.title]).get(page.title)
        blame = current_blame(ctx, page, stored)
        if blame is not stored:
            save_blames(ctx.state.engine, {page.title: blame}, ctx.now())
        kept, ignored = trusted_markers(page.text, found, ctx.site.user, blame, recorded)
    for note in ignored:
        log.warning("%s: %s", page.title, note)
    return kept


def pingable(ctx: RunContext, grant: Grant, decision: ReminderDecision,
             page: PageState) -> ReminderDecision | None:
    """The decision with only the grant's people as recipients.  When nobody is
    left, None, and the talk page's revision is remembered so later sweeps do
    not ask again until the page changes."""
    if not enabled(ctx):
        return decision
    facts = report_facts(ctx.site, grant.report_title, decision.recipients)
    configured = ctx.config.roles.grantees.get(grant.report_title, ())
    kept, dropped = grant_people(decision.recipients, facts.edits, facts.named, facts.bots, configured)
    for note in dropped:
        log.info("%s: not pinged: %s", grant.talk_title, note)
    if not kept:
        save_settings(ctx.state.engine, {NOBODY + grant.talk_title: page.revid}, ctx.now())
        return None
    return dataclasses.replace(decision, recipients=kept)
