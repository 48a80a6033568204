"""What verifying authorship costs: sweeps with ``[safety] verify_authorship`` on and off.

Seeds N synthetic grants (plus the samples) in a throwaway local wiki, then,
for each setting with its own state database and status page, runs a first
sweep, a nothing-changed sweep and a sweep after a person edited one talk
page, printing HTTP requests (history reads apart), edits and seconds.
Reminders are off so both settings see the same wiki; a reminder costs one
more request with verification (who wrote the report, which accounts are
bots), plus one history read if its page holds a marker the state has no
record of.

    .venv/bin/python bench/verify_cost.py --grants 100 1000
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _wiki import append_as_human, first_talk_page, seeded_wiki, timed_sweep  # noqa: E402

MODES = (("off", False), ("on", True))


def write_config(wiki, directory: Path, name: str, verify: bool) -> Path:  # type: ignore[no-untyped-def]
    config = directory / f"verify-{name}.toml"
    config.write_text(
        f'[wiki]\nlocal_dir = "{wiki.directory}"\n'
        "[reminders]\nenabled = false\n"
        f'[status]\npage = "User:GrantBot/Status {name}"\njson_page = "User:GrantBot/Status {name}.json"\n'
        f"[safety]\nmax_edits_per_run = 0\nverify_authorship = {'true' if verify else 'false'}\n"
        f'[state]\nurl = "sqlite:///{directory / f"verify-{name}.sqlite"}"\n',
        encoding="utf-8",
    )
    return config


def run(grants: int) -> None:
    with seeded_wiki(grants) as (wiki, tmp, seeding):
        print(f"\nN = {grants} synthetic grants + samples (seeded in {seeding:.0f} s)")
        os.environ["PYWIKIBOT_DIR"] = str(wiki.pywikibot_dir)  # its test-speed throttles
        configs = {name: write_config(wiki, tmp, name, verify) for name, verify in MODES}
        rows = []
        for phase in ("first sweep", "nothing changed", "one talk page edited"):
            if phase == "one talk page edited":
                append_as_human(wiki, first_talk_page(wiki))
            for name, _ in MODES:
                summary, counter, seconds = timed_sweep(configs[name])
                history = counter.by_action.get("query", 0)
                rows.append((phase, name, counter.total, history, summary.edits, seconds))
        print(f"{'sweep':22} {'verify':>6} {'requests':>8} {'queries':>8} {'edits':>6} {'seconds':>8}")
        for phase, name, total, queries, edits, seconds in rows:
            print(f"{phase:22} {name:>6} {total:8} {queries:8} {edits:6} {seconds:8.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grants", type=int, nargs="+", default=[100], help="synthetic grants")
    for grants in parser.parse_args().grants:
        run(grants)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
