"""Where a link to a reviewer item goes: the exact comment, or its section.

Why: a section can hold ten questions, half of them answered; on a wiki
with DiscussionTools (Meta has it) ``Special:GoToComment/<id>`` lands on the
comment the item was asked in, even after the thread was archived.  Wikis
without the extension (or items whose comment DiscussionTools does not
see, or whose id cannot be a title) get the section anchor.
"""

from __future__ import annotations

from parsers.commentids import goto_comment_target
from parsers.model import ReviewerItem
from publishing import escape


def item_link(item: ReviewerItem, talk_title: str, label: str, goto_comment: bool) -> str:
    """``[[Special:GoToComment/<id>|label]]`` when possible, else ``[[Talk#section|label]]``."""
    target = goto_comment_target(item.comment_id) if goto_comment else None
    if target is not None:
        return escape.link(target, label)
    return escape.link(talk_title, label, escape.anchor(item.anchor) or None)


def item_label(item: ReviewerItem, talk_title: str) -> str:
    return " › ".join(item.section) or item.anchor or talk_title
