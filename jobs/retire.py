"""Pages the bot no longer maintains say so, instead of showing stale data.

After a configuration change (narrower prefixes, another status page) or a
grant's report being deleted or moved, the detail pages and status pages
the bot published before would stay up with the last data they were given.
So a sweep remembers why each grant dropped out of its list
(:func:`dropped`), and the output stage gives every page it published
before but no longer renders a short notice in place of the bot's block
(:func:`stale_outputs`).  The status table simply loses the grant's row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jobs.config import GrantsConfig
from jobs.grants import Grant, GrantNames, grant_for_report, is_report
from jobs.refresh import FAILED
from publishing import escape
from publishing.pages import OutputPage, PageKind
from publishing.rows import GrantRow
from publishing.statuspage import StatusPageSpec

RETIRED = "retired."  # + report title: {"grant": its grant page, "why": why it is no longer followed}


def why_dropped(key: str, config: GrantsConfig, names: GrantNames, moves: Mapping[str, str]) -> str:
    if key in moves:
        return f"its report was moved to {escape.link(moves[key])}"
    if key not in config.titles and not is_report(key, config, names):
        return "the bot's configuration no longer includes it"
    return "its report page no longer exists (deleted or moved)"


def dropped(settings: Mapping[str, Any], before: Iterable[str], grants: Mapping[str, Grant],
            config: GrantsConfig, names: GrantNames, moves: Mapping[str, str]) -> dict[str, Any]:
    """Settings for the grants that left the list (why) and those that came back (forgotten)."""
    out: dict[str, Any] = {}
    for key in before:
        if key not in grants:
            out[RETIRED + key] = {"grant": grant_for_report(key, config, names).grant_title,
                                  "why": why_dropped(key, config, names, moves)}
    out.update({RETIRED + k: None for k in grants if settings.get(RETIRED + k)})
    return out


def stale_outputs(spec: StatusPageSpec, settings: Mapping[str, Any], published: Iterable[str],
                  current: set[str], rows: Iterable[GrantRow]) -> list[OutputPage]:
    """A notice for every page published before that this render no longer produces."""
    reasons = {spec.detail_title(v["grant"]): f"it no longer follows {escape.link(v['grant'])}: {v['why']}"
               for k, v in settings.items() if k.startswith(RETIRED) and v}
    reasons.update({spec.detail_title(r.grant_title): f"{escape.link(r.grant_title)} could not be processed: "
                    f"{escape.text(settings[FAILED + r.report_title], 200)}"
                    for r in rows if r.report_title and settings.get(FAILED + r.report_title)})
    out = []
    for title in published:
        if title in current:
            continue
        if title.endswith(".json"):
            out.append(OutputPage(title, PageKind.JSON, data={"maintained": False, "index": spec.json_page}))
            continue
        why = reasons.get(title, "it is no longer part of the status output")
        out.append(OutputPage(title, PageKind.BLOCK, (
            f"GrantBot no longer maintains this page: {why}. What it showed is not kept up "
            f"to date any more; the current status is on [[:{spec.title}]].")))
    return out
