"""The local-wiki harness itself: lifecycle, reuse, template copies, secrets, seeds."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bots.errors import LocalWikiError
from localwiki import LocalWiki, server
from localwiki.install import SECRET_ALPHABET, new_secret
from localwiki.seed import SAMPLES, sample_histories
from localwiki.seed.model import PageSpec, Step, build_history, export_xml, signature_time
from localwiki.seed.synthetic import synthetic_specs

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def _php_servers_on(port: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"php" in cmd and f"127.0.0.1:{port}".encode() in cmd:
                found.append(int(entry.name))
    return found


# ---------------------------------------------------------------- pure parts


def test_secrets_match_the_botpassword_charset() -> None:
    for _ in range(50):
        secret = new_secret()
        assert re.fullmatch(r"[0-9a-w]{32,}", secret)
    assert not set("xyz") & set(SECRET_ALPHABET)


def test_history_signatures_match_revision_times() -> None:
    spec = PageSpec(
        "Grants talk:X/Y/Report",
        (Step("Mara (WMF)", 40), Step("Tom", 20)),
        ((0, "== Q ==\n* Why? ~SIG~\n"), (1, "*: Because. ~UNSIGNED~\n")),
    )
    history = build_history(spec, NOW)
    first, second = history.revisions
    assert first.timestamp.date() == (NOW - timedelta(days=40)).date()
    assert signature_time(first.timestamp) in first.text
    assert "Because" not in first.text
    assert f"{{{{unsigned|Tom|{signature_time(second.timestamp)}}}}}" in second.text
    assert history.namespace == 201


def test_steps_out_of_order_are_refused() -> None:
    spec = PageSpec("Grants talk:A", (Step("A", 1), Step("B", 2)), ((0, "x"),))
    with pytest.raises(ValueError):
        build_history(spec, NOW)


def test_samples_cover_the_required_shapes() -> None:
    histories = sample_histories(NOW)
    reports = [h for h in histories if h.title.startswith("Grants:") and h.title.endswith("/Report")]
    assert len(reports) >= 12
    assert {r.title.split("/")[0] for r in reports} == {"Grants:Conference", "Grants:Project", "Grants:APG"}
    talk = "\n".join(h.revisions[-1].text for h in histories if h.title.startswith("Grants talk:"))
    for needle in ("*:", "{{nobots}}", "{{bots|optout=grantbot-reminders}}", "{{unsigned|",
                   "¿", "Quisiéramos saber", "next week", "(WMF)", ":#", "'''Budget:'''"):
        assert needle in talk, needle
    report_text = "\n".join(r.revisions[-1].text for r in reports)
    assert "status=" in report_text and "<!--" in report_text and "(to be completed)" in report_text
    assert all(len(h.revisions) >= 2 for h in histories if h.title.startswith("Grants talk:")
               and "Coastal" not in h.title)


def test_export_escapes_and_counts_bytes() -> None:
    histories = [build_history(spec, NOW) for spec in SAMPLES[:4]]
    xml = export_xml(histories)
    assert xml.count("<revision>") == sum(len(h.revisions) for h in histories)
    assert "&lt;" in xml or "<!--" not in xml


def test_synthetic_is_deterministic_and_bounded() -> None:
    assert synthetic_specs(30) == synthetic_specs(30)
    assert len(synthetic_specs(30)) == 60
    with pytest.raises(ValueError):
        synthetic_specs(10_001)
    for spec in synthetic_specs(40):
        build_history(spec, NOW)  # steps in order for every shape


# ---------------------------------------------------------------- real wikis


@pytest.mark.wiki
def test_secret_files_are_private(fresh_wiki: LocalWiki) -> None:
    for path in (fresh_wiki.directory / "secrets.json", fresh_wiki.password_file,
                 fresh_wiki.directory / "instance.php"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    secrets = json.loads((fresh_wiki.directory / "secrets.json").read_text())
    assert secrets["bot_secret"] not in (fresh_wiki.directory / "wiki.json").read_text()
    assert secrets["bot_secret"] not in repr(fresh_wiki._creds())


@pytest.mark.wiki
def test_template_copies_get_their_own_secrets(tmp_path: Path) -> None:
    one = LocalWiki.create(tmp_path / "one")
    two = LocalWiki.create(tmp_path / "two")
    assert one._creds().bot_secret != two._creds().bot_secret
    assert one.port != two.port and one.family != two.family


@pytest.mark.wiki
def test_fresh_wiki_answers_and_bot_logs_in(fresh_wiki: LocalWiki) -> None:
    site = fresh_wiki.pywikibot_site("bot")
    assert site.user() == fresh_wiki.bot_user
    assert site.has_right("bot") and site.has_right("apihighlimits")
    assert site.namespaces[200].custom_name == "Grants"
    assert site.namespaces[201].subpages


@pytest.mark.wiki
def test_start_stop_reuse_and_no_php_left(tmp_path: Path) -> None:
    wiki = LocalWiki.create(tmp_path / "w")
    wiki.start()
    port = wiki.port
    assert wiki.status().running and len(_php_servers_on(port)) >= 2  # master + workers
    wiki.edit_as_human("Grants talk:Keep/Me", "still here", "test")
    wiki.stop()
    assert not wiki.status().running and _php_servers_on(port) == []
    again = LocalWiki.ensure(tmp_path / "w").start()  # reuse: same data, restarted server
    try:
        reply = again.api_session("bot").call(action="query", titles="Grants talk:Keep/Me",
                                              prop="revisions", rvprop="content", rvslots="main")
        assert reply["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"] == "still here"
    finally:
        again.stop()
    assert _php_servers_on(again.port) == []


@pytest.mark.wiki
def test_busy_fixed_port_is_a_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(LocalWikiError, match="port busy"):
            LocalWiki.create(tmp_path / "w", port=port)


@pytest.mark.wiki
def test_auto_port_moves_when_taken(tmp_path: Path) -> None:
    import socket

    wiki = LocalWiki.create(tmp_path / "w")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", wiki.port))
        sock.listen()
        old = wiki.port
        wiki.start()
        try:
            assert wiki.port != old and wiki.status().running
            assert f":{wiki.port}/" in (wiki.pywikibot_dir / "user-config.py").read_text()
        finally:
            wiki.stop()


@pytest.mark.wiki
def test_cli_up_status_down(tmp_path: Path) -> None:
    directory = tmp_path / "cliwiki"
    grantbot = [sys.executable, "-m", "jobs.cli", "wiki"]
    up = subprocess.run([*grantbot, "up", "--dir", str(directory)], capture_output=True, text=True)
    assert up.returncode == 0, up.stderr
    wiki = LocalWiki.open(directory)
    try:
        status = subprocess.run([*grantbot, "status", "--dir", str(directory)],
                                capture_output=True, text=True)
        assert status.returncode == 0 and "running" in status.stdout
        secret = wiki._creds().bot_secret
        assert secret not in up.stdout + up.stderr + status.stdout + status.stderr
    finally:
        down = subprocess.run([*grantbot, "down", "--dir", str(directory)],
                              capture_output=True, text=True)
    assert down.returncode == 0, down.stderr
    assert _php_servers_on(wiki.port) == []
    assert not server.group_members(wiki._recorded_pid() or -1)


@pytest.mark.wiki
def test_synthetic_seed_imports_every_page_aged(fresh_wiki: LocalWiki) -> None:
    from localwiki.seed import seed_wiki

    assert seed_wiki(fresh_wiki, NOW, samples=False, synthetic=6) == 12
    reply = fresh_wiki.api_session("bot").call(
        action="query", list="allpages", apnamespace="201", aplimit="max")
    titles = [p["title"] for p in reply["query"]["allpages"]]
    assert len(titles) == 6 and all("Synthetic Grantee" in t for t in titles)
    history = fresh_wiki.api_session("bot").call(
        action="query", prop="revisions", titles=titles[0], rvprop="user|timestamp", rvlimit="max")
    revisions = history["query"]["pages"][0]["revisions"]
    # Bulk pages keep their whole history (verification reads who added each signature):
    # the reviewer asks first, and every revision is in the past.
    assert 1 <= len(revisions) <= 3
    assert revisions[-1]["user"] in ("Mara (WMF)", "Kwame (WMF)", "Ingrid Solberg")
    assert all(r["timestamp"] < (NOW - timedelta(days=0.4)).strftime("%Y-%m-%dT%H:%M:%SZ")
               for r in revisions)
