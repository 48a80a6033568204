from __future__ import annotations

import json

from jobs.serialize import report_from_json, talk_from_json, to_json
from parsers.analysis import analyse_talk_page
from parsers.report import analyse_report_page

TALK = """== Questions about the report ==
Thanks for the report.
* How many volunteers came back after the first workshop?
* Please upload the attendance sheet.
[[User:Rosa (WMF)|Rosa (WMF)]] ([[User talk:Rosa (WMF)|talk]]) 10:15, 3 March 2025 (UTC)
:About 40 came back. [[User:Lee|Lee]] ([[User talk:Lee|talk]]) 09:00, 5 March 2025 (UTC)
"""

REPORT = """{{Grant report|status=draft}}
== Outcomes ==
We ran four workshops.
== Learnings ==
<!-- describe what you learned -->
"""


def test_talk_analysis_round_trips_through_json() -> None:
    analysis = analyse_talk_page(TALK, title="Grants talk:Example/Report")
    assert analysis.items, "the fixture must produce items for this test to mean anything"
    data = json.loads(json.dumps(to_json(analysis)))
    assert talk_from_json(data) == analysis


def test_report_analysis_round_trips_through_json() -> None:
    analysis = analyse_report_page(REPORT, title="Grants:Example/Report")
    assert analysis.empty_sections
    data = json.loads(json.dumps(to_json(analysis)))
    assert report_from_json(data) == analysis
