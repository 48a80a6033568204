"""Small named values a sweep carries from one run to the next.

The recent-changes watermark (the server time of the last complete sweep)
and a fingerprint of what each bot-maintained page was last given live
here, so a quiet sweep can skip both fetching and re-reading its own pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Engine, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from jobs.state.models import Base


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime]


class Settings:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, key: str, default: Any = None) -> Any:
        with Session(self.engine) as s:
            row = s.scalar(select(Setting).where(Setting.key == key))
            return default if row is None else row.value

    def set(self, key: str, value: Any, now: datetime) -> None:
        with Session(self.engine) as s, s.begin():
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=value, updated_at=now))
            else:
                row.value, row.updated_at = value, now

    def delete_prefix(self, prefix: str) -> None:
        with Session(self.engine) as s, s.begin():
            for row in s.scalars(select(Setting).where(Setting.key.startswith(prefix))):
                s.delete(row)
