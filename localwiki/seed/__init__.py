"""Seed grants for the local wiki: hand-written samples and synthetic bulk.

The samples (:mod:`.samples_en`, :mod:`.samples_intl`) are written in our own
words and cover every reply style grantbot must understand; their ages are
relative to an injected ``now`` so "asked 40 days ago" stays true whenever
the wiki is built.  Everything goes in with one ``importDump`` so seeding
keeps real authors and past timestamps, exactly like history on Meta-Wiki.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from localwiki.seed.model import (
    PageHistory,
    PageSpec,
    authors,
    build_history,
    export_xml,
)
from localwiki.seed.samples_en import SAMPLES_EN
from localwiki.seed.samples_intl import SAMPLES_INTL
from localwiki.seed.support import GRANTBOT_TEMPLATE, SUPPORT_PAGES, grant_pages
from localwiki.seed.synthetic import synthetic_specs

if TYPE_CHECKING:
    from localwiki.harness import LocalWiki

SAMPLES: tuple[PageSpec, ...] = SAMPLES_EN + SAMPLES_INTL


def sample_histories(now: datetime) -> list[PageHistory]:
    return [build_history(spec, now)
            for spec in (*SUPPORT_PAGES, GRANTBOT_TEMPLATE, *SAMPLES, *grant_pages(SAMPLES))]


def seed_wiki(wiki: LocalWiki, now: datetime, *, samples: bool = True, synthetic: int = 0) -> int:
    """Import the samples and/or ``synthetic`` generated grants; returns pages imported."""
    sample_pages = sample_histories(now) if samples else []
    # Generated pages keep every revision, as on Meta (each comment its own
    # edit): authorship verification reads the history, and a page flattened
    # to its last revision would make every other signature on it look forged.
    bulk_pages = [build_history(spec, now) for spec in synthetic_specs(synthetic)]
    wiki.create_accounts(authors(sample_pages + bulk_pages))
    with tempfile.TemporaryDirectory(prefix="grantbot-seed-") as tmp:
        # Samples get link tables ({{nobots}} must work); the bulk is one fast import.
        for name, pages, bulk in (("samples", sample_pages, False), ("bulk", bulk_pages, True)):
            if pages:
                dump = Path(tmp) / f"{name}.xml"
                dump.write_text(export_xml(pages), encoding="utf-8")
                wiki.import_xml(dump, bulk=bulk)
    return len(sample_pages) + len(bulk_pages)


__all__ = ["SAMPLES", "sample_histories", "seed_wiki"]
