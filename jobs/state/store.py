"""The repository API over the state database.

Every method is one short transaction: a sweep and a manual run may share
the database, and SQLite serialises writers, so nothing holds a session
open across wiki requests.  Callers get frozen records, never ORM rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload, sessionmaker

from jobs.state.models import Item, ItemStatus, Page, Reminder, Run, RunRequest
from jobs.state.records import (
    GONE,
    ItemRecord,
    PageRecord,
    ReminderRecord,
    RequestRecord,
    RunKind,
    RunRecord,
    StatusChange,
    StoredAnalysis,
)
from parsers.model import ReviewerItem

EXCERPT_CHARS = 500


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")
    return value


class StateStore:
    """Pages, items, reminders, runs and run requests of one grantbot."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._session = sessionmaker(engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- pages ------------------------------------------------------------

    def record_page(
        self,
        title: str,
        *,
        kind: str,
        revid: int | None,
        timestamp: datetime | None,
        now: datetime,
        page_id: int | None = None,
        grant: str | None = None,
        analysis: Any = None,
        analysis_version: str | None = None,
    ) -> None:
        """Remember the revision last seen.  Without ``analysis`` an analysis
        stored for an older revision is dropped, since it no longer applies."""
        _aware(now, "now")
        if kind not in ("report", "talk"):
            raise ValueError(f"page kind must be 'report' or 'talk', got {kind!r}")

        def apply(page: Page) -> None:
            page.kind, page.last_revid, page.last_timestamp = kind, revid, timestamp
            page.updated_at = now
            if page_id is not None:
                page.page_id = page_id
            if grant is not None:
                page.grant = grant
            if analysis is not None:
                page.analysis, page.analysis_revid = analysis, revid
                page.analysis_version = analysis_version
            elif page.analysis_revid != revid:
                page.analysis = page.analysis_revid = page.analysis_version = None

        self._upsert(Page, {"title": title}, apply)

    def pages_seen(self, titles: Iterable[str] | None = None) -> dict[str, PageRecord]:
        """Last-seen revisions by title (all pages when ``titles`` is None)."""
        query = select(Page)
        if titles is not None:
            wanted = list(titles)
            if not wanted:
                return {}
            query = query.where(Page.title.in_(wanted))
        with self._session() as s:
            return {p.title: page_record(p) for p in s.scalars(query)}

    def stored_analysis(
        self, title: str, revid: int, version: str | None = None
    ) -> StoredAnalysis | None:
        """The analysis stored for exactly this revision (and parser version,
        when given), or None: then the page must be fetched and parsed."""
        with self._session() as s:
            page = s.scalar(select(Page).where(Page.title == title))
            if page is None or page.analysis is None or page.analysis_revid != revid:
                return None
            if version is not None and page.analysis_version != version:
                return None
            return StoredAnalysis(revid, page.analysis_version, page.analysis)

    # -- items ------------------------------------------------------------

    def record_items(
        self, grant: str, items: Iterable[ReviewerItem], now: datetime
    ) -> list[StatusChange]:
        """Record the *complete* current set of a grant's items.

        Items missing from ``items`` that were recorded before become "gone".
        Returns the status changes (including first sightings), which is
        what reminders and the run log care about.
        """
        _aware(now, "now")
        current = {item.id: item for item in items}
        changes: list[StatusChange] = []
        with self._session.begin() as s:
            existing = {
                row.item_id: row for row in s.scalars(select(Item).where(Item.grant == grant))
            }
            for item_id, item in current.items():
                row = existing.get(item_id)
                status = item.status.value
                if row is None:
                    row = Item(grant=grant, item_id=item_id, first_seen=now, status_since=now)
                    s.add(row)
                    previous = None
                else:
                    previous = row.status
                fill_item(row, item, now)
                if previous != status:
                    row.status, row.status_since = status, now
                    row.history.append(ItemStatus(status=status, changed_at=now))
                    changes.append(StatusChange(status, now, previous, item_id))
            for item_id, row in existing.items():
                if item_id not in current and row.status != GONE:
                    changes.append(StatusChange(GONE, now, row.status, item_id))
                    row.status, row.status_since = GONE, now
                    row.history.append(ItemStatus(status=GONE, changed_at=now))
        return changes

    def items_for(self, grant: str, *, include_gone: bool = False) -> list[ItemRecord]:
        query = (
            select(Item)
            .where(Item.grant == grant)
            .options(selectinload(Item.history))
            .order_by(Item.first_seen, Item.id)
        )
        if not include_gone:
            query = query.where(Item.status != GONE)
        with self._session() as s:
            return [_item_record(row) for row in s.scalars(query)]

    def grants_seen(self) -> list[str]:
        with self._session() as s:
            return list(s.scalars(select(Item.grant).distinct().order_by(Item.grant)))

    # -- reminders --------------------------------------------------------

    def record_reminder(
        self,
        grant: str,
        talk_page: str,
        item_ids: Sequence[str],
        revid: int | None,
        posted_at: datetime,
    ) -> int:
        _aware(posted_at, "posted_at")
        with self._session.begin() as s:
            row = Reminder(
                grant=grant,
                talk_page=talk_page,
                item_ids=list(item_ids),
                revid=revid,
                posted_at=posted_at,
            )
            s.add(row)
            s.flush()
            return row.id

    def reminders_for(self, grant: str) -> list[ReminderRecord]:
        query = select(Reminder).where(Reminder.grant == grant).order_by(Reminder.posted_at)
        with self._session() as s:
            return [reminder_record(r) for r in s.scalars(query)]

    def reminder_counts(self, grant: str) -> dict[str, tuple[int, datetime]]:
        """Per item: how many reminders mentioned it, and the latest one's time
        (what ``max_per_item`` and ``interval_days`` are checked against)."""
        counts: dict[str, tuple[int, datetime]] = {}
        for reminder in self.reminders_for(grant):
            for item_id in reminder.item_ids:
                n, last = counts.get(item_id, (0, reminder.posted_at))
                counts[item_id] = (n + 1, max(last, reminder.posted_at))
        return counts

    # -- runs -------------------------------------------------------------

    def start_run(self, kind: RunKind | str, now: datetime) -> int:
        _aware(now, "now")
        with self._session.begin() as s:
            run = Run(
                kind=RunKind(kind).value,
                started_at=now,
                grants=0,
                api_requests=0,
                edits=0,
                errors="",
            )
            s.add(run)
            s.flush()
            return run.id

    def finish_run(
        self,
        run_id: int,
        now: datetime,
        *,
        outcome: str,
        grants: int = 0,
        api_requests: int = 0,
        edits: int = 0,
        errors: Sequence[str] | str = (),
    ) -> None:
        _aware(now, "now")
        with self._session.begin() as s:
            run = s.get(Run, run_id)
            if run is None:
                raise KeyError(f"no run with id {run_id}")
            run.finished_at, run.outcome = now, outcome
            run.grants, run.api_requests, run.edits = grants, api_requests, edits
            run.errors = errors if isinstance(errors, str) else "\n".join(errors)

    def recent_runs(self, limit: int = 20, kind: RunKind | str | None = None) -> list[RunRecord]:
        """Newest first."""
        query = select(Run).order_by(Run.started_at.desc(), Run.id.desc()).limit(limit)
        if kind is not None:
            query = query.where(Run.kind == RunKind(kind).value)
        with self._session() as s:
            return [_run_record(r) for r in s.scalars(query)]

    # -- run requests -----------------------------------------------------

    def record_request(
        self,
        requested_by: str,
        target: str,
        requested_at: datetime,
        now: datetime,
        source_revid: int | None = None,
    ) -> tuple[RequestRecord, bool]:
        """Log a request read from the wiki; reading the same request again
        (same user, target and time) returns the logged one and False."""
        _aware(requested_at, "requested_at")
        _aware(now, "now")
        key = {"requested_by": requested_by, "target": target, "requested_at": requested_at}

        def apply(row: RunRequest) -> None:
            if row.id is None:
                row.received_at, row.source_revid = now, source_revid

        row, created = self._upsert(RunRequest, key, apply)
        return _request_record(row), created

    def pending_requests(self) -> list[RequestRecord]:
        query = (
            select(RunRequest)
            .where(RunRequest.served_at.is_(None))
            .order_by(RunRequest.requested_at, RunRequest.id)
        )
        with self._session() as s:
            return [_request_record(r) for r in s.scalars(query)]

    def serve_request(
        self, request_id: int, served_at: datetime, outcome: str, run_id: int | None = None
    ) -> None:
        _aware(served_at, "served_at")
        with self._session.begin() as s:
            row = s.get(RunRequest, request_id)
            if row is None:
                raise KeyError(f"no run request with id {request_id}")
            row.served_at, row.outcome, row.run_id = served_at, outcome, run_id

    def recent_requests(self, limit: int = 20) -> list[RequestRecord]:
        query = select(RunRequest).order_by(RunRequest.requested_at.desc()).limit(limit)
        with self._session() as s:
            return [_request_record(r) for r in s.scalars(query)]

    # -- helpers ----------------------------------------------------------

    def count(self, model: type[Any]) -> int:
        with self._session() as s:
            return int(s.scalar(select(func.count()).select_from(model)) or 0)

    def _upsert(self, model: type[Any], key: dict[str, Any], apply: Any) -> tuple[Any, bool]:
        """Update the row matching ``key`` or insert it; a concurrent insert
        of the same key (unique constraint) turns into an update."""
        for attempt in (1, 2):
            try:
                with self._session.begin() as s:
                    row = s.scalar(select(model).filter_by(**key))
                    inserted = row is None
                    if row is None:
                        row = model(**key)
                        apply(row)
                        s.add(row)
                    else:
                        apply(row)
                    s.flush()
                return row, inserted
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def item_values(item: ReviewerItem, now: datetime) -> dict[str, Any]:
    """The columns of an item row that follow the page (not its status)."""
    return {"kind": item.kind.value, "text": item.text[:EXCERPT_CHARS],
            "section": list(item.section), "anchor": item.anchor, "asked_by": item.asked_by,
            "asked_at": item.asked_at, "last_seen": now}


def fill_item(row: Item, item: ReviewerItem, now: datetime) -> None:
    for name, value in item_values(item, now).items():
        setattr(row, name, value)


def page_record(p: Page) -> PageRecord:
    return PageRecord(
        title=p.title,
        page_id=p.page_id,
        kind=p.kind,
        grant=p.grant,
        last_revid=p.last_revid,
        last_timestamp=p.last_timestamp,
        analysis_revid=p.analysis_revid,
        analysis_version=p.analysis_version,
        updated_at=p.updated_at,
    )


def _item_record(row: Item) -> ItemRecord:
    history: list[StatusChange] = []
    previous: str | None = None
    for h in row.history:
        history.append(StatusChange(h.status, h.changed_at, previous, row.item_id))
        previous = h.status
    return ItemRecord(
        grant=row.grant,
        item_id=row.item_id,
        kind=row.kind,
        text=row.text,
        section=tuple(row.section),
        anchor=row.anchor,
        asked_by=row.asked_by,
        asked_at=row.asked_at,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        status=row.status,
        status_since=row.status_since,
        history=tuple(history),
    )


def reminder_record(r: Reminder) -> ReminderRecord:
    return ReminderRecord(r.id, r.grant, r.talk_page, tuple(r.item_ids), r.revid, r.posted_at)


def _run_record(r: Run) -> RunRecord:
    return RunRecord(
        r.id, r.kind, r.started_at, r.finished_at, r.grants, r.api_requests, r.edits,
        r.errors, r.outcome,
    )


def _request_record(r: RunRequest) -> RequestRecord:
    return RequestRecord(
        r.id, r.requested_by, r.target, r.requested_at, r.source_revid, r.received_at,
        r.served_at, r.run_id, r.outcome,
    )
