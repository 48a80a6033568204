"""grantbot's own settings, read from TOML and validated once, at load.

Everything the bot may do to a wiki follows from this file, so a mistake in
it must stop the bot before its first edit, with one line naming the file,
the dotted key and what was expected.  Unknown keys are errors too.  Secrets
never live here: only the *names* of environment variables or pywikibot
password files that hold them.  ``grantbot.example.toml`` documents every key
with its default.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bots.errors import ConfigError
from publishing.messages import problem
from jobs.config_schema import (
    DETAIL_MODES,
    REMINDER_LANGUAGES,
    SECRET_KEYS,
    SWITCHES,
    TALK_MAPPINGS,
    Config,
    GrantsConfig,
    ReminderTemplate,
    RemindersConfig,
    RequestsConfig,
    RolesConfig,
    SafetyConfig,
    ScheduleConfig,
    StateConfig,
    StatusConfig,
    Table,
    WikiConfig,
)

__all__ = [
    "Config",
    "GrantsConfig",
    "ReminderTemplate",
    "RemindersConfig",
    "RequestsConfig",
    "RolesConfig",
    "SafetyConfig",
    "ScheduleConfig",
    "StateConfig",
    "StatusConfig",
    "WikiConfig",
    "load_config",
    "parse_config",
]

# --------------------------------------------------------------------------
# Loading


MAX_CONFIG_BYTES = 1024 * 1024  # a configuration is a few kilobytes; more is a wrong file


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and validate ``path``; raise :class:`ConfigError` on any problem."""
    file = Path(path).expanduser().resolve()
    try:
        with file.open("rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"{file}: configuration file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{file}: is a directory, not a configuration file") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read configuration ({exc.strerror})") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{file}: larger than {MAX_CONFIG_BYTES // 1024} KiB: not a "
                          "grantbot configuration")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file}: not UTF-8 text (bad byte at offset {exc.start}): "
                          "save the configuration as UTF-8 TOML") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({_first_line(exc)})") from None
    return parse_config(data, file)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def parse_config(data: dict[str, object], file: Path) -> Config:
    """Validate already-parsed TOML; ``file`` anchors relative paths and errors."""
    root = Table(file, "", data)
    if not root.has("wiki"):
        raise root.error_at("wiki", "a [wiki] table with local_dir, or family and code")
    wiki = _wiki(root.table("wiki"))
    status = _status(root.table("status"))
    grants = _grants(root.table("grants"))
    requests = _requests(root.table("requests"))
    reminders = _reminders(root.table("reminders"))
    config = Config(
        path=file,
        wiki=wiki,
        grants=grants,
        roles=_roles(root.table("roles")),
        reminders=reminders,
        status=status,
        safety=_safety(root.table("safety"), status, grants, requests, reminders),
        requests=requests,
        schedule=_schedule(root.table("schedule")),
        state=_state(root.table("state"), file),
    )
    root.done()
    if wiki.user:
        return config.with_bot(wiki.user)
    config.check_pages_apart()
    return config


def _reject_secrets(t: Table) -> None:
    for key in t.data:
        if key.lower() in SECRET_KEYS:
            raise t.error(
                key, "no secret in the configuration (name an environment variable "
                "with password_env, or a pywikibot password file with password_file)"
            )


def _wiki(t: Table) -> WikiConfig:
    _reject_secrets(t)
    wiki = WikiConfig(
        local_dir=t.path("local_dir"),
        family=t.nonempty_str("family", None),
        code=t.nonempty_str("code", None),
        pywikibot_dir=t.path("pywikibot_dir"),
        user=t.nonempty_str("user", None),
        password_env=t.nonempty_str("password_env", None),
        password_file=t.path("password_file"),
        lang=t.nonempty_str("lang", None),
        tz=t.nonempty_str("tz", None),
        discussiontools=t.choice("discussiontools", "auto", SWITCHES),
        recent_changes_days=t.integer("recent_changes_days", WikiConfig.recent_changes_days, minimum=1),
    )
    t.done()
    remote = wiki.family is not None or wiki.code is not None
    if wiki.local_dir is not None and remote:
        raise t.error("local_dir", "either local_dir or family + code, not both")
    if wiki.local_dir is None and not (wiki.family and wiki.code):
        missing = "code" if wiki.family else "family"
        raise t.error(missing, "local_dir, or both family and code (e.g. meta / meta)")
    if wiki.tz is not None:
        _check_zone(t, "tz", wiki.tz)
    return wiki


def _grants(t: Table) -> GrantsConfig:
    d = GrantsConfig()
    grants = GrantsConfig(
        namespace=t.integer("namespace", d.namespace),
        talk_namespace=t.integer("talk_namespace", d.talk_namespace),
        prefixes=t.strings("prefixes", d.prefixes),
        report_pattern=t.regex("report_pattern", d.report_pattern),
        titles=t.strings("titles", d.titles),
        talk_mapping=t.choice("talk_mapping", d.talk_mapping, TALK_MAPPINGS),
    )
    t.done()
    return grants


def _roles(t: Table) -> RolesConfig:
    d = RolesConfig()
    reviewers = t.strings("reviewers", d.reviewers)
    patterns = t.regex_list("reviewer_patterns", d.reviewer_patterns)
    gt = t.table("grantees")
    grantees = {title: gt.strings(title, ()) for title in list(gt.data)}
    gt.done()
    roles = RolesConfig(
        reviewers=reviewers,
        reviewer_patterns=patterns,
        grantees=MappingProxyType(grantees),
    )
    t.done()
    return roles


# The parts of a reminder the configuration may reword, and their message keys.
TEMPLATE_PARTS = ("heading", "intro", "item", "outro")


def _reminders(t: Table) -> RemindersConfig:
    d = RemindersConfig()
    enabled = t.flag("enabled", d.enabled)
    min_age = t.integer("min_age_days", d.min_age_days)
    interval = t.integer("interval_days", d.interval_days, minimum=1)
    max_per_item = t.integer("max_per_item", d.max_per_item)
    silence = t.integer("reviewer_silence_days", d.reviewer_silence_days)
    nudges = tuple(n.strip() for n in t.strings("reviewer_nudges", d.reviewer_nudges) if n.strip())
    tt = t.table("templates")
    templates: dict[str, ReminderTemplate] = {}
    for lang in list(tt.data):
        if lang not in REMINDER_LANGUAGES:
            raise tt.error(lang, "a language among " + ", ".join(REMINDER_LANGUAGES))
        lt = tt.table(lang)
        parts = {}
        for part in TEMPLATE_PARTS:
            value = lt.template(part, None)
            why = problem(f"reminder-{part}", value) if value is not None else None
            if why:
                raise lt.error(part, f"a usable reminder {part} ({why})")
            parts[part] = value
        templates[lang] = ReminderTemplate(**parts)
        lt.done()
    tt.done()
    t.done()
    return RemindersConfig(
        enabled=enabled,
        min_age_days=min_age,
        interval_days=interval,
        max_per_item=max_per_item,
        reviewer_silence_days=silence,
        reviewer_nudges=nudges,
        templates=MappingProxyType(templates),
    )


def _status(t: Table) -> StatusConfig:
    d = StatusConfig()
    json_page = t.text("json_page", d.json_page)
    status = StatusConfig(
        page=t.nonempty_str("page", d.page),
        json_page=json_page or None,  # "" switches the JSON page off
        detail=t.choice("detail", d.detail, DETAIL_MODES),
        views=t.flag("views", d.views),
    )
    t.done()
    return status


def _safety(t: Table, status: StatusConfig, grants: GrantsConfig,
            requests: RequestsConfig, reminders: RemindersConfig) -> SafetyConfig:
    d = SafetyConfig()
    talk = tuple(f"Grants talk:{p}" for p in grants.prefixes) or ("Grants talk:",)
    nudged = tuple(f"User talk:{name}" for name in reminders.reviewer_nudges)
    derived = ((status.page,) + ((status.json_page,) if status.json_page else ()) + talk
               + (requests.page,) + nudged)
    safety = SafetyConfig(
        shutoff_page=t.nonempty_str("shutoff_page", d.shutoff_page),
        allowed_prefixes=t.strings("allowed_prefixes", derived),
        shutoff_check_every=t.integer("shutoff_check_every", d.shutoff_check_every, minimum=1),
        max_edits_per_run=t.integer("max_edits_per_run", d.max_edits_per_run),
        verify_authorship=t.flag("verify_authorship", d.verify_authorship),
    )
    if any(not p.strip() for p in safety.allowed_prefixes):
        raise t.error("allowed_prefixes", "non-empty page-name prefixes", safety.allowed_prefixes)
    t.done()
    return safety


def _requests(t: Table) -> RequestsConfig:
    d = RequestsConfig()
    requests = RequestsConfig(
        page=t.nonempty_str("page", d.page),
        allowed_users=t.strings("allowed_users", d.allowed_users),
        allowed_groups=t.strings("allowed_groups", d.allowed_groups),
    )
    t.done()
    return requests


def _schedule(t: Table) -> ScheduleConfig:
    d = ScheduleConfig()
    schedule = ScheduleConfig(
        sweep=t.nonempty_str("sweep", d.sweep),
        requests=t.nonempty_str("requests", d.requests),
        misfire_grace_seconds=t.integer(
            "misfire_grace_seconds", d.misfire_grace_seconds, minimum=1
        ),
        timezone=t.nonempty_str("timezone", d.timezone),
        full_sweep_hours=t.integer("full_sweep_hours", d.full_sweep_hours, minimum=1),
    )
    _check_zone(t, "timezone", schedule.timezone)
    from apscheduler.triggers.cron import CronTrigger

    for key in ("sweep", "requests"):
        expr = getattr(schedule, key)
        try:
            CronTrigger.from_crontab(expr, timezone=schedule.timezone)
        except ValueError as exc:
            raise t.error(key, f"a 5-field cron expression ({exc})", expr) from None
    t.done()
    return schedule


def _state(t: Table, file: Path) -> StateConfig:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    _reject_secrets(t)
    default = f"sqlite:///{file.parent / 'var' / 'grantbot.sqlite'}"
    text = t.nonempty_str("url", default)
    try:
        url = make_url(text)
    except ArgumentError:
        raise t.error("url", "an SQLAlchemy database URL", text) from None
    if url.password:
        raise t.error("url", "a URL without a password (set state.password_env)")
    db = url.database
    if url.get_backend_name() == "sqlite" and db and db != ":memory:" and not db.startswith("file:"):
        path = Path(db).expanduser()
        if not path.is_absolute():
            url = url.set(database=str((file.parent / path).resolve()))
    state = StateConfig(
        url=url.render_as_string(hide_password=False),
        password_env=t.nonempty_str("password_env", None),
    )
    t.done()
    return state


def _check_zone(t: Table, key: str, name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise t.error(key, "an IANA time zone name such as 'UTC' or 'Europe/Madrid'", name) from None
