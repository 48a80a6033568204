"""What ``grantbot serve``'s jobs call with a config path (see :mod:`jobs.service`).

The sweep itself is :mod:`jobs.sweep`, the run-request page
:mod:`jobs.requests`; this module only opens a context for each job,
runs it and logs its summary, so neither of those imports the other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bots.errors import LeaseBusyError
from jobs.config import load_config
from jobs.context import log, open_context
from jobs.requests import serve_requests
from jobs.sweep import sweep


def scheduled_sweep(config_path: str, should_stop: Callable[[], bool] | None = None) -> Any:
    ctx = open_context(load_config(config_path), should_stop=should_stop or (lambda: False),
                       holder="scheduler")
    try:
        summary = sweep(ctx)
    except LeaseBusyError as exc:
        log.info("sweep not started: %s", exc)
        return None
    finally:
        ctx.state.close()
    for line in summary.lines():
        log.info(line)
    return summary.result


def check_requests(config_path: str, should_stop: Callable[[], bool] | None = None) -> Any:
    ctx = open_context(load_config(config_path), should_stop=should_stop or (lambda: False),
                       holder="scheduler-requests")
    try:
        summaries = serve_requests(ctx)
    finally:
        ctx.state.close()
    for summary in summaries:
        for line in summary.lines():
            log.info(line)
    return len(summaries)
