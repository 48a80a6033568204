"""Shared set-up for the benchmarks that need a seeded local wiki.

Each benchmark builds a throwaway wiki (never the demo's ``var/wiki``), so
figures do not depend on what an earlier run left behind, and deletes it
afterwards even when the measurement fails.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from localwiki import LocalWiki  # noqa: E402
from localwiki.seed import seed_wiki  # noqa: E402

LATE_NOTE = ("\n== A late note ==\nThe venue invoice is now on Commons, as promised. "
             "[[User:Alice|Alice]] 10:00, 1 November 2026 (UTC)\n")


@contextmanager
def seeded_wiki(grants: int) -> Iterator[tuple[LocalWiki, Path, float]]:
    """A started wiki with ``grants`` synthetic grants plus the 13 samples.

    Yields the wiki, a scratch directory for configs and state, and the
    seconds seeding took (reported, so slow imports are not mistaken for
    slow sweeps).
    """
    tmp = Path(tempfile.mkdtemp(prefix="grantbot-bench-"))
    wiki = LocalWiki.create(tmp / "wiki")
    try:
        started = time.perf_counter()
        seed_wiki(wiki, datetime.now(timezone.utc).replace(microsecond=0), synthetic=grants)
        wiki.start()
        yield wiki, tmp, time.perf_counter() - started
    finally:
        wiki.destroy()
        shutil.rmtree(tmp, ignore_errors=True)


def write_config(wiki: LocalWiki, directory: Path, *, reminders: bool, name: str = "grantbot",
                 detail: str = "subpages", status: str = "", safety: str = "") -> Path:
    """A grantbot TOML for ``wiki`` with a state database of its own (no edit
    cap: a benchmark measures the whole job); ``status`` and ``safety``: more
    lines for those tables (e.g. page names, so two configurations can share a wiki)."""
    config = directory / f"{name}.toml"
    config.write_text(
        f'[wiki]\nlocal_dir = "{wiki.directory}"\n'
        f'[reminders]\nenabled = {"true" if reminders else "false"}\n'
        f'[status]\ndetail = "{detail}"\n{status}'
        f'[safety]\nmax_edits_per_run = 0\n{safety}'
        f'[state]\nurl = "sqlite:///{directory / (name + ".sqlite")}"\n',
        encoding="utf-8",
    )
    return config


def first_talk_page(wiki: LocalWiki) -> str:
    data = wiki.api_session("human").call(
        action="query", list="allpages", apnamespace="201", aplimit="1"
    )
    return str(data["query"]["allpages"][0]["title"])


def append_as_human(wiki: LocalWiki, title: str, text: str = LATE_NOTE) -> int:
    """A person adds a section (the page is kept, as on a real talk page)."""
    session = wiki.api_session("human")
    data: dict[str, Any] = session.call(
        action="query", prop="revisions", titles=title, rvprop="content", rvslots="main"
    )
    revs = data["query"]["pages"][0].get("revisions", [])
    current = revs[0]["slots"]["main"]["content"] if revs else ""
    return session.edit(title, current.rstrip("\n") + "\n" + text, "bench: a person replies")


_PARAM = re.compile(rb"(?:^|&)(action|list|generator|prop|meta)=([^&]*)")


def request_kind(response: Any) -> str:
    """What one API request asked for: the action and its modules, e.g.
    ``query:prop=revisions+contributors``, ``query:meta=siteinfo``, ``edit``
    (``meta=userinfo``, which pywikibot adds to every query, is left out).
    Only those parameters are decoded: an edit's body holds a whole page, and
    copying it would add its size to the phase's peak memory."""
    from urllib.parse import unquote_plus

    request = response.request
    body = request.body or b""
    body = body.encode("utf-8") if isinstance(body, str) else body
    query = request.url.partition("?")[2].encode("utf-8")
    params: dict[str, str] = {}
    for text in (query, body):
        for key, value in _PARAM.findall(text):
            params.setdefault(key.decode(), unquote_plus(value.decode("utf-8", "replace")))
    action = params.get("action", "other")
    if action != "query":
        return action
    parts = []
    for key in ("list", "generator", "prop", "meta"):
        value = "+".join(v for v in params.get(key, "").split("|") if v and v != "userinfo")
        if value:
            parts.append(f"{key}={value}")
    return "query:" + (",".join(parts) or "meta=userinfo")


@contextmanager
def count_kinds() -> Iterator[dict[str, list[float]]]:
    """Requests by :func:`request_kind`: count and the server's seconds for each kind
    (``response.elapsed``: time to the answer's headers, i.e. the wiki's own work)."""
    from pywikibot.comms import http

    kinds: dict[str, list[float]] = {}

    def hook(response: Any, *args: Any, **kwargs: Any) -> Any:
        entry = kinds.setdefault(request_kind(response), [0, 0.0])
        entry[0] += 1
        entry[1] += response.elapsed.total_seconds()
        return response

    hooks = http.session.hooks.setdefault("response", [])
    hooks.append(hook)
    try:
        yield kinds
    finally:
        hooks.remove(hook)


def timed_sweep(config: Path) -> tuple[Any, Any, float]:
    """One grantbot sweep from a config file: (summary, request counter, seconds).

    The clock and the counter start before ``open_context``, so login and
    pywikibot's own start-up requests are charged to the sweep.
    """
    from bots.metrics import count_requests
    from jobs.config import load_config
    from jobs.context import open_context
    from jobs.sweep import sweep

    with count_requests() as counter:
        started = time.perf_counter()
        ctx = open_context(load_config(config))
        summary = sweep(ctx)
        seconds = time.perf_counter() - started
        ctx.state.close()
    return summary, counter, seconds
