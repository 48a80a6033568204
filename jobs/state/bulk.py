"""The sweep's view of the state database: read in a few queries, written per batch.

:class:`StateStore`'s per-row methods suit a manual run and the tests; a
sweep over thousands of grants must not pay one transaction per page.  A
sweep therefore loads what it decides from in one go (:func:`load_sweep_state`:
which pages have records, reminders, settings; the records themselves, without
their stored analyses, when first used: :class:`PageRecords`), reads stored
analyses only when it renders (:func:`load_analyses`), and writes a whole batch
of grants, pages and items included, in one transaction (:func:`save_batch`).
The number of SQL statements of a quiet sweep is therefore independent of the
number of grants (tests/test_sweep_cost_wiki.py counts them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session, defer

from jobs.state.models import Item, ItemStatus, Page, Reminder
from jobs.state.records import GONE, PageRecord, ReminderRecord
from jobs.state.settings import Setting
from jobs.state.store import fill_item, item_values, page_record
from parsers.model import ReviewerItem

CHUNK = 500  # titles per IN (...) list: well inside every database's parameter limit


class PageRecords(Mapping[str, PageRecord]):
    """Every page record, read in one query the first time any is asked for.

    A sweep that finds nothing to do never asks (which titles have a record
    at all is :attr:`SweepState.recorded`; its reminder stage reads only its
    candidates' records, :meth:`preload`), so a quiet sweep builds no record
    per grant; a sweep that fetches reads them all before it saves anything
    (:meth:`SweepState.eager`)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._rows: dict[str, PageRecord] | None = None
        self._some: dict[str, PageRecord | None] = {}  # read by :meth:`preload` (None: no record)

    def _read(self, titles: Sequence[str] | None) -> dict[str, PageRecord]:
        fields = [getattr(Page, f) for f in PageRecord.__dataclass_fields__]
        with Session(self._engine) as s:
            if titles is None:
                return {row.title: PageRecord(*row) for row in s.execute(select(*fields))}
            return {row.title: PageRecord(*row)
                    for start in range(0, len(titles), CHUNK)
                    for row in s.execute(select(*fields).where(Page.title.in_(titles[start : start + CHUNK])))}

    def _all(self) -> dict[str, PageRecord]:
        if self._rows is None:
            self._rows = self._read(None)
        return self._rows

    def preload(self, titles: Iterable[str]) -> None:
        """Read these records now, 500 a query, so that asking for them does not read
        them all (the reminder stage of a quiet sweep asks for a few grants')."""
        if self._rows is not None:
            return
        wanted = [t for t in dict.fromkeys(titles) if t not in self._some]
        found = self._read(wanted) if wanted else {}
        self._some.update({t: found.get(t) for t in wanted})

    def __getitem__(self, title: str) -> PageRecord:
        if self._rows is None and title in self._some:
            record = self._some[title]
            if record is None:
                raise KeyError(title)
            return record
        return self._all()[title]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


@dataclass(frozen=True)
class SweepState:
    """Everything a sweep decides from, as it was when the sweep began."""

    pages: Mapping[str, PageRecord]
    reminders: Mapping[str, tuple[ReminderRecord, ...]]  # by grant key, oldest first
    settings: Mapping[str, Any]
    recorded: frozenset[str] = frozenset()  # the titles that have a page record

    def eager(self) -> SweepState:
        """The state with its page records read now (before a sweep saves new ones)."""
        return dataclasses.replace(self, pages=dict(self.pages))

    def preload(self, titles: Iterable[str]) -> None:
        """Read these page records only, if the records are not read yet."""
        if isinstance(self.pages, PageRecords):
            self.pages.preload(titles)


@dataclass(frozen=True)
class PageWrite:
    """One page's new last-seen revision and, when analysed, its analysis."""

    title: str
    kind: str  # "report" or "talk"
    grant: str
    revid: int | None
    timestamp: datetime | None
    page_id: int | None
    analysis: Any  # JSON; None keeps a stored analysis of the same revision
    analysis_version: str | None


@dataclass(frozen=True)
class OpenItem:
    """An open item as the items table has it (for reminder candidates)."""

    grant: str
    item_id: str
    asked_at: datetime | None


def load_sweep_state(engine: Engine) -> SweepState:
    """Three queries, whatever the number of grants: the titles that have a
    record (not the records: :class:`PageRecords` reads them when asked),
    reminders and settings; plain rows, no ORM objects."""
    with Session(engine) as s:
        recorded = frozenset(s.scalars(select(Page.title)))
        reminders: dict[str, list[ReminderRecord]] = {}
        query = select(Reminder.id, Reminder.grant, Reminder.talk_page, Reminder.item_ids,
                       Reminder.revid, Reminder.posted_at).order_by(Reminder.posted_at, Reminder.id)
        for rid, grant, talk, ids, revid, at in s.execute(query):
            reminders.setdefault(grant, []).append(ReminderRecord(rid, grant, talk, tuple(ids), revid, at))
        settings = {k: v for k, v in s.execute(select(Setting.key, Setting.value))}
    return SweepState(PageRecords(engine), {k: tuple(v) for k, v in reminders.items()}, settings, recorded)


def outdated_titles(engine: Engine, version: str) -> frozenset[str]:
    """Pages whose stored analysis a parser of another version made (one query;
    none, unless the parser changed since the last sweep)."""
    query = select(Page.title).where(Page.last_revid.is_not(None)).where(
        (Page.analysis_version.is_(None)) | (Page.analysis_version != version))
    with Session(engine) as s:
        return frozenset(s.scalars(query))


def load_analyses(engine: Engine, titles: Iterable[str]) -> dict[str, tuple[int | None, Any]]:
    """Stored analyses by title: (revision analysed, JSON); one query per 500 titles."""
    wanted = list(dict.fromkeys(titles))
    out: dict[str, tuple[int | None, Any]] = {}
    with Session(engine) as s:
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            query = select(Page.title, Page.analysis_revid, Page.analysis).where(Page.title.in_(chunk))
            for title, revid, analysis in s.execute(query):
                if analysis is not None:
                    out[title] = (revid, analysis)
    return out


def open_items(engine: Engine, asked_before: datetime) -> list[OpenItem]:
    """Open items asked before a moment: the only grants a reminder can be due for."""
    query = select(Item.grant, Item.item_id, Item.asked_at).where(
        Item.status == "open", Item.asked_at <= asked_before
    )
    with Session(engine) as s:
        return [OpenItem(g, i, a) for g, i, a in s.execute(query)]


def save_batch(
    engine: Engine, pages: Sequence[PageWrite], items: Mapping[str, Sequence[ReviewerItem]],
    now: datetime,
) -> dict[str, PageRecord]:
    """Pages and the complete current item sets of ``items``' grants, in ONE transaction of a few statements; returns the pages' new records.

    New rows go in as one multi-row INSERT each (the ORM would insert them
    one by one to read back their ids, which SQLite cannot batch)."""
    saved: dict[str, PageRecord] = {}
    with Session(engine, expire_on_commit=False) as s, s.begin():
        rows = _existing(s, Page, Page.title, [p.title for p in pages])
        new = []
        for write in pages:
            row = rows.get(write.title)
            if row is None:
                row = Page(title=write.title)  # never added: a carrier of values
                new.append(row)
            _apply_page(row, write, now)
            saved[write.title] = page_record(row)
        s.flush()
        if new:
            s.execute(insert(Page), [_columns(row) for row in new])
        _save_items(s, items, now)
    return saved


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key != "id"}


def save_settings(engine: Engine, values: Mapping[str, Any], now: datetime) -> None:
    """Several settings in one transaction."""
    if values:
        with Session(engine) as s, s.begin():
            _set_all(s, values, now)


def _set_all(s: Session, values: Mapping[str, Any], now: datetime) -> None:
    """Update the settings that exist, insert the others: a few statements in all."""
    rows = _existing(s, Setting, Setting.key, list(values))
    for key, row in rows.items():
        row.value, row.updated_at = values[key], now
    s.flush()
    new = [{"key": k, "value": v, "updated_at": now} for k, v in values.items() if k not in rows]
    if new:
        s.execute(insert(Setting), new)


def _existing(s: Session, model: Any, column: Any, keys: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for start in range(0, len(keys), CHUNK):
        for row in s.scalars(select(model).where(column.in_(keys[start : start + CHUNK]))):
            found[getattr(row, column.key)] = row
    return found


def _apply_page(row: Page, write: PageWrite, now: datetime) -> None:
    row.kind, row.grant = write.kind, write.grant
    row.last_revid, row.last_timestamp, row.updated_at = write.revid, write.timestamp, now
    if write.page_id is not None:
        row.page_id = write.page_id
    if write.analysis is not None:
        row.analysis, row.analysis_revid = write.analysis, write.revid
        row.analysis_version = write.analysis_version
    elif row.analysis_revid != write.revid:
        row.analysis = row.analysis_revid = row.analysis_version = None


def _save_items(s: Session, items: Mapping[str, Sequence[ReviewerItem]], now: datetime) -> None:
    """Like :meth:`StateStore.record_items` for many grants: one read of their rows,
    one INSERT of the new ones and one of the status changes."""
    grants = list(items)
    existing: dict[str, dict[str, Item]] = {}
    for start in range(0, len(grants), CHUNK):
        query = select(Item).where(Item.grant.in_(grants[start : start + CHUNK]))
        for row in s.scalars(query):
            existing.setdefault(row.grant, {})[row.item_id] = row
    new: list[dict[str, Any]] = []
    changes: list[tuple[Item | tuple[str, str], str]] = []
    for grant, current in items.items():
        rows = existing.get(grant, {})
        seen: set[str] = set()
        for item in {i.id: i for i in current}.values():
            seen.add(item.id)
            status = item.status.value
            row = rows.get(item.id)
            if row is None:
                new.append({"grant": grant, "item_id": item.id, "first_seen": now, "status": status,
                            "status_since": now, **item_values(item, now)})
                changes.append(((grant, item.id), status))
                continue
            fill_item(row, item, now)
            if row.status != status:
                row.status, row.status_since = status, now
                changes.append((row, status))
        for item_id, row in rows.items():
            if item_id not in seen and row.status != GONE:
                row.status, row.status_since = GONE, now
                changes.append((row, GONE))
    s.flush()
    if new:
        s.execute(insert(Item), new)
    _history(s, changes, now)


def _history(s: Session, changes: list[tuple[Item | tuple[str, str], str]], now: datetime) -> None:
    """One status-history row per change; new items' ids are read back in one query."""
    if not changes:
        return
    keys = sorted({c[0][0] for c in changes if isinstance(c[0], tuple)})
    ids: dict[tuple[str, str], int] = {}
    for start in range(0, len(keys), CHUNK):
        query = select(Item.id, Item.grant, Item.item_id).where(Item.grant.in_(keys[start : start + CHUNK]))
        ids.update({(g, i): pk for pk, g, i in s.execute(query)})
    s.execute(insert(ItemStatus), [
        {"item_pk": ids[target] if isinstance(target, tuple) else target.id, "status": status,
         "changed_at": now}
        for target, status in changes
    ])


def advance_page(engine: Engine, title: str, seen: int | None, revid: int | None,
                 now: datetime) -> PageRecord | None:
    """Move a page's last seen revision from ``seen`` to the bot's own ``revid``,
    keeping its analysis (valid for ``seen``) as the analysis of ``revid``."""
    with Session(engine, expire_on_commit=False) as s, s.begin():
        row = s.scalar(select(Page).where(Page.title == title).options(defer(Page.analysis)))
        if row is None:
            return None
        if row.analysis_revid is not None and row.analysis_revid in (seen, row.last_revid):
            row.analysis_revid = revid
        row.last_revid, row.last_timestamp, row.updated_at = revid, now, now
        s.flush()
        return page_record(row)
