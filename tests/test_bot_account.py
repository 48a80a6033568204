"""Pages named after the bot account, so a deployment under another account
name works, and a configuration made for another account fails early (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.errors import ConfigError
from jobs.config import load_config

REMOTE = '[wiki]\nfamily = "meta"\ncode = "meta"\n'


def _load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "grantbot.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_default_pages_follow_the_account(tmp_path: Path) -> None:
    config = _load(tmp_path, REMOTE).with_bot("Another Bot")
    assert config.status.page == "User:Another Bot/Grant status"
    assert config.status.json_page == "User:Another Bot/Grant status.json"
    assert config.requests.page == "User:Another Bot/Run"
    assert config.safety.shutoff_page == "User:Another Bot/Shutoff"
    # the default allowlist follows too, so the first write is allowed
    assert "User:Another Bot/Grant status" in config.safety.allowed_prefixes


def test_status_page_of_another_account_is_a_configuration_error(tmp_path: Path) -> None:
    text = REMOTE + '[status]\npage = "User:GrantBot/Grant status"\n'
    assert _load(tmp_path, text).with_bot("GrantBot").status.page == "User:GrantBot/Grant status"
    assert _load(tmp_path, text).with_bot("grantBot").status.page  # first letter: same user
    with pytest.raises(ConfigError, match=r"status.page 'User:GrantBot/Grant status' is in the "
                                          r"user space of 'GrantBot', not of the bot account "
                                          r"'Another Bot'"):
        _load(tmp_path, text).with_bot("Another Bot")
    # known from the file already: refused when the file is loaded
    with pytest.raises(ConfigError, match="user space of 'GrantBot'"):
        _load(tmp_path, REMOTE + 'user = "Another Bot"\n[status]\n'
              'json_page = "User:GrantBot/Grant status.json"\n')
