"""Small typed readers for TOML tables, used by :mod:`jobs.config`.

A misspelt key in a bot's configuration silently falls back to a default
and the bot then edits pages nobody meant it to touch.  So every read goes
through :class:`Table`, which remembers which keys were consumed; whatever is
left over when a section has been read is an error.  Every error names the
file, the dotted key and what was expected, in one line.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any, TypeVar

from bots.errors import ConfigError

T = TypeVar("T")

_MISSING: Any = object()


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
        for _literal, field, _spec, _conv in string.Formatter().parse(value):
            if field is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", field):
                raise ValueError(f"placeholder {{{field}}} is not a plain name")
    except ValueError as exc:
        raise table.error_at(dotted, f"a template with {{name}} placeholders ({exc})", value) from None
