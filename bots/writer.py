"""The one place that saves.  Every edit the bot makes goes through :class:`Writer`.

Entry points (all return :class:`~publishing.outcomes.EditOutcome` values):

* :meth:`Writer.begin_run` checks the shutoff page (raises ShutoffError).
* :meth:`Writer.write_block` rewrites only the bot's block of a status or
  detail page, saving only when something other than volatile parts changed.
* :meth:`Writer.write_json` replaces a JSON page when its data (volatile
  keys masked) changed.
* :meth:`Writer.append_section` posts a reminder as a new section
  (``section=new`` through ``Page.save``): never a full-page rewrite, so a
  concurrent human edit can never be lost.

Safety order for every write: allowlist (NotAllowedError, even if the
configuration asked), shutoff (re-checked every ``shutoff_every`` edits),
redirects (never written through: refused, for the run to report),
``{{nobots}}``/``{{bots}}`` as MediaWiki renders the page (the templates the
wiki says it transcludes, :mod:`parsers.exclusion`), then simulate (returns
the diff; nothing sent).  Pages are read with :data:`bots.site.WRITER_VIEW`
(batched by :func:`bots.changes.read_bases`), so these checks cost no request.

People's text inside the bot's block is kept (:func:`publishing.blocks.place_block`):
when the page's last revision is not the bot's and its block is not the one
the bot saved (``own``: that block's fingerprint), the block of the bot's
last revision is read (one request) to tell the person's lines from the
bot's.  The JSON copy is saved with content model ``json``, always.

Edit conflicts on block pages: the block is re-applied to a fresh read up
to ``max_tries`` times.  Because MediaWiki's ``basetimestamp`` has
one-second resolution, a person's edit in the same second as our base can
be silently overwritten, so after every save the writer reads the new
revision's parent; if it is not the revision we based on, it re-applies the
block to that parent's text and saves again on top, restoring whatever the
person wrote.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from publishing.blocks import (JSON_MODEL, block_changed, block_fingerprint, current_block,
                               json_refusal, place_block, same_json, unified_diff)
from bots.errors import NotAllowedError, ShutoffError, WikiUnavailableError
from publishing.outcomes import EditOutcome
from publishing.safety import Allowlist, EditPolicy, redirect_refusal, refusal, shutoff_says_stop
from bots.site import EditRaced, EditRefused, PageState, WikiSite


_FORMATS = {JSON_MODEL: "application/json"}  # content format to send with a content model


def _refusal_for_limit(limit: int) -> str:
    return f"the run reached its limit of {limit} edits ([safety] max_edits_per_run)"


class Writer:
    """Holds the per-run edit counter (for the periodic shutoff check)."""

    def __init__(self, site: WikiSite, policy: EditPolicy | None = None) -> None:
        self.site = site
        self.policy = policy or EditPolicy()
        self.simulate = self.policy.simulate or site.simulate
        self.allowlist = Allowlist(site.user, frozenset({self.policy.talk_namespace}),
                                   frozenset(site.normalize(t)[0] for t in self.policy.nudge_pages))
        self.shutoff_title = self.policy.shutoff_title or self.allowlist.shutoff_title
        self.edits = 0
        self.stopped = False
        self.stop_reason = ""
        self._aliases: dict[str, str] | None = None  # redirects to the bots templates, once a run

    # ------------------------------------------------------------- shutoff

    def shutoff_active(self) -> bool:
        page = self.site.current(self.shutoff_title)
        return shutoff_says_stop(page.exists, page.text)

    def begin_run(self, shutoff_page: tuple[bool, str] | None = None) -> None:
        """Raise ShutoffError if the shutoff page says stop; call before any edit.

        ``shutoff_page``: (exists, text) when the caller already read it in a
        batch, which saves a request."""
        self.edits = 0
        if shutoff_page is None:
            self.stopped = self.shutoff_active()
        else:
            self.stopped = shutoff_says_stop(*shutoff_page)
        self.stop_reason = f"{self.shutoff_title} says stop" if self.stopped else ""
        if self.stopped:
            raise ShutoffError(
                f"{self.shutoff_title} says stop (its content is not 'run'): no edits"
            )

    def _may_save(self) -> bool:
        if not self.stopped and self.policy.max_edits and self.edits >= self.policy.max_edits:
            self.stopped, self.stop_reason = True, _refusal_for_limit(self.policy.max_edits)
        if not self.stopped and self.edits and self.edits % self.policy.shutoff_every == 0:
            self.stopped = self.shutoff_active()
            if self.stopped:
                self.stop_reason = f"{self.shutoff_title} says stop"
        return not self.stopped

    def _stopped(self, title: str) -> EditOutcome:
        return EditOutcome.refused(title, self.stop_reason or "edits are stopped for this run")

    def _admit(self, title: str, *, talk: bool = False) -> tuple[str, EditOutcome | None]:
        """The canonical title, after the checks every write passes: the hard
        allowlist and the configured prefixes (NotAllowedError), then the
        run's stop state (a refused outcome)."""
        title, namespace = self.site.normalize(title)
        if talk:
            self.allowlist.check_talk_page(title, namespace)
        else:
            self.allowlist.check_block_page(title, namespace)
        prefixes = self.policy.allowed_prefixes
        if prefixes and not title.startswith(prefixes):
            raise NotAllowedError(
                f"refusing to edit {title!r}: not under [safety] allowed_prefixes {list(prefixes)}"
            )
        return title, self._stopped(title) if self.stopped else None

    # ---------------------------------------------------------- block pages

    def write_block(
        self, title: str, block: str, summary: str, base: PageState | None = None,
        own: str | None = None,
    ) -> EditOutcome:
        """Put ``block`` between the bot's markers on ``title``; keep the rest.

        ``base``: the page as just read in a batch, to save a request; a stale
        one only costs a conflict and a re-read.  ``own``: the fingerprint
        (:func:`~publishing.blocks.block_fingerprint`) of the block the bot
        last saved there, when known."""
        title, stopped = self._admit(title)
        if stopped:
            return stopped
        base = self._view(title, base)
        previous: str | None = None  # the bot's last block here, read when first needed
        conflicts = repairs = 0
        while True:
            refused = self.refused_by_page(base)
            if refused:
                return refused
            if base.exists and not block_changed(base.text, block):
                return EditOutcome.unchanged(title, base.revid)
            if previous is None:
                previous = self._previous(base, own)
            placed = place_block(base.text, block, previous)
            if self.simulate:
                return EditOutcome.simulated(title, unified_diff(base.text, placed.text, title))
            if not self._may_save():
                return self._stopped(title)
            try:
                result = self._save(base, placed.text, placed.summarised(summary))
            except EditRaced:
                conflicts += 1
                if conflicts >= self.policy.max_tries:
                    return EditOutcome.gave_up(
                        title, f"the page kept changing; gave up after {conflicts} tries", conflicts
                    )
                base = self.site.current(title)
                continue
            except EditRefused as exc:
                return EditOutcome.refused(title, str(exc))
            if result.get("nochange"):
                return EditOutcome.unchanged(title, base.revid)
            newrevid = int(result["newrevid"])
            bot_previous = previous
            repair = self._overwritten(
                base, newrevid, result, lambda t: place_block(t, block, bot_previous).text)
            if repair is None:
                return EditOutcome.edited(title, newrevid, conflicts + repairs + 1)
            # Someone saved in the same second as our base and MediaWiki let us
            # overwrite them: re-apply the block to their text, on top of ours.
            # Repairs are bounded separately from conflicts: giving up after an
            # overwrite would leave the person's text lost.
            repairs += 1
            if repairs > 2 * self.policy.max_tries:
                return EditOutcome.gave_up(
                    title, f"could not restore a concurrent edit (revision {newrevid})", repairs
                )
            # Based on our own revision, not a fresh read: a fresh read would
            # already lack the text MediaWiki dropped.
            ours, parent_text = repair
            base = dataclasses.replace(ours, text=parent_text)

    def _previous(self, base: PageState, own: str | None) -> str:
        """The block the bot last saved on ``base``'s page ("" if it never did):
        the current one when the last revision is the bot's or the block is
        still the one it saved; else read from the bot's last revision."""
        current = current_block(base.text)
        if not base.exists or base.user == self.site.user or (
                own is not None and current is not None and block_fingerprint(current) == own):
            return current or ""
        return current_block(self.site.last_text_by(base.title, self.site.user) or "") or ""

    def _view(self, title: str, base: PageState | None) -> PageState:
        """``base`` when it was read with the writer's view of ``title``; else a fresh read."""
        if base is None or base.title != title or base.exclusion is None:
            return self.site.current(title)
        return base

    def refused_by_page(self, page: PageState, kind: str | None = None) -> EditOutcome | None:
        """A refused outcome when ``page`` is a redirect or excludes the bot."""
        if page.redirect:
            return EditOutcome.refused(page.title, redirect_refusal(page.text), alarm=True)
        if page.exclusion and self._aliases is None:
            self._aliases = self.site.exclusion_aliases()
        reason = refusal(page.text, self.site.user, kind, page.exclusion, self._aliases)
        return EditOutcome.refused(page.title, reason) if reason else None

    def _save(self, base: PageState, text: str, summary: str, model: str | None = None) -> dict[str, Any]:
        """``model``: the content model to save as (``json``: never wikitext)."""
        self.edits += 1
        return self.site.edit(
            title=base.title, text=text, summary=summary, bot=True, minor=self.policy.minor,
            baserevid=base.revid, basetimestamp=base.timestamp,
            nocreate=base.exists, createonly=not base.exists,
            contentmodel=model, contentformat=_FORMATS.get(model or ""),
        )

    def _overwritten(
        self, base: PageState, newrevid: int, result: dict[str, Any] | None,
        reapply: Callable[[str], str],
    ) -> tuple[PageState, str] | None:
        """None when nothing was lost; else (our revision as the new base, the
        overwritten person's text to re-apply our change to).

        The edit response names the revision ours replaced (``oldrevid``, or
        ``new`` for a creation): when that is our base, nothing was lost and
        no request is needed to prove it."""
        if result is not None:
            if result.get("new") and not base.exists:
                return None
            if base.revid is not None and result.get("oldrevid") == base.revid:
                return None
        info, saved = self.site.revision(newrevid)
        if info.parentid == (base.revid or 0):
            return None
        _, parent_text = self.site.revision(info.parentid) if info.parentid else (None, "")
        expected = reapply(parent_text)
        if saved.rstrip() == expected.rstrip():
            return None  # MediaWiki merged their edit with ours: nothing lost
        ours = PageState(
            base.title, True, saved, newrevid,
            info.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"), base.content_model,
            user=self.site.user, exclusion=base.exclusion,
        )
        return ours, parent_text

    # ------------------------------------------------------------ JSON page

    def write_json(
        self, title: str, data: Any, summary: str, base: PageState | None = None
    ) -> EditOutcome:
        """Replace the JSON page when the data changed beyond its volatile keys.

        Saved with content model ``json`` whatever the page's model: JSON
        saved as wikitext would have its signatures expanded, ``subst:`` run
        and categories applied.  A page of another model is converted when
        it holds JSON (an earlier copy); one holding anything else is a
        person's text and is refused, not replaced.

        ``base``: the page as just read in a batch (first attempt only)."""
        title, stopped = self._admit(title)
        if stopped:
            return stopped
        new_text = json.dumps(data, ensure_ascii=False, indent=1)
        for attempt in range(1, self.policy.max_tries + 1):
            base = self._view(title, base if attempt == 1 else None)
            if base.redirect:
                return EditOutcome.refused(title, redirect_refusal(base.text), alarm=True)
            convert = base.exists and base.content_model != JSON_MODEL
            reason = json_refusal(base.content_model, base.text) if convert else None
            if reason:
                return EditOutcome.refused(title, reason, alarm=True)
            if base.exists and not convert and same_json(base.text, data):
                return EditOutcome.unchanged(title, base.revid)
            if self.simulate:
                return EditOutcome.simulated(title, unified_diff(base.text, new_text, title))
            if not self._may_save():
                return self._stopped(title)
            note = f"; content model changed from {base.content_model} to JSON" if convert else ""
            try:
                result = self._save(base, new_text, summary + note, JSON_MODEL)
            except EditRaced:
                continue
            except EditRefused as exc:
                return EditOutcome.refused(title, f"the wiki refused to save it as JSON ({exc})", alarm=True)
            if result.get("nochange"):
                return EditOutcome.unchanged(title, base.revid)
            return EditOutcome.edited(title, int(result["newrevid"]), attempt)
        return EditOutcome.gave_up(title, "the JSON page kept changing", self.policy.max_tries)

    # ------------------------------------------------------- whole-page tidy

    def rewrite(self, title: str, transform: Callable[[str], str], summary: str) -> EditOutcome:
        """Replace a bot control page (e.g. the run-request page) with
        ``transform(text)``, re-applied to a fresh read on conflicts and on top
        of any same-second edit MediaWiki let us overwrite."""
        title, stopped = self._admit(title)
        if stopped:
            return stopped
        base = self.site.current(title)
        restore: str | None = None  # text to put back after a same-second overwrite
        for attempt in range(1, self.policy.max_tries + 1):
            if not base.exists:
                return EditOutcome.refused(title, "the page does not exist")
            refused = self.refused_by_page(base)
            if refused:
                return refused
            new_text = transform(base.text) if restore is None else restore
            if new_text == base.text:
                return EditOutcome.unchanged(title)
            if self.simulate:
                return EditOutcome.simulated(title, unified_diff(base.text, new_text, title))
            if not self._may_save():
                return self._stopped(title)
            try:
                result = self._save(base, new_text, summary)
            except EditRaced:
                base, restore = self.site.current(title), None
                continue
            except EditRefused as exc:
                return EditOutcome.refused(title, str(exc))
            if result.get("nochange"):
                return EditOutcome.unchanged(title)
            newrevid = int(result["newrevid"])
            repair = self._overwritten(base, newrevid, result, transform)
            if repair is None:
                return EditOutcome.edited(title, newrevid, attempt)
            # A person saved in the same second as our base: keep their text.
            base, parent_text = repair
            restore = transform(parent_text)
        return EditOutcome.gave_up(title, "the page kept changing", self.policy.max_tries)

    # ------------------------------------------------------------ reminders

    def append_section(
        self, title: str, heading: str, body: str, summary: str, base: PageState | None = None
    ) -> EditOutcome:
        """Post ``body`` as a new section ``heading`` on an existing grant talk page.

        ``base``: the page as the caller just read it (saves a request).
        The opt-out templates are checked on that text, so the edit itself is
        one ``action=edit`` with ``section=new``: MediaWiki appends, and a
        concurrent human edit can never be lost."""
        title, stopped = self._admit(title, talk=True)
        if stopped:
            return stopped
        base = self._view(title, base)
        if not base.exists:
            return EditOutcome.refused(title, "the talk page does not exist")
        refused = self.refused_by_page(base, self.policy.optout_kind)
        if refused:
            return refused
        if self.simulate:
            added = f"{base.text.rstrip()}\n\n== {heading} ==\n\n{body}\n"
            return EditOutcome.simulated(title, unified_diff(base.text, added, title))
        if not self._may_save():
            return self._stopped(title)
        self.edits += 1
        for attempt in range(1, self.policy.max_tries + 1):
            try:
                result = self.site.edit(
                    title=title, section="new", sectiontitle=heading, text=body, summary=summary,
                    bot=True, nocreate=True, resend=False,
                )
            except EditRaced as exc:  # deleted or moved since we read it
                return EditOutcome.refused(title, f"the talk page changed under us ({exc})")
            except EditRefused as exc:
                return EditOutcome.refused(title, str(exc))
            except WikiUnavailableError:
                # The answer was lost, not necessarily the edit: look before
                # resending, or a reminder is posted twice.
                saved = self._posted(title, body)
                if saved is not None:
                    return EditOutcome.edited(title, saved, attempt)
                if attempt == self.policy.max_tries:
                    raise
                continue
            return EditOutcome.edited(title, int(result["newrevid"]), attempt)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _posted(self, title: str, body: str) -> int | None:
        """Our revision that already holds ``body``'s first line (the reminder
        marker, unique to the second it was made), or None."""
        marker = body.split("\n", 1)[0].strip()
        if not marker or marker not in self.site.current(title).text:
            return None
        for rev in self.site.revisions(title, limit=20):
            if rev.user == self.site.user:
                return rev.revid
        return None
