"""The TOML configuration: defaults, path resolution and one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bots.errors import ConfigError
from jobs.config import Config, load_config

REPO = Path(__file__).resolve().parent.parent

REMOTE = '[wiki]\nfamily = "meta"\ncode = "meta"\n'


def write(tmp_path: Path, text: str, name: str = "grantbot.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str) -> Config:
    return load_config(write(tmp_path, text))


def error_of(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path)), message
    return message


def test_example_file_loads_and_matches_defaults(tmp_path: Path) -> None:
    example = load_config(REPO / "grantbot.example.toml")
    minimal = load_config(write(tmp_path, REMOTE))
    # The example documents the defaults: loading it gives the same settings.
    for section in ("grants", "roles", "reminders", "status", "safety", "requests", "schedule"):
        assert getattr(example, section) == getattr(minimal, section), section
    assert example.wiki.family == "meta" and example.wiki.code == "meta"


def test_defaults(tmp_path: Path) -> None:
    c = load(tmp_path, REMOTE)
    assert c.grants.namespace == 200 and c.grants.talk_namespace == 201
    assert c.roles.reviewer_patterns == (r"\(WMF\)$",)
    r = c.reminders
    assert (r.min_age_days, r.interval_days, r.max_per_item) == (14, 14, 2)
    assert r.reviewer_silence_days == 30
    assert c.status.page == "User:{bot}/Grant status" and c.status.detail == "subpages"
    assert c.safety.shutoff_check_every == 50
    assert c.requests.allowed_groups == ("sysop",)
    assert c.schedule.sweep == "0 */6 * * *" and c.schedule.requests == "* * * * *"
    assert c.schedule.misfire_grace_seconds == 3600 and c.schedule.timezone == "UTC"
    assert c.state.url == f"sqlite:///{tmp_path.resolve()}/var/grantbot.sqlite"
    # {bot} stays until the account is known
    assert c.safety.shutoff_page == "User:{bot}/Shutoff"
    assert c.with_bot("Bot1").requests.page == "User:Bot1/Run"


def test_default_report_pattern_matches_meta_style_titles(tmp_path: Path) -> None:
    pattern = re.compile(load(tmp_path, REMOTE).grants.report_pattern)
    assert pattern.search("Conference/XYZ/Some Meetup 2031/Report")
    assert pattern.search("Project/Rapid/Someone/Thing/Final Report")
    assert not pattern.search("Conference/XYZ/Some Meetup 2031")
    assert not pattern.search("Conference/XYZ/Some Meetup 2031/Report/Budget")


def test_bot_placeholder_filled_when_user_given(tmp_path: Path) -> None:
    c = load(tmp_path, REMOTE + 'user = "Helper bot"\n')
    assert c.safety.shutoff_page == "User:Helper bot/Shutoff"
    assert c.requests.page == "User:Helper bot/Run"


def test_local_dir_relative_to_config_file(tmp_path: Path) -> None:
    c = load(tmp_path, '[wiki]\nlocal_dir = "wiki/here"\n')
    assert c.wiki.is_local
    assert c.wiki.local_dir == (tmp_path / "wiki" / "here").resolve()


def test_local_dir_absolute(tmp_path: Path) -> None:
    c = load(tmp_path, f'[wiki]\nlocal_dir = "{tmp_path}/lw"\n')
    assert c.wiki.local_dir == tmp_path / "lw"


def test_relative_sqlite_url_resolved_against_config_dir(tmp_path: Path) -> None:
    c = load(tmp_path, REMOTE + '[state]\nurl = "sqlite:///db/state.sqlite"\n')
    assert c.state.url == f"sqlite:///{tmp_path.resolve()}/db/state.sqlite"


def test_postgres_url_kept(tmp_path: Path) -> None:
    url = "postgresql+psycopg://bot@localhost:5433/grantbot"
    assert load(tmp_path, REMOTE + f'[state]\nurl = "{url}"\n').state.url == url


def test_state_password_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    c = load(
        tmp_path,
        REMOTE + '[state]\nurl = "postgresql+psycopg://bot@db/g"\npassword_env = "GB_TEST_PW"\n',
    )
    monkeypatch.setenv("GB_TEST_PW", "s3cret")
    assert c.state.resolved_url() == "postgresql+psycopg://bot:s3cret@db/g"
    assert "s3cret" not in repr(c)
    monkeypatch.delenv("GB_TEST_PW")
    with pytest.raises(ConfigError, match="GB_TEST_PW"):
        c.state.resolved_url()


def test_overrides(tmp_path: Path) -> None:
    c = load(
        tmp_path,
        REMOTE
        + """
[grants]
prefixes = ["Conference/", "Project/Rapid/"]
talk_mapping = "grant"
[roles]
reviewers = ["Alice"]
[roles.grantees]
"Grants:Conference/A/B/Report" = ["Carol", "Dan"]
[reminders]
enabled = false
[reminders.templates.es]
heading = "Preguntas abiertas"
[reminders.templates]
fr = { intro = "Bonjour {pings}, {count}" }
[status]
json_page = ""
detail = "sections"
[schedule]
sweep = "30 2 * * 1"
timezone = "Europe/Madrid"
""",
    )
    assert c.safety.allowed_prefixes == (
        "User:{bot}/Grant status",
        "Grants talk:Conference/",
        "Grants talk:Project/Rapid/",
        "User:{bot}/Run",  # the run-request page, tidied after serving requests
    )
    assert c.grants.talk_mapping == "grant"
    assert c.roles.grantees["Grants:Conference/A/B/Report"] == ("Carol", "Dan")
    assert c.reminders.enabled is False
    assert c.reminders.templates["es"].heading == "Preguntas abiertas"
    assert c.reminders.templates["es"].intro is None
    assert c.reminders.templates["fr"].intro == "Bonjour {pings}, {count}"
    assert c.status.json_page is None and c.status.detail == "sections"
    assert c.schedule.timezone == "Europe/Madrid"


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        (REMOTE + "[grants]\nnamespce = 200\n", "grants.namespce", "unknown key"),
        (REMOTE + "[reminder]\nenabled = true\n", "reminder", "unknown key"),
        (REMOTE + "[grants]\nnamespace = \"200\"\n", "grants.namespace", "integer"),
        (REMOTE + "[grants]\nprefixes = \"Conference/\"\n", "grants.prefixes", "list of strings"),
        (REMOTE + "[grants]\nreport_pattern = \"(Report\"\n", "grants.report_pattern", "regular expression"),
        (REMOTE + "[roles]\nreviewer_patterns = [\"ok\", \"[\"]\n", "roles.reviewer_patterns[1]", "regular expression"),
        (REMOTE + "[roles.grantees]\nX = \"Carol\"\n", "roles.grantees.X", "list of strings"),
        (REMOTE + "[reminders]\nenabled = \"yes\"\n", "reminders.enabled", "true or false"),
        (REMOTE + "[reminders]\nmax_per_item = -1\n", "reminders.max_per_item", ">= 0"),
        (REMOTE + "[reminders.templates.de]\nbody = \"x\"\n", "reminders.templates.de", "language"),
        (REMOTE + "[reminders.templates.en]\nintro = \"Hi {pings\"\n", "reminders.templates.en.intro", "placeholders"),
        (REMOTE + "[reminders.templates.en]\nbodyy = \"x\"\n", "reminders.templates.en.bodyy", "unknown key"),
        (REMOTE + "[status]\ndetail = \"pages\"\n", "status.detail", "'subpages', 'sections'"),
        (REMOTE + "[schedule]\nsweep = \"every hour\"\n", "schedule.sweep", "cron"),
        (REMOTE + "[schedule]\nrequests = \"61 * * * *\"\n", "schedule.requests", "cron"),
        (REMOTE + "[schedule]\ntimezone = \"Mars/Olympus\"\n", "schedule.timezone", "time zone"),
        (REMOTE + "[state]\nurl = \"not a url\"\n", "state.url", "SQLAlchemy"),
        (REMOTE + "[state]\nurl = \"postgresql://u:pw@h/d\"\n", "state.url", "password_env"),
        (REMOTE + "password = \"hunter2\"\n", "wiki.password", "no secret"),
        ('[wiki]\nfamily = "meta"\n', "wiki.code", "family and code"),
        ('[wiki]\nlocal_dir = "x"\nfamily = "meta"\ncode = "meta"\n', "wiki.local_dir", "not both"),
        ("[grants]\nnamespace = 200\n", "wiki", "[wiki]"),
        ("wiki = 3\n", "wiki", "a table"),
    ],
)
def test_invalid_config_names_file_key_and_expectation(
    tmp_path: Path, text: str, key: str, expected: str
) -> None:
    message = error_of(tmp_path, text)
    assert f": {key}: " in message, message
    assert expected in message, message
    assert "hunter2" not in message and ":pw@" not in message


def test_invalid_toml(tmp_path: Path) -> None:
    assert "not valid TOML" in error_of(tmp_path, "[wiki\n")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_reminder_template_parts_reach_the_policy(tmp_path) -> None:
    from jobs.config import load_config
    from jobs.context import RunContext

    path = tmp_path / "g.toml"
    path.write_text(
        '[wiki]\nfamily = "meta"\ncode = "meta"\n'
        '[reminders.templates.es]\nheading = "Preguntas abiertas ({date})"\n'
        'item = "* {link}: {excerpt}"\n'
    )
    config = load_config(path)
    ctx = RunContext.__new__(RunContext)
    ctx.config = config
    ctx.wording = None
    messages = ctx.reminder_policy.messages
    assert messages.template("reminder-heading", "es") == "Preguntas abiertas ({date})"
    assert messages.template("reminder-item", "es") == "* {link}: {excerpt}"
    assert "{pings}" in messages.template("reminder-intro", "es")  # untouched parts keep the Spanish default


def test_reminder_template_with_unknown_placeholder_names_the_key(tmp_path) -> None:
    import pytest

    from bots.errors import ConfigError
    from jobs.config import load_config

    path = tmp_path / "g.toml"
    path.write_text('[wiki]\nfamily = "meta"\ncode = "meta"\n[reminders.templates.en]\nintro = "Hi {users}"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "reminders.templates.en.intro" in str(err.value)
    assert "{pings}" in str(err.value)
