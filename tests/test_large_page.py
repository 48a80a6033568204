"""A 5 MB talk page is analysed in bounded time and memory (a safety net;
the real figures are in bench/).  Runs in a child process so its peak
memory is its own."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

CHILD = textwrap.dedent("""
    import json, time
    from parsers.analysis import analyse_talk_page

    def thread(t):
        day = 1 + t % 28
        reviewer = f"Reviewer{t % 7} (WMF)"
        grantee = f"Grantee{t % 5}"
        return (
            f"== Follow-up {t} on the spending plan ==\\n'''Budget line {t}'''\\n"
            f"* Could you explain why line {t} grew by {t % 13 + 2} percent?\\n"
            f"* Please upload the signed receipts for purchase {t}.\\n"
            f"[[User:{reviewer}|{reviewer}]] 10:{t % 60:02d}, {day} March 2025 (UTC)\\n"
            f":Line {t} paid for extra venue hours. [[User:{grantee}|{grantee}]] "
            f"11:{t % 60:02d}, {day} April 2025 (UTC)\\n\\n"
        )

    text, t = [], 0
    size = 0
    while size < 5_000_000:
        chunk = thread(t)
        text.append(chunk)
        size += len(chunk)
        t += 1
    page = "".join(text)
    started = time.perf_counter()
    analysis = analyse_talk_page(page)
    print(json.dumps({"seconds": time.perf_counter() - started, "bytes": len(page),
                      "items": len(analysis.items),
                      "open": len(analysis.open_items)}))
""")


def test_five_megabyte_page_in_bounded_time_and_memory() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert result["bytes"] >= 5_000_000
    assert result["items"] > 20_000 and 0 < result["open"] < result["items"]
    assert result["seconds"] < 120, result
    assert peak_mb < 1024, peak_mb
