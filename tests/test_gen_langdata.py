"""The language-table generator maps Wikimedia wikis to their content language."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "gen_langdata", Path(__file__).resolve().parents[1] / "tools" / "gen_langdata.py")
gen = importlib.util.module_from_spec(_SPEC)
sys.modules["gen_langdata"] = gen
_SPEC.loader.exec_module(gen)

KNOWN = {"pl", "nb", "ckb", "be-tarask", "en", "sgs"}
CODES = {"nowiki": "nb", "be_x_oldwiki": "be-tarask", "metawiki": "en", "testwiki": "en",
         "bat_smgwiki": "sgs"}


def test_language_editions_get_their_language() -> None:
    assert gen.wiki_language("plwiktionary", CODES, KNOWN) == "pl"
    assert gen.wiki_language("+ckbwiki", CODES, KNOWN) == "ckb"
    assert gen.wiki_language("nowiki", CODES, KNOWN) == "nb"  # a renamed code, resolved by wgLanguageCode
    assert gen.wiki_language("be_x_oldwiki", CODES, KNOWN) == "be-tarask"
    assert gen.wiki_language("bat_smgwiki", CODES, KNOWN) == "sgs"


def test_multilingual_and_private_wikis_count_for_no_language() -> None:
    """Their aliases would otherwise leak into every wiki of that language (meta is English-coded)."""
    for db in ("metawiki", "testwiki", "commonswiki", "+wikibooks", "arbcom_plwiki", "default"):
        assert gen.wiki_language(db, CODES, KNOWN) is None, db
