"""Which wiki and which bot account a state database belongs to.

Two configurations in one folder used to share one state file, so one
wiki's grants, reminder counts and timestamps were published on another.
The first run that connects records the site and the account in the
``settings`` table; every later run compares before it reads or writes
anything else, and a mismatch is a configuration error (one line, exit 2).
``grantbot db upgrade`` and other state-only commands never bind.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from bots.errors import ConfigError
from jobs.state.engine import safe_url
from jobs.state.settings import Settings

SITE = "state.site"  # {"site": where the wiki is, "wikiid": siteinfo wikiid, "user": the bot account}


def bind_site(engine: Engine, identity: Mapping[str, str], now: datetime) -> None:
    """Record ``identity`` on first use; refuse a state database bound to another one."""
    settings = Settings(engine)
    bound = settings.get(SITE)
    if bound is None:
        try:
            settings.set(SITE, dict(identity), now)
            return
        except IntegrityError:  # another process bound it at the same moment: compare with its
            bound = settings.get(SITE)
    if dict(bound) != dict(identity):
        raise ConfigError(
            f"state database {safe_url(engine.url)} belongs to {_describe(bound)}, not to "
            f"{_describe(identity)}: give this configuration its own [state] url"
        )


def _describe(identity: Mapping[str, str]) -> str:
    return f"{identity.get('site')} ({identity.get('wikiid')}) as {identity.get('user')}"
