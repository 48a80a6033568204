"""Which pages are grants, and which talk page belongs to which report.

Pure: the sweep hands in titles it listed or saw change, this module
decides what they mean under the configuration.  A grant is keyed by its
report page title because that is what reviewers and the status page name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from collections.abc import Callable

from jobs.config import GrantsConfig


@dataclass(frozen=True)
class GrantNames:
    """The wiki's names of the configured report and talk namespaces."""

    report_ns: str  # "Grants" on Meta (namespace 200)
    talk_ns: str  # "Grants talk" (201)

    @classmethod
    def for_site(cls, config: GrantsConfig, namespace_name: Callable[[int], str]) -> GrantNames:
        return cls(namespace_name(config.namespace), namespace_name(config.talk_namespace))


@dataclass(frozen=True)
class Grant:
    report_title: str  # "Grants:Conference/X/Y 2024/Report": the key everywhere
    talk_title: str  # where reviewers ask and reminders go
    grant_title: str  # "Grants:Conference/X/Y 2024": the grant's own page

    @property
    def key(self) -> str:
        return self.report_title


def _split(title: str) -> tuple[str, str]:
    ns, sep, rest = title.partition(":")
    return (ns, rest) if sep else ("", title)


def is_report(title: str, config: GrantsConfig, names: GrantNames) -> bool:
    """A page of the report namespace that matches the prefixes and the report pattern."""
    ns, rest = _split(title)
    if ns != names.report_ns:
        return False
    if config.prefixes and not rest.startswith(tuple(config.prefixes)):
        return False
    return re.search(config.report_pattern, rest) is not None


def grant_for_report(report_title: str, config: GrantsConfig, names: GrantNames) -> Grant:
    _, rest = _split(report_title)
    match = re.search(config.report_pattern, rest)
    base = rest[: match.start()] if match else rest
    base = base.rstrip("/") or rest
    talk_rest = rest if config.talk_mapping == "report" else base
    return Grant(
        report_title=report_title,
        talk_title=f"{names.talk_ns}:{talk_rest}",
        grant_title=f"{names.report_ns}:{base}",
    )


def report_for_page(title: str, config: GrantsConfig, names: GrantNames) -> str | None:
    """The report a changed page belongs to (the report itself or its talk page)."""
    ns, rest = _split(title)
    if ns == names.report_ns:
        return title if is_report(title, config, names) else None
    if ns != names.talk_ns:
        return None
    candidate = f"{names.report_ns}:{rest}"
    if is_report(candidate, config, names):
        return candidate
    return None


def grants_from_titles(
    titles: Iterable[str], config: GrantsConfig, names: GrantNames
) -> dict[str, Grant]:
    """Every grant whose report is among ``titles`` (plus the configured explicit list)."""
    found: dict[str, Grant] = {}
    for title in list(titles) + list(config.titles):
        if is_report(title, config, names) or title in config.titles:
            found.setdefault(title, grant_for_report(title, config, names))
    return dict(sorted(found.items()))
