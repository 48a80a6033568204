"""The run's wording: built-in messages under the wiki's message pages, read once.

Why lazily: a quiet sweep renders nothing and posts nothing, so it must not
pay the request; a sweep that renders or reminds reads every message page
in one request (``User:<bot>/messages/...``), whatever the number of grants.
"""

from __future__ import annotations

from bots.changes import read_prefix
from jobs.context import RunContext
from publishing.messages import Messages

USER_NAMESPACE = 2


def message_prefix(bot: str) -> str:
    return f"User:{bot}/messages/"


def load_wording(ctx: RunContext) -> Messages:
    """The message pages as ``ctx.wording`` (read on first use); broken ones are logged and ignored."""
    if ctx.wording is None:
        prefix = message_prefix(ctx.site.user)
        pages = read_prefix(ctx.site, USER_NAMESPACE, prefix.removeprefix("User:"))
        ctx.wording = Messages.from_pages(pages.items(), prefix)
        for line in ctx.wording.rejected:
            ctx.note(line)
    return ctx.wording
