"""A grant's state follows its pages when people move them.

Items are identified by the parser's stable ids (independent of the title),
so a moved report keeps its open items, their first-seen dates, the
reminders already sent (the per-item cap holds) and the talk page's blame:
:func:`move_grant` re-keys them in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from jobs.state.models import Item, Page, PageBlame, Reminder


def move_grant(engine: Engine, old_key: str, new_key: str, titles: Mapping[str, str],
               now: datetime) -> None:
    """Re-key a grant (``old_key`` -> ``new_key``) and rename its pages (``titles``:
    old title -> new title).  When the state already holds something under the
    new names (a sweep saw the new pages before it knew of the move), items keep
    the older history (first-seen dates; reminders count against the cap) and
    pages the newer record (it describes the page as it is)."""
    with Session(engine) as s, s.begin():
        if old_key != new_key:
            old_ids = select(Item.item_id).where(Item.grant == old_key).scalar_subquery()
            clashing = select(Item.id).where(Item.grant == new_key, Item.item_id.in_(old_ids))
            for pk in list(s.scalars(clashing)):
                s.delete(s.get(Item, pk))  # its status history goes with it (cascade)
            s.flush()
            s.execute(update(Item).where(Item.grant == old_key).values(grant=new_key))
            s.execute(update(Reminder).where(Reminder.grant == old_key).values(grant=new_key))
        for old, new in titles.items():
            if old == new:
                continue
            for model, column in ((Page, Page.title), (PageBlame, PageBlame.title)):
                if s.scalar(select(column).where(column == new)) is not None:
                    s.execute(delete(model).where(column == old))
                else:
                    s.execute(update(model).where(column == old).values(title=new))
            s.execute(update(Reminder).where(Reminder.talk_page == old).values(talk_page=new))
        s.execute(update(Page).where(Page.grant == old_key).values(grant=new_key, updated_at=now))
