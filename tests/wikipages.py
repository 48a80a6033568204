"""Reading the local wiki from tests as a person would (plain HTTP, no pywikibot),
and the grantbot configuration most end-to-end tests run with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from localwiki import LocalWiki


def local_config(wiki: LocalWiki, directory: Path, extra: str = "") -> Path:
    """A grantbot TOML for ``wiki`` (sample committee members as reviewers), state in ``directory``."""
    path = directory / "grantbot.toml"
    path.write_text(
        f'[wiki]\nlocal_dir = "{wiki.directory}"\n'
        '[roles]\nreviewers = ["Ingrid Solberg", "Ravi Menon"]\n'
        f'[state]\nurl = "sqlite:///{directory / "state.sqlite"}"\n{extra}',
        encoding="utf-8",
    )
    return path


def revisions(wiki: LocalWiki, title: str) -> list[dict[str, Any]]:
    """Every revision of ``title``, newest first (ids, user, timestamp)."""
    data = wiki.api_session("human").call(
        action="query", prop="revisions", titles=title, rvprop="ids|user|timestamp",
        rvlimit="max",
    )
    return list(data["query"]["pages"][0].get("revisions", []))


def text_of(wiki: LocalWiki, title: str) -> str:
    """The current text of ``title`` ("" when the page does not exist)."""
    data = wiki.api_session("human").call(
        action="query", prop="revisions", titles=title, rvprop="content", rvslots="main"
    )
    revs = data["query"]["pages"][0].get("revisions", [])
    return revs[0]["slots"]["main"]["content"] if revs else ""


def talk_pages(wiki: LocalWiki) -> list[str]:
    data = wiki.api_session("human").call(
        action="query", list="allpages", apnamespace="201", aplimit="max"
    )
    return [p["title"] for p in data["query"]["allpages"]]
