"""Every golden case in tests/cases gives exactly its expected ``questions --json`` output.

A changed golden output means the rules changed, so stored analyses must be
recomputed: the last line of tests/cases/VERSIONS must pair the current
``ANALYSIS_VERSION`` with the digest of all expected outputs, and a digest
is never recorded twice under one version.
"""

from __future__ import annotations

import pytest

from goldencases import actual_output, case_names, expected_output, golden_digest, recorded_versions
from parsers.analysis import ANALYSIS_VERSION


@pytest.mark.parametrize("name", case_names())
def test_case(name: str) -> None:
    expected = expected_output(name)
    actual = actual_output(name)
    assert [(i["text"], i["status"]) for i in actual["items"]] == \
        [(i["text"], i["status"]) for i in expected["items"]], name
    assert actual == expected, name


def test_there_are_cases_in_each_language() -> None:
    from goldencases import case_args

    langs = {case_args(n).get("lang", "en") for n in case_names()}
    assert {"en", "es", "pt", "fr"} <= langs


def test_a_golden_change_comes_with_a_new_analysis_version() -> None:
    rows = recorded_versions()
    versions = [v for v, _ in rows]
    assert len(versions) == len(set(versions)), "each ANALYSIS_VERSION is recorded once in tests/cases/VERSIONS"
    digest = golden_digest()
    assert rows[-1] == (ANALYSIS_VERSION, digest), (
        "golden outputs or ANALYSIS_VERSION changed: bump ANALYSIS_VERSION in parsers/analysis.py "
        f"and append '{ANALYSIS_VERSION if rows[-1][1] == digest else 'NEW_VERSION'} {digest}' "
        "to tests/cases/VERSIONS, so stored analyses are recomputed")
