"""The ``questions`` and ``report`` commands: stable JSON, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from jobs.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
CASES = Path(__file__).parent / "cases"
ITEM_FIELDS = {"id", "kind", "text", "asked_by", "asked_at", "section", "status", "answered_by",
               "answered_at", "answer_excerpt", "answer_location", "commitment", "reason"}


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_questions_json_fields() -> None:
    result = run("questions", str(CASES / "en_inline" / "input.wikitext"), "--title", "Grants talk:X", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["page"] == "Grants talk:X"
    assert len(data["items"]) == 3
    for item in data["items"]:
        assert ITEM_FIELDS <= set(item)
    first = data["items"][0]
    assert first["asked_at"] == "2021-03-02T16:40:00Z" and first["answered_at"] == "2021-03-05T09:12:00Z"
    assert first["section"] == ["Questions about the midterm report"]
    assert [i["status"] for i in data["items"]] == ["answered", "answered", "open"]
    assert data["items"][1]["commitment"] is True
    assert data["threads"] == [{"section": ["Questions about the midterm report"],
                                "last_comment_by": "Lina Grantee",
                                "last_comment_at": "2021-03-05T09:15:00Z", "waiting_on": "reviewer"}]


def test_questions_role_options() -> None:
    path = str(CASES / "es_mirror" / "input.wikitext")
    # The committee member is read as the reviewer from the page itself; naming her changes nothing,
    # and naming an unrelated grantee does not hide the team's answers (they greet and answer her).
    data = json.loads(run("questions", path, "--reviewer", "Rosa Comité", "--json").output)
    assert [i["status"] for i in data["items"]] == ["answered", "answered", "open", "answered"]
    inferred = json.loads(run("questions", path, "--json").output)["items"]
    assert [{**i, "asked_by_reason": ""} for i in inferred] == [{**i, "asked_by_reason": ""} for i in data["items"]]
    assert "opens the thread with questions" in inferred[0]["asked_by_reason"]
    data = json.loads(run("questions", path, "--reviewer", "Rosa Comité", "--grantee", "Someone Else",
                          "--json").output)
    assert [i["status"] for i in data["items"]] == ["answered", "answered", "open", "answered"]


def test_questions_stdin_and_table() -> None:
    text = (CASES / "pt_thread" / "input.wikitext").read_bytes()
    result = run("questions", "-", "--json", stdin=text)
    assert result.exit_code == 0 and len(json.loads(result.output)["items"]) == 3  # the golden pt_thread case has three items
    table = run("questions", "-", stdin=text)
    assert table.exit_code == 0 and "3 items, 1 open" in table.output and "grantee" in table.output


def test_empty_page_gives_empty_results() -> None:
    result = run("questions", "-", "--json", stdin=b"")
    assert json.loads(result.output) == {"page": None, "language": "en", "items": [], "threads": []}
    result = run("report", "-", "--json", stdin=b"")
    assert json.loads(result.output)["empty_sections"] == []


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    missing = run("questions", str(tmp_path / "nope.wikitext"), "--json")
    assert missing.exit_code == 2 and "no such file" in missing.output
    bad = tmp_path / "latin1.wikitext"
    bad.write_bytes("caf\xe9".encode("latin-1"))
    for command in ("questions", "report"):
        result = run(command, str(bad), "--json")
        assert result.exit_code == 2 and "not UTF-8" in result.output
    assert run("questions", "-", "--lang", "xx-nope", stdin=b"").exit_code == 2
    assert run("questions", "-", "--tz", "Mars/Base", stdin=b"").exit_code == 2
    assert run("questions", "-", "--reviewer-pattern", "(", stdin=b"").exit_code == 2


def test_report_json() -> None:
    result = run("report", str(FIXTURES / "report" / "conference_report.wikitext"), "--title", "Grants:R", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["page"] == "Grants:R" and data["status"] == "draft"
    assert data["status_fields"][1] == {"name": "status", "value": "under review"}
    assert {"section": ["Other notes"], "anchor": "Other notes", "reason": "empty"} in data["empty_sections"]


def test_an_endless_or_huge_input_is_refused_in_one_line_without_reading_it_all() -> None:
    """``grantbot questions /dev/zero`` once read until memory ran out."""
    exe = Path(sys.executable).with_name("grantbot")
    for command in ("questions", "threads", "report"):
        result = subprocess.run([str(exe), command, "/dev/zero"], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 2, result.stderr[-500:]
        assert result.stderr.strip().count("\n") == 0 and "larger than" in result.stderr
