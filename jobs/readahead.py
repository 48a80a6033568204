"""Reading a batch ahead of its analysis, on one reader thread.

A first sweep alternates between waiting for the wiki and analysing what
came back; the two need different cores (the wiki's and the bot's).  So the
sweep hands each batch's reads to one reader thread as soon as the batch's
leases are held: its pages and contributors (:func:`jobs.refresh.fetch`),
then, when authorship is verified, the histories of its talk pages that are
new to the state (:func:`jobs.verify.walk`: on a first sweep, all of them,
and nearly all of them will be questioned).  The sweep analyses batch k
while the reader walks batch k's histories and reads batch k+1.

The reader sends no more requests than the sweep would, in the same
order, and never two at once: every request holds the site's ``serial``
lock (:class:`bots.site.WikiSite`).  It reads no state: what it needs from
the state is read here, on the sweep's thread, before it starts.  An error
of a read is raised where its result is asked for.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from jobs import refresh, verify
from jobs.context import RunContext
from jobs.grants import Grant
from jobs.refresh import Fetched
from jobs.state.bulk import SweepState
from jobs.verify import Histories
from parsers.blame import Blame


@dataclass(frozen=True)
class Reading:
    """A batch whose reads are under way."""

    grants: list[Grant]  # their leases held
    pages: Future[Fetched]
    histories: Future[Histories] | None  # None: authorship is not verified


def start(ctx: RunContext, state: SweepState, reader: ThreadPoolExecutor, grants: list[Grant]) -> Reading:
    """Queue the batch's reads on ``reader`` (the state they need is read now)."""
    pages = reader.submit(refresh.fetch, ctx, grants, refresh.stored_contributors(ctx, state, grants))
    new = [g.talk_title for g in grants if g.talk_title not in state.recorded]
    blames = verify.stored_blames(ctx, new)
    histories = None if blames is None else reader.submit(_walk, ctx, pages, new, blames)
    return Reading(grants, pages, histories)


def _walk(ctx: RunContext, pages: Future[Fetched], titles: list[str], blames: dict[str, Blame]) -> Histories:
    """On the reader thread, after the batch's pages (queued before, so done)."""
    found = pages.result().pages
    talks = [p for t in titles if (p := found.get(t)) is not None and p.exists]
    return Histories(frozenset(titles), verify.walk(ctx, talks, blames))
