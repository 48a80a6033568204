"""Counting the HTTP requests the bot sends, for run records and benchmarks.

pywikibot sends everything through one ``requests`` session; a response
hook on it sees every request, including pywikibot's own (login, tokens,
siteinfo), which is what an operator is charged for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RequestCounter:
    """Mutable on purpose: one per run, owned by that run."""

    total: int = 0
    by_action: dict[str, int] = field(default_factory=dict)

    def __call__(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        self.total += 1
        action = _action_of(response)
        self.by_action[action] = self.by_action.get(action, 0) + 1
        return response

    @property
    def writes(self) -> int:
        return self.by_action.get("edit", 0)

    @property
    def reads(self) -> int:
        return self.total - self.writes - self.by_action.get("login", 0)


def _action_of(response: Any) -> str:
    request = getattr(response, "request", None)
    body = getattr(request, "body", None) or ""
    url = getattr(request, "url", "") or ""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    for part in (body + "&" + url.partition("?")[2]).split("&"):
        if part.startswith("action="):
            return part[len("action="):]
    return "other"


@contextmanager
def count_requests() -> Iterator[RequestCounter]:
    """Count every HTTP request pywikibot sends while the block runs."""
    from pywikibot.comms import http

    counter = RequestCounter()
    hooks = http.session.hooks.setdefault("response", [])
    hooks.append(counter)
    try:
        yield counter
    finally:
        hooks.remove(counter)
