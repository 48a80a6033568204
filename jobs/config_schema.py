"""The configuration's frozen dataclasses, and typed readers for TOML tables.

:mod:`jobs.config` loads files into these; import them from there.

A misspelt key in a bot's configuration silently falls back to a default
and the bot then edits pages nobody meant it to touch.  So every read goes
through :class:`Table`, which remembers which keys were consumed; whatever is
left over when a section has been read is an error.  Every error names the
file, the dotted key and what was expected, in one line.
"""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, TypeVar

from bots.errors import ConfigError

T = TypeVar("T")

_MISSING: Any = object()


REMINDER_LANGUAGES = ("en", "es", "pt", "fr")
DETAIL_MODES = ("subpages", "sections", "none")  # "none": the table only
SWITCHES = ("auto", "yes", "no")
# "report": Grants:X/Report is discussed on Grants talk:X/Report.
# "grant": it is discussed on the grant's own talk page, Grants talk:X.
TALK_MAPPINGS = ("report", "grant")
SECRET_KEYS = ("password", "secret", "token", "api_key")
DEFAULT_REPORT_PATTERN = r"/(?:(?:Final|Midpoint|Interim|Progress) )?[Rr]eport$"


@dataclass(frozen=True)
class WikiConfig:
    local_dir: Path | None = None  # the embedded local wiki (localwiki)
    family: str | None = None  # pywikibot family, e.g. "meta"
    code: str | None = None  # pywikibot code, e.g. "meta"
    pywikibot_dir: Path | None = None  # directory holding user-config.py
    user: str | None = None  # the bot account
    password_env: str | None = None  # name of an env var holding the password
    password_file: Path | None = None  # a pywikibot password file
    lang: str | None = None  # None: the site's content language
    tz: str | None = None  # None: the site's time zone
    discussiontools: str = "auto"  # link items to Special:GoToComment: "auto" (siteinfo), "yes", "no"
    recent_changes_days: int = 30  # the wiki's recent-changes retention ($wgRCMaxAge; Wikimedia: 30)

    @property
    def is_local(self) -> bool:
        return self.local_dir is not None


@dataclass(frozen=True)
class GrantsConfig:
    namespace: int = 200
    talk_namespace: int = 201
    prefixes: tuple[str, ...] = ()
    report_pattern: str = DEFAULT_REPORT_PATTERN
    titles: tuple[str, ...] = ()
    talk_mapping: str = "report"


@dataclass(frozen=True)
class RolesConfig:
    reviewers: tuple[str, ...] = ()
    reviewer_patterns: tuple[str, ...] = (r"\(WMF\)$",)
    grantees: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class ReminderTemplate:
    """Overrides of the built-in reminder wording (publishing/catalogue.py); None keeps it."""

    heading: str | None = None  # {date}
    intro: str | None = None  # {pings} {count} {days}
    item: str | None = None  # {link} {asked_by} {asked_on} {age} {excerpt} {kind}
    outro: str | None = None  # {bot}


@dataclass(frozen=True)
class RemindersConfig:
    enabled: bool = True
    min_age_days: int = 14
    interval_days: int = 14
    max_per_item: int = 2
    reviewer_silence_days: int = 30
    # Reviewers who asked for a short note on their own talk page (publishing/nudges.py).
    reviewer_nudges: tuple[str, ...] = ()
    templates: Mapping[str, ReminderTemplate] = field(
        default_factory=lambda: MappingProxyType({})
    )


@dataclass(frozen=True)
class StatusConfig:
    page: str = "User:{bot}/Grant status"  # {bot}: the bot account, known after login
    json_page: str | None = "User:{bot}/Grant status.json"
    detail: str = "subpages"
    views: bool = True  # the by-reviewer and by-program pages


@dataclass(frozen=True)
class SafetyConfig:
    shutoff_page: str = "User:{bot}/Shutoff"
    allowed_prefixes: tuple[str, ...] = ()
    shutoff_check_every: int = 50
    max_edits_per_run: int = 100  # 0: no limit
    verify_authorship: bool = True  # check signatures and markers against the page history


@dataclass(frozen=True)
class RequestsConfig:
    page: str = "User:{bot}/Run"
    allowed_users: tuple[str, ...] = ()
    allowed_groups: tuple[str, ...] = ("sysop",)


@dataclass(frozen=True)
class ScheduleConfig:
    sweep: str = "0 */6 * * *"
    requests: str = "* * * * *"
    misfire_grace_seconds: int = 3600
    timezone: str = "UTC"
    full_sweep_hours: int = 24  # a sweep this long after the last full listing lists everything again


@dataclass(frozen=True)
class StateConfig:
    url: str  # never holds a password: see password_env
    password_env: str | None = None

    def resolved_url(self) -> str:
        """The URL with the password from the environment filled in."""
        if self.password_env is None:
            return self.url
        from sqlalchemy.engine import make_url

        password = os.environ.get(self.password_env)
        if password is None:
            raise ConfigError(
                f"state.password_env: environment variable {self.password_env} is not set"
            )
        return make_url(self.url).set(password=password).render_as_string(hide_password=False)


@dataclass(frozen=True)
class Config:
    path: Path  # the file this was loaded from (absolute)
    wiki: WikiConfig
    state: StateConfig
    grants: GrantsConfig = GrantsConfig()
    roles: RolesConfig = RolesConfig()
    reminders: RemindersConfig = RemindersConfig()
    status: StatusConfig = StatusConfig()
    safety: SafetyConfig = SafetyConfig()
    requests: RequestsConfig = RequestsConfig()
    schedule: ScheduleConfig = ScheduleConfig()

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def with_bot(self, user: str) -> Config:
        """Fill ``{bot}`` in page names once the bot account is known
        (for the local wiki it is only known after login)."""

        def fill(text: str) -> str:
            return text.replace("{bot}", user)

        for key, page in (("status.page", self.status.page),
                          ("status.json_page", self.status.json_page or "")):
            _check_user_space(key, fill(page), user)
        filled = replace(
            self,
            wiki=replace(self.wiki, user=self.wiki.user or user),
            status=replace(
                self.status,
                page=fill(self.status.page),
                json_page=fill(self.status.json_page) if self.status.json_page else None,
            ),
            safety=replace(
                self.safety,
                shutoff_page=fill(self.safety.shutoff_page),
                allowed_prefixes=tuple(fill(p) for p in self.safety.allowed_prefixes),
            ),
            requests=replace(self.requests, page=fill(self.requests.page)),
        )
        filled.check_pages_apart()
        return filled

    def check_pages_apart(self) -> None:
        """Refuse two outputs on one page: the bot would overwrite one with the
        other (a JSON copy saved over the status table, answers to run
        requests over the status page, a status block on the shutoff page).
        Everything under ``status.page/`` belongs to the status output (its
        views, numbered parts and detail subpages)."""
        pages = [("status.page", self.status.page), ("status.json_page", self.status.json_page),
                 ("requests.page", self.requests.page),
                 ("safety.shutoff_page", self.safety.shutoff_page)]
        status = page_key(self.status.page)
        seen: list[tuple[str, str]] = []
        for key, title in pages:
            if title is None:
                continue
            canon = page_key(title)
            for other_key, other in seen:
                if canon == other:
                    raise ConfigError(f"{self.path}: {other_key} and {key} name the same page "
                                      f"{title!r}: each output needs a page of its own")
            if canon.startswith(status + "/"):
                raise ConfigError(
                    f"{self.path}: {key} {title!r} is a subpage of status.page (its subpages "
                    "hold the views, numbered parts and grant details): choose another page")
            seen.append((key, canon))



def page_key(title: str) -> str:
    """A page title as MediaWiki compares titles: underscores are spaces,
    runs of spaces collapse, namespace names ignore case, and the first
    letter of the namespace and of the name is upper case."""
    title = re.sub(r"[\s_]+", " ", title).strip()
    head, sep, rest = title.partition(":")
    if sep:
        head, rest = head.strip().lower(), rest.strip()
        return f"{head}:{rest[:1].upper()}{rest[1:]}"
    return title[:1].upper() + title[1:]


def _user_name(name: str) -> str:
    name = name.replace("_", " ").strip()
    return name[:1].upper() + name[1:]


def _check_user_space(key: str, title: str, bot: str) -> None:
    """A status page in another account's user space (a configuration made for
    another bot) is refused before the first edit, as a configuration error."""
    head, sep, rest = title.partition(":")
    if not sep or head.strip().lower() != "user":
        return  # other namespaces: the writer's allowlist decides and says why
    owner = _user_name(rest.split("/", 1)[0])
    if owner != _user_name(bot):
        raise ConfigError(
            f"{key} {title!r} is in the user space of {owner!r}, not of the bot account "
            f"{bot!r}; the bot writes only under User:{bot}/ (unset {key} to use "
            "User:{bot}/...)"
        )


# --------------------------------------------------------------------------
# Reading TOML tables


def describe(value: object) -> str:
    """A short rendering of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Table:
    """One TOML table being read; tracks consumed keys to catch typos."""

    def __init__(self, file: Path, dotted: str, data: object) -> None:
        self.file = file
        self.dotted = dotted
        if data is _MISSING or data is None:
            data = {}
        if not isinstance(data, dict):
            raise self.error_at(dotted, "a table", data)
        self.data: dict[str, Any] = data
        self._seen: set[str] = set()

    # -- errors -----------------------------------------------------------

    def key(self, name: str) -> str:
        return f"{self.dotted}.{name}" if self.dotted else name

    def error_at(self, dotted: str, expected: str, value: object = _MISSING) -> ConfigError:
        got = "" if value is _MISSING else f", got {describe(value)}"
        return ConfigError(f"{self.file}: {dotted}: expected {expected}{got}")

    def error(self, name: str, expected: str, value: object = _MISSING) -> ConfigError:
        return self.error_at(self.key(name), expected, value)

    # -- readers ----------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str) -> Any:
        self._seen.add(name)
        return self.data.get(name, _MISSING)

    def table(self, name: str) -> Table:
        return Table(self.file, self.key(name), self.raw(name))

    def text(self, name: str, default: T) -> str | T:
        value = self.raw(name)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            raise self.error(name, "a string", value)
        return value

    def nonempty_str(self, name: str, default: T) -> str | T:
        value = self.text(name, default)
        if isinstance(value, str) and not value.strip():
            raise self.error(name, "a non-empty string", value)
        return value

    def flag(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            raise self.error(name, "true or false", value)
        return value

    def integer(self, name: str, default: T, minimum: int = 0) -> int | T:
        value = self.raw(name)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(name, f"an integer >= {minimum}", value)
        return value

    def strings(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.raw(name)
        if value is _MISSING:
            return default
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(name, "a list of strings", value)
        return tuple(value)

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.text(name, default)
        if value not in choices:
            raise self.error(name, "one of " + ", ".join(repr(c) for c in choices), value)
        return value

    def regex(self, name: str, default: str) -> str:
        value = self.text(name, default)
        check_regex(self, self.key(name), value)
        return value

    def regex_list(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        values = self.strings(name, default)
        for i, value in enumerate(values):
            check_regex(self, f"{self.key(name)}[{i}]", value)
        return values

    def path(self, name: str) -> Path | None:
        """A filesystem path; relative paths are relative to the config file."""
        value = self.nonempty_str(name, None)
        if value is None:
            return None
        path = Path(value).expanduser()
        return path if path.is_absolute() else (self.file.parent / path).resolve()

    def template(self, name: str, default: T) -> str | T:
        value = self.text(name, default)
        if isinstance(value, str):
            check_format(self, self.key(name), value)
        return value

    # -- completion -------------------------------------------------------

    def done(self) -> None:
        """Fail on the first key nobody read (sorted, so the error is stable)."""
        unknown = sorted(set(self.data) - self._seen)
        if unknown:
            known = sorted(self._seen)
            hint = f" (known keys: {', '.join(known)})" if known else ""
            raise ConfigError(f"{self.file}: {self.key(unknown[0])}: unknown key{hint}")


def check_regex(table: Table, dotted: str, value: str) -> None:
    try:
        re.compile(value)
    except re.error as exc:
        raise table.error_at(dotted, f"a valid regular expression ({exc})", value) from None


def check_format(table: Table, dotted: str, value: str) -> None:
    """Reject templates that ``str.format`` would choke on at posting time."""
    try:
        for _literal, placeholder, _spec, _conv in string.Formatter().parse(value):
            if placeholder is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", placeholder):
                raise ValueError(f"placeholder {{{placeholder}}} is not a plain name")
    except ValueError as exc:
        raise table.error_at(dotted, f"a template with {{name}} placeholders ({exc})", value) from None
