from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from jobs.cli import cli

PAGE = ("== Report ==\nWhere is the survey? [[User:Checker (WMF)|Checker]] 14:18, 31 July 2019 (UTC)\n"
        ":Uploaded today. [[User:Doer]] 15:00, 31 July 2019 (UTC)\n")


def run(*args: str, stdin: str | bytes | None = None):
    return CliRunner().invoke(cli, ["threads", *args], input=stdin)


def test_json_shape(tmp_path: Path) -> None:
    path = tmp_path / "talk.wikitext"
    path.write_text(PAGE, encoding="utf-8")
    result = run(str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "headings": [{"level": 2, "title": "Report", "id": "h-Report-2019-07-31T14:18:00.000Z"}],
        "comments": [
            {"author": "Checker (WMF)", "timestamp": "2019-07-31T14:18:00Z", "level": 1, "parent": None, "heading": 0,
             "id": "c-Checker_(WMF)-2019-07-31T14:18:00.000Z-Report"},
            {"author": "Doer", "timestamp": "2019-07-31T15:00:00Z", "level": 2, "parent": 0, "heading": 0,
             "id": "c-Doer-2019-07-31T15:00:00.000Z-Checker_(WMF)-2019-07-31T14:18:00.000Z"},
        ],
    }


def test_stdin_and_table() -> None:
    result = run("-", "--json", stdin=PAGE)
    assert result.exit_code == 0 and len(json.loads(result.output)["comments"]) == 2
    table = run("-", stdin=PAGE)
    assert table.exit_code == 0 and "Checker (WMF)" in table.output and "Doer" in table.output


def test_lang_and_tz_options(tmp_path: Path) -> None:
    path = tmp_path / "fr.wikitext"
    path.write_text("== Q ==\nOui. [[Utilisateur:Personne]] 3 mars 2021 à 10:00 (CET)\n", encoding="utf-8")
    result = run(str(path), "--json", "--lang", "fr", "--tz", "Europe/Paris")
    assert json.loads(result.output)["comments"][0]["timestamp"] == "2021-03-03T09:00:00Z"


def test_lang_alone_knows_the_wikis_user_namespace(tmp_path: Path) -> None:
    """Polish Wikipedia renames User: to Wikipedysta:; --lang pl must know it without more options."""
    path = tmp_path / "pl.wikitext"
    path.write_text("== Pytanie ==\nJak to działa? [[Wikipedysta:Ktoś|Ktoś]] ([[Dyskusja wikipedysty:Ktoś|dyskusja]])"
                    " 12:05, 3 mar 2021 (CET)\n", encoding="utf-8")
    result = run(str(path), "--json", "--lang", "pl", "--tz", "Europe/Warsaw")
    comments = json.loads(result.output)["comments"]
    assert [(c["author"], c["timestamp"]) for c in comments] == [("Ktoś", "2021-03-03T11:05:00Z")]


def test_missing_file(tmp_path: Path) -> None:
    result = run(str(tmp_path / "absent.wikitext"))
    assert result.exit_code == 2
    assert "no such file" in result.output and "Traceback" not in result.output


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.wikitext"
    path.write_bytes("caf\xe9 == x ==".encode("latin-1"))
    result = run(str(path))
    assert result.exit_code == 2 and "not UTF-8" in result.output


def test_bad_lang_and_tz(tmp_path: Path) -> None:
    path = tmp_path / "t.wikitext"
    path.write_text(PAGE, encoding="utf-8")
    bad_lang = run(str(path), "--lang", "qq-none")
    assert bad_lang.exit_code == 2 and "--lang" in bad_lang.output
    bad_tz = run(str(path), "--tz", "Moon/Base")
    assert bad_tz.exit_code == 2 and "--tz" in bad_tz.output
