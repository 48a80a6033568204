"""pytest fixtures for the local MediaWiki (see localwiki).

pywikibot reads its configuration once, when first imported, from
``$PYWIKIBOT_DIR``.  ``pytest_configure`` (which runs before any test module
is collected, so before any ``import pywikibot``) points it at a private
config directory for this test process: test-speed throttles, no family of
its own, an initially empty password file.  Every wiki a test uses (the
session wiki and each fresh one) is then declared at run time by
``LocalWiki.register_pywikibot`` with family-specific password lines.

Fixtures:

``local_wiki``   session-scoped running wiki, seeded with the samples (read-only use!)
``wiki_now``     the ``now`` the session wiki was seeded with
``bot_site``     pywikibot site on ``local_wiki`` logged in as the bot
``human_site``   pywikibot site on ``local_wiki`` logged in as the human account
``fresh_wiki``   function-scoped empty wiki (template copy) for destructive tests
``fresh_bot_site`` / ``fresh_human_site``  logged-in sites on ``fresh_wiki``

If a wiki cannot be built or started the fixture raises: wiki tests fail
loudly, they are never skipped.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from localwiki import LocalWiki
from localwiki.pywiki import LOCAL_SETTINGS, settings_lines

BASE_USER_CONFIG = (
    "# pywikibot config of one grantbot test process (tests/wikifixtures.py).\n"
    "# Wikis are declared at run time: see LocalWiki.register_pywikibot.\n"
    "password_file = 'user-password.py'\n" + settings_lines()
)

_CONFIG_KEY = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    directory = Path(tempfile.mkdtemp(prefix="grantbot-pywikibot-"))
    (directory / "user-config.py").write_text(BASE_USER_CONFIG)
    password = directory / "user-password.py"
    password.touch(mode=0o600)
    os.chmod(password, 0o600)
    os.environ["PYWIKIBOT_DIR"] = str(directory)
    os.environ.pop("PYWIKIBOT_NO_USER_CONFIG", None)
    config.stash[_CONFIG_KEY] = directory
    if "pywikibot" in sys.modules:  # imported too early by some plugin: apply at run time
        import pywikibot.config as pwb_config

        pwb_config.password_file = str(password)
        for name, value in LOCAL_SETTINGS.items():
            setattr(pwb_config, name, value)


def pytest_unconfigure(config: pytest.Config) -> None:
    directory = config.stash.get(_CONFIG_KEY, None)
    if directory is not None:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def wiki_now() -> datetime:
    """The instant the session wiki's sample ages are measured from."""
    return datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture(scope="session")
def local_wiki(tmp_path_factory: pytest.TempPathFactory, wiki_now: datetime) -> Iterator[LocalWiki]:
    from localwiki.seed import seed_wiki

    wiki = LocalWiki.create(tmp_path_factory.mktemp("session") / "wiki")
    try:
        seed_wiki(wiki, wiki_now)
        wiki.start()
        wiki.register_pywikibot()
        yield wiki
    finally:
        wiki.stop()


@pytest.fixture(scope="session")
def bot_site(local_wiki: LocalWiki) -> Any:
    return local_wiki.pywikibot_site("bot")


@pytest.fixture(scope="session")
def human_site(local_wiki: LocalWiki) -> Any:
    return local_wiki.pywikibot_site("human")


@pytest.fixture
def fresh_wiki(tmp_path: Path) -> Iterator[LocalWiki]:
    wiki = LocalWiki.create(tmp_path / "wiki")
    try:
        wiki.start()
        wiki.register_pywikibot()
        yield wiki
    finally:
        wiki.destroy()


@pytest.fixture
def fresh_bot_site(fresh_wiki: LocalWiki) -> Any:
    return fresh_wiki.pywikibot_site("bot")


@pytest.fixture
def fresh_human_site(fresh_wiki: LocalWiki) -> Any:
    return fresh_wiki.pywikibot_site("human")


@pytest.fixture
def seeded(fresh_wiki: LocalWiki) -> LocalWiki:
    """A fresh wiki with the sample grants, aged from now."""
    from localwiki.seed import seed_wiki

    seed_wiki(fresh_wiki, datetime.now(timezone.utc).replace(microsecond=0))
    return fresh_wiki
