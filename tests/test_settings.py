from __future__ import annotations

from datetime import datetime, timezone

from jobs.state import open_state
from jobs.state.settings import Settings

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def test_settings_persist_across_opens(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    store = open_state(url)
    Settings(store.engine).set("sweep.watermark", "2026-05-01T12:00:00Z", NOW)
    Settings(store.engine).set("published.A", {"hash": "x"}, NOW)
    Settings(store.engine).set("published.A", {"hash": "y"}, NOW)
    store.close()
    again = Settings(open_state(url).engine)
    assert again.get("sweep.watermark") == "2026-05-01T12:00:00Z"
    assert again.get("published.A") == {"hash": "y"}
    assert again.get("missing", 7) == 7
    again.delete_prefix("published.")
    assert again.get("published.A") is None
