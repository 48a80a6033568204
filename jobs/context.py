"""Everything one run needs, built once from the configuration.

A run gets its wiki connection, writer, state store, leases, policies and
clock from a :class:`RunContext`, so nothing below reads global settings
and tests can hand in their own clock and site.
"""

from __future__ import annotations

import atexit
import logging
import os
import secrets
import shutil
import socket
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from bots.errors import ConfigError
from publishing.messages import Messages
from publishing.reminders import ReminderPolicy
from bots.site import WikiSite, connect, use_pywikibot_dir
from publishing.statuspage import StatusPageSpec
from bots.writer import Writer
from publishing.safety import EditPolicy
from jobs.config import Config
from jobs.leases import Leases
from jobs.state import StateStore, open_state
from jobs.state.binding import bind_site

log = logging.getLogger("grantbot.run")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def never() -> bool:
    return False


@dataclass
class RunContext:
    """Mutable only in its counters; one per run."""

    config: Config
    site: WikiSite
    state: StateStore
    writer: Writer
    leases: Leases
    simulate: bool = False
    now: Callable[[], datetime] = utcnow
    should_stop: Callable[[], bool] = never
    lang: str = "en"
    tz: str = "UTC"
    holder: str = "grantbot"
    messages: list[str] = field(default_factory=list)
    wording: Messages | None = None  # the wiki's message pages, read once a run needs them

    def note(self, message: str) -> None:
        log.info(message)
        self.messages.append(message)

    @property
    def status_spec(self) -> StatusPageSpec:
        status = self.config.status
        return StatusPageSpec(
            title=status.page,
            json_title=status.json_page,
            detail_subpages=status.detail == "subpages",
            details=status.detail != "none",
            views=status.views,
            stale_days=self.config.reminders.min_age_days,
            # Half the wiki's page limit: far from refusals, and few pages to save.
            page_budget=self.site.max_page_bytes // 2,
            lang=self.lang,
        )

    @property
    def goto_comment(self) -> bool:
        """Link items to ``Special:GoToComment/<id>``: configured, or where siteinfo lists DiscussionTools."""
        switch = self.config.wiki.discussiontools
        return switch == "yes" or (switch == "auto" and self.site.has_extension("DiscussionTools"))

    @property
    def reminder_policy(self) -> ReminderPolicy:
        rem = self.config.reminders
        configured = {(f"reminder-{part}", lang): value
                      for lang, template in rem.templates.items()
                      for part, value in vars(template).items() if value is not None}
        return ReminderPolicy(
            min_age_days=rem.min_age_days,
            interval_days=rem.interval_days,
            max_per_item=rem.max_per_item,
            reviewer_silence_days=rem.reviewer_silence_days,
            messages=(self.wording or Messages()).with_overrides(configured),
        )


def connect_site(config: Config, simulate: bool) -> WikiSite:
    """Log in to the configured wiki (the embedded local one or a pywikibot family)."""
    wiki = config.wiki
    if wiki.local_dir is not None:
        from localwiki import LocalWiki

        local = LocalWiki.open(Path(wiki.local_dir))
        if not local.status().running:
            local.start()
        # Its generated user-config (no throttling, short retries) must be read
        # before register_pywikibot() imports pywikibot.
        use_pywikibot_dir(local.pywikibot_dir)
        local.register_pywikibot()
        return connect(
            family=local.family, code=local.family, user=local.bot_user,
            pywikibot_dir=local.pywikibot_dir, simulate=simulate,
        )
    if not wiki.family:
        raise ConfigError(f"{config.path}: [wiki] needs local_dir or family/code")
    use_pywikibot_dir(wiki.pywikibot_dir)  # before _password_file imports pywikibot
    _password_file(config)
    return connect(
        family=wiki.family, code=wiki.code or wiki.family, user=wiki.user,
        pywikibot_dir=wiki.pywikibot_dir, simulate=simulate,
    )


def _password_file(config: Config) -> None:
    """Point pywikibot at the configured password file, or at a private one
    written from ``password_env`` (``APPID:SECRET`` of a BotPassword, or a
    plain password), so secrets can come from the environment (Toolforge)."""
    wiki = config.wiki
    if wiki.password_file is None and wiki.password_env is None:
        return
    import pywikibot.config as pwb_config

    if wiki.password_file is not None:
        pwb_config.password_file = str(wiki.password_file)
        return
    assert wiki.password_env is not None
    value = os.environ.get(wiki.password_env)
    if not value:
        raise ConfigError(
            f"{config.path}: wiki.password_env: the environment variable {wiki.password_env} is not set"
        )
    if not wiki.user:
        raise ConfigError(f"{config.path}: wiki.user: needed with password_env (the bot account)")
    app, sep, secret = value.partition(":")
    entry = f"BotPassword({app!r}, {secret!r})" if sep else repr(value)
    directory = tempfile.mkdtemp(prefix="grantbot-secret-")
    path = Path(directory) / "user-password.py"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"({wiki.user!r}, {entry})\n")
    atexit.register(shutil.rmtree, directory, True)
    pwb_config.password_file = str(path)


def site_identity(config: Config, site: WikiSite) -> dict[str, str]:
    """The wiki and account a state database is bound to: the embedded wiki by its
    directory (its port may move), any other by its API URL; siteinfo's wiki id
    and the account logged in, in both cases."""
    where = (f"local wiki {Path(config.wiki.local_dir).resolve()}" if config.wiki.local_dir is not None
             else site.api_url)
    return {"site": where, "wikiid": site.wiki_id, "user": site.user}


def open_context(
    config: Config,
    *,
    simulate: bool = False,
    now: Callable[[], datetime] = utcnow,
    should_stop: Callable[[], bool] = never,
    site: WikiSite | None = None,
    holder: str = "grantbot",
) -> RunContext:
    site = site or connect_site(config, simulate)
    # Leases are not re-entrant: every process needs a holder name of its own.
    holder = f"{holder}@{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
    config = config.with_bot(site.user)
    state = open_state(config.state.resolved_url())
    try:
        bind_site(state.engine, site_identity(config, site), now())
    except BaseException:
        state.close()
        raise
    writer = Writer(
        site,
        EditPolicy(
            simulate=simulate or site.simulate,
            shutoff_every=config.safety.shutoff_check_every,
            allowed_prefixes=tuple(config.safety.allowed_prefixes),
            max_edits=config.safety.max_edits_per_run,
            shutoff_title=config.safety.shutoff_page,
            talk_namespace=config.grants.talk_namespace,
            nudge_pages=tuple(f"User talk:{name}" for name in config.reminders.reviewer_nudges),
        ),
    )
    lang = config.wiki.lang or site.language
    tz = config.wiki.tz or str(getattr(site.timezone, "key", "UTC"))
    return RunContext(
        config=config, site=site, state=state, writer=writer, leases=Leases(state.engine),
        simulate=simulate or site.simulate, now=now, should_stop=should_stop,
        lang=lang, tz=tz, holder=holder,
    )
