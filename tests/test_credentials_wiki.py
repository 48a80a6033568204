"""Credentials from the environment: a wrong one fails fast, and no secret is ever shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.errors import GrantbotError
from localwiki import LocalWiki
from jobs.config import load_config
from jobs.context import connect_site

pytestmark = pytest.mark.wiki

WRONG = "grantbot:0123456789abcdefghijklmnopqrstuv"


def test_wrong_bot_password_from_env_fails_with_one_clear_line(
    fresh_wiki: LocalWiki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pywikibot.config as pwb_config

    # connect_site points pywikibot at a private password file: undo it afterwards.
    monkeypatch.setattr(pwb_config, "password_file", pwb_config.password_file)
    monkeypatch.setenv("GRANTBOT_TEST_SECRET", WRONG)
    path = tmp_path / "g.toml"
    path.write_text(
        f'[wiki]\nfamily = "{fresh_wiki.family}"\ncode = "{fresh_wiki.family}"\n'
        'user = "GrantBot"\npassword_env = "GRANTBOT_TEST_SECRET"\n'
        f'[state]\nurl = "sqlite:///{tmp_path / "s.sqlite"}"\n'
    )
    with pytest.raises(GrantbotError) as err:
        connect_site(load_config(path), simulate=False)
    message = str(err.value)
    print(message)
    assert "\n" not in message
    assert "log in" in message.lower() or "login" in message.lower()
    assert WRONG.split(":")[1] not in message


def test_missing_env_variable_names_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRANTBOT_NOT_SET", raising=False)
    path = tmp_path / "g.toml"
    path.write_text('[wiki]\nfamily = "meta"\ncode = "meta"\nuser = "X"\npassword_env = "GRANTBOT_NOT_SET"\n')
    with pytest.raises(GrantbotError) as err:
        connect_site(load_config(path), simulate=False)
    assert "wiki.password_env" in str(err.value) and "GRANTBOT_NOT_SET" in str(err.value)
