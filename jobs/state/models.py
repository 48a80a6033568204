"""The state database's tables, as typed SQLAlchemy 2.x ORM classes.

The schema itself is owned by the Alembic migrations next to this module
(``migrations/versions``); these classes must agree with the latest one.
Datetimes go in as aware UTC and come out as aware UTC even on SQLite, which
keeps no zone: :class:`UTCDateTime` stores naive UTC and reattaches it.
Strings that are indexed carry a length so MariaDB can index them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator, TypeEngine

TITLE = 255  # MediaWiki's page-title limit (bytes, so characters is generous)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in, aware UTC out; naive datetimes are refused, not guessed."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in ("mysql", "mariadb"):  # DATETIME drops microseconds there
            from sqlalchemy.dialects.mysql import DATETIME

            return dialect.type_descriptor(DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime(timezone=False))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            return value.astimezone(timezone.utc)
        return value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class Page(Base):
    """A report or talk page as last seen, with its stored analysis so an
    unchanged page is neither refetched nor reparsed."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("title", name="uq_pages_title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE))
    page_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(16))  # "report" or "talk"
    grant: Mapped[str | None] = mapped_column(String(TITLE), index=True)
    last_revid: Mapped[int | None]
    last_timestamp: Mapped[datetime | None]
    analysis: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    analysis_revid: Mapped[int | None]
    analysis_version: Mapped[str | None] = mapped_column(String(64))  # added in 0002
    updated_at: Mapped[datetime]


class Item(Base):
    """One reviewer question or request, identified by the parser's stable id."""

    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("grant", "item_id", name="uq_items_grant_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grant: Mapped[str] = mapped_column(String(TITLE))
    item_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)  # an excerpt
    section: Mapped[Any] = mapped_column(JSON)  # list of heading titles
    anchor: Mapped[str] = mapped_column(Text)
    asked_by: Mapped[str | None] = mapped_column(String(TITLE))
    asked_at: Mapped[datetime | None]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # "open", "answered", "gone"
    status_since: Mapped[datetime]

    history: Mapped[list[ItemStatus]] = relationship(
        back_populates="item", order_by="ItemStatus.id", cascade="all, delete-orphan"
    )


class ItemStatus(Base):
    __tablename__ = "item_status_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_pk: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime]

    item: Mapped[Item] = relationship(back_populates="history")


class Reminder(Base):
    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant: Mapped[str] = mapped_column(String(TITLE), index=True)
    talk_page: Mapped[str] = mapped_column(String(TITLE))
    item_ids: Mapped[Any] = mapped_column(JSON)  # list of item ids
    revid: Mapped[int | None]  # the revision that posted it (None when simulated)
    posted_at: Mapped[datetime]


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "sweep", "manual", "request"
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    grants: Mapped[int] = mapped_column(Integer, default=0)
    api_requests: Mapped[int] = mapped_column(Integer, default=0)
    edits: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(32))  # None while running


class RunRequest(Base):
    """Someone asked on the wiki for a run; served_at says when we did it."""

    __tablename__ = "run_requests"
    __table_args__ = (
        UniqueConstraint("requested_by", "target", "requested_at", name="uq_run_requests"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by: Mapped[str] = mapped_column(String(TITLE))
    target: Mapped[str] = mapped_column(String(TITLE))  # a grant title, or "*" for all
    requested_at: Mapped[datetime]
    source_revid: Mapped[int | None]
    received_at: Mapped[datetime]
    served_at: Mapped[datetime | None]
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(Text)


class Lease(Base):
    """Who may work on ``name`` (a grant, or "sweep") until ``expires_at``."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(TITLE), primary_key=True)
    holder: Mapped[str] = mapped_column(String(TITLE))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class PageBlame(Base):
    """A talk page's blame (parsers.blame) up to ``revid``: the history is read
    once, and later only the revisions after ``revid`` (added in 0005)."""

    __tablename__ = "page_blame"

    title: Mapped[str] = mapped_column(String(TITLE), primary_key=True)
    revid: Mapped[int]
    blame: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime]
