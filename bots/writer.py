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
``{{nobots}}``/``{{bots}}``, then simulate (returns the diff; nothing sent).

Edit conflicts on block pages: the block is re-applied to a fresh read up
to ``max_tries`` times.  Because MediaWiki's ``basetimestamp`` has
one-second resolution, a person's edit in the same second as our base can
be silently overwritten, so after every save the writer reads the new
revision's parent; if it is not the revision we based on, it re-applies the
block to that parent's text and saves again on top, restoring whatever the
person wrote.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from publishing.blocks import apply_block, block_changed, unified_diff
from bots.errors import NotAllowedError, ShutoffError, WikiUnavailableError
from publishing.outcomes import EditOutcome
from publishing.safety import Allowlist, refusal, shutoff_says_stop
from bots.site import EditRaced, EditRefused, PageState, WikiSite
from publishing.statuspage import mask_json


@dataclass(frozen=True)
class EditPolicy:
    """How to write; the runner maps configuration onto this."""

    simulate: bool = False
    max_tries: int = 3
    shutoff_every: int = 50
    optout_kind: str = "grantbot-reminders"
    minor: bool = True
    # Configuration may narrow the hard allowlist further, never widen it.
    allowed_prefixes: tuple[str, ...] = ()
    max_edits: int = 0  # per run; 0 = no limit
    shutoff_title: str | None = None  # default: User:<bot>/Shutoff
    talk_namespace: int = 201  # where reminders may go: [grants] talk_namespace
    nudge_pages: tuple[str, ...] = ()  # "User talk:<reviewer>" of [reminders] reviewer_nudges


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
        self, title: str, block: str, summary: str, base: PageState | None = None
    ) -> EditOutcome:
        """Put ``block`` between the bot's markers on ``title``; keep the rest.

        ``base``: the page as just read in a batch, to save a request; a stale
        one only costs a conflict and a re-read."""
        title, stopped = self._admit(title)
        if stopped:
            return stopped
        if base is None or base.title != title:
            base = self.site.current(title)
        base_text = base.text
        conflicts = repairs = 0
        while True:
            reason = refusal(base_text, self.site.user)
            if reason:
                return EditOutcome.refused(title, reason)
            if base.exists and not block_changed(base_text, block):
                return EditOutcome.unchanged(title)
            new_text = apply_block(base_text, block)
            if self.simulate:
                return EditOutcome.simulated(title, unified_diff(base_text, new_text, title))
            if not self._may_save():
                return self._stopped(title)
            try:
                result = self._save(base, new_text, summary)
            except EditRaced:
                conflicts += 1
                if conflicts >= self.policy.max_tries:
                    return EditOutcome.gave_up(
                        title, f"the page kept changing; gave up after {conflicts} tries", conflicts
                    )
                base = self.site.current(title)
                base_text = base.text
                continue
            except EditRefused as exc:
                return EditOutcome.refused(title, str(exc))
            if result.get("nochange"):
                return EditOutcome.unchanged(title)
            newrevid = int(result["newrevid"])
            repair = self._overwritten(base, newrevid, result, lambda t: apply_block(t, block))
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
            base, base_text = repair

    def _save(self, base: PageState, text: str, summary: str) -> dict[str, Any]:
        self.edits += 1
        return self.site.edit(
            title=base.title, text=text, summary=summary, bot=True, minor=self.policy.minor,
            baserevid=base.revid, basetimestamp=base.timestamp,
            nocreate=base.exists, createonly=not base.exists,
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
        )
        return ours, parent_text

    # ------------------------------------------------------------ JSON page

    def write_json(
        self, title: str, data: Any, summary: str, base: PageState | None = None
    ) -> EditOutcome:
        """Replace the JSON page when the data changed beyond its volatile keys.

        ``base``: the page as just read in a batch (first attempt only)."""
        title, stopped = self._admit(title)
        if stopped:
            return stopped
        new_text = json.dumps(data, ensure_ascii=False, indent=1)
        for attempt in range(1, self.policy.max_tries + 1):
            if attempt > 1 or base is None or base.title != title:
                base = self.site.current(title)
            if base.exists and _same_json(base.text, data):
                return EditOutcome.unchanged(title)
            if self.simulate:
                return EditOutcome.simulated(title, unified_diff(base.text, new_text, title))
            if not self._may_save():
                return self._stopped(title)
            try:
                result = self._save(base, new_text, summary)
            except EditRaced:
                continue
            except EditRefused as exc:
                return EditOutcome.refused(title, str(exc))
            if result.get("nochange"):
                return EditOutcome.unchanged(title)
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
        if base is None or base.title != title:
            base = self.site.current(title)
        if not base.exists:
            return EditOutcome.refused(title, "the talk page does not exist")
        reason = refusal(base.text, self.site.user, self.policy.optout_kind)
        if reason:
            return EditOutcome.refused(title, reason)
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


def _same_json(old_text: str, data: Any) -> bool:
    try:
        old = json.loads(old_text)
    except ValueError:
        return False
    return bool(mask_json(old) == mask_json(json.loads(json.dumps(data))))
