"""The state store on SQLite, PostgreSQL and MariaDB: round trips, UTC, upgrades."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from jobs.state import (
    GONE,
    StateStore,
    current_revision,
    head_revision,
    make_engine,
    open_state,
    upgrade,
)
from jobs.state.engine import SCHEMA_HEAD
from jobs.state.models import Base
from parsers.model import ItemKind, ItemStatus, ReviewerItem

T0 = datetime(2031, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
GRANT = "Grants:Conference/Somewhere/Meetup 2031/Report"
TALK = "Grants talk:Conference/Somewhere/Meetup 2031/Report"


@pytest.fixture
def store(state_url: str) -> Iterator[StateStore]:
    s = open_state(state_url)
    yield s
    s.close()


def item(item_id: str, status: ItemStatus = ItemStatus.OPEN, text: str = "Could you add receipts?") -> ReviewerItem:
    return ReviewerItem(
        id=item_id,
        kind=ItemKind.REQUEST,
        text=text,
        asked_by="Reviewer (WMF)",
        asked_at=T0 - timedelta(days=30),
        section=("Budget", "Receipts"),
        anchor="Budget",
        status=status,
        answered_by=None,
        answered_at=None,
        answer_excerpt=None,
        answer_location=None,
        commitment=False,
        reason="nobody replied",
        start=0,
    )


def test_schema_matches_models_after_upgrade(state_url: str) -> None:
    engine = make_engine(state_url)
    try:
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        # Only differences SQLAlchemy cannot express identically on every backend
        # would be acceptable here; there are none.
        assert diff == []
        upgrade(engine)  # a second upgrade is a no-op
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_pages_and_stored_analysis(store: StateStore) -> None:
    store.record_page(GRANT, kind="report", revid=10, timestamp=T0, now=T0, page_id=7,
                      grant=GRANT, analysis={"items": [1, 2]}, analysis_version="p1")
    store.record_page(TALK, kind="talk", revid=11, timestamp=T0, now=T0, grant=GRANT)
    seen = store.pages_seen()
    assert set(seen) == {GRANT, TALK}
    assert seen[GRANT].last_revid == 10 and seen[GRANT].page_id == 7
    assert seen[GRANT].last_timestamp == T0
    assert seen[GRANT].last_timestamp.tzinfo is not None
    assert store.pages_seen([TALK]).keys() == {TALK}
    assert store.pages_seen([]) == {}

    stored = store.stored_analysis(GRANT, 10)
    assert stored is not None and stored.data == {"items": [1, 2]} and stored.version == "p1"
    assert store.stored_analysis(GRANT, 9) is None  # other revision
    assert store.stored_analysis(GRANT, 10, version="p2") is None  # parser changed
    assert store.stored_analysis(TALK, 11) is None  # never analysed

    # Same revision seen again without analysis: keep the stored one.
    store.record_page(GRANT, kind="report", revid=10, timestamp=T0, now=T0 + timedelta(hours=1))
    assert store.stored_analysis(GRANT, 10) is not None
    assert store.pages_seen([GRANT])[GRANT].page_id == 7
    # A new revision without analysis drops the stale one.
    store.record_page(GRANT, kind="report", revid=12, timestamp=T0, now=T0 + timedelta(hours=2))
    assert store.stored_analysis(GRANT, 10) is None
    assert store.pages_seen([GRANT])[GRANT].last_revid == 12


def test_datetimes_stored_as_utc(store: StateStore) -> None:
    madrid = timezone(timedelta(hours=2))
    local = datetime(2031, 6, 1, 14, 0, tzinfo=madrid)
    run_id = store.start_run("manual", local)
    (run,) = store.recent_runs()
    assert run.id == run_id
    assert run.started_at == local and run.started_at.utcoffset() == timedelta(0)
    assert run.started_at.hour == 12
    with pytest.raises(ValueError, match="timezone-aware"):
        store.start_run("manual", datetime(2031, 1, 1))


def test_items_status_history(store: StateStore) -> None:
    changes = store.record_items(GRANT, [item("a"), item("b")], T0)
    assert {(c.item_id, c.previous, c.status) for c in changes} == {
        ("a", None, "open"), ("b", None, "open"),
    }
    t1 = T0 + timedelta(days=1)
    changes = store.record_items(GRANT, [item("a", ItemStatus.ANSWERED), item("b")], t1)
    assert [(c.item_id, c.previous, c.status) for c in changes] == [("a", "open", "answered")]
    t2 = T0 + timedelta(days=2)
    changes = store.record_items(GRANT, [item("a", ItemStatus.ANSWERED)], t2)
    assert [(c.item_id, c.previous, c.status) for c in changes] == [("b", "open", GONE)]
    assert store.record_items(GRANT, [item("a", ItemStatus.ANSWERED)], t2) == []

    (a,) = store.items_for(GRANT)
    assert a.item_id == "a" and a.status == "answered" and a.status_since == t1
    assert a.first_seen == T0 and a.last_seen == t2
    assert a.section == ("Budget", "Receipts") and a.asked_by == "Reviewer (WMF)"
    assert a.asked_at == T0 - timedelta(days=30)
    assert [(h.status, h.changed_at) for h in a.history] == [("open", T0), ("answered", t1)]
    everything = store.items_for(GRANT, include_gone=True)
    assert [i.item_id for i in everything] == ["a", "b"]
    assert everything[1].status == GONE
    assert store.items_for("Grants:Other/Report") == []
    assert store.grants_seen() == [GRANT]
    # An item that comes back is open again, with the whole story kept.
    store.record_items(GRANT, [item("a", ItemStatus.ANSWERED), item("b")], T0 + timedelta(days=3))
    b = store.items_for(GRANT)[1]
    assert [h.status for h in b.history] == ["open", GONE, "open"]


def test_item_text_is_an_excerpt(store: StateStore) -> None:
    store.record_items(GRANT, [item("long", text="word " * 1000)], T0)
    (record,) = store.items_for(GRANT)
    assert 0 < len(record.text) <= 500


def test_reminders(store: StateStore) -> None:
    store.record_reminder(GRANT, TALK, ["a", "b"], 101, T0)
    store.record_reminder(GRANT, TALK, ["a"], None, T0 + timedelta(days=14))
    store.record_reminder("Grants:Other/Report", "Grants talk:Other/Report", ["z"], 5, T0)
    reminders = store.reminders_for(GRANT)
    assert [(r.item_ids, r.revid) for r in reminders] == [(("a", "b"), 101), (("a",), None)]
    assert reminders[0].talk_page == TALK and reminders[0].posted_at == T0
    counts = store.reminder_counts(GRANT)
    assert counts == {"a": (2, T0 + timedelta(days=14)), "b": (1, T0)}


def test_runs(store: StateStore) -> None:
    first = store.start_run("sweep", T0)
    second = store.start_run("request", T0 + timedelta(minutes=5))
    store.finish_run(first, T0 + timedelta(minutes=3), outcome="ok", grants=12,
                     api_requests=30, edits=4, errors=["one", "two"])
    runs = store.recent_runs()
    assert [r.id for r in runs] == [second, first]  # newest first
    assert runs[0].outcome is None and runs[0].finished_at is None
    done = runs[1]
    assert (done.grants, done.api_requests, done.edits) == (12, 30, 4)
    assert done.errors == "one\ntwo" and done.outcome == "ok"
    assert done.finished_at == T0 + timedelta(minutes=3)
    assert [r.id for r in store.recent_runs(kind="sweep")] == [first]
    assert len(store.recent_runs(limit=1)) == 1
    with pytest.raises(ValueError):
        store.start_run("nightly", T0)
    with pytest.raises(KeyError):
        store.finish_run(9999, T0, outcome="ok")


def test_run_requests(store: StateStore) -> None:
    asked = T0 - timedelta(minutes=2)
    request, created = store.record_request("Admin user", GRANT, asked, T0, source_revid=77)
    assert created and request.served_at is None and request.source_revid == 77
    again, created = store.record_request("Admin user", GRANT, asked, T0 + timedelta(minutes=1))
    assert not created and again.id == request.id and again.received_at == T0
    other, _ = store.record_request("Admin user", "*", asked, T0)
    assert [r.id for r in store.pending_requests()] == [request.id, other.id]
    run_id = store.start_run("request", T0)
    store.serve_request(request.id, T0 + timedelta(minutes=3), "done", run_id)
    assert [r.id for r in store.pending_requests()] == [other.id]
    served = [r for r in store.recent_requests() if r.id == request.id][0]
    assert served.run_id == run_id and served.outcome == "done"
    assert served.served_at == T0 + timedelta(minutes=3)


def test_upgrade_from_first_revision_keeps_rows(state_url: str) -> None:
    engine = make_engine(state_url)
    try:
        upgrade(engine, "0001")
        assert current_revision(engine) == "0001"
        naive = T0.replace(tzinfo=None)
        grant = engine.dialect.identifier_preparer.quote("grant")  # reserved: "..." or `...`
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"INSERT INTO pages (title, kind, {grant}, last_revid, analysis,"
                    " analysis_revid, updated_at) VALUES (:t, 'report', :t, 5, :a, 5, :u)"
                ),
                {"t": GRANT, "a": '{"kept": true}', "u": naive},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO runs (kind, started_at, grants, api_requests, edits, errors,"
                    " outcome) VALUES ('sweep', :s, 3, 9, 1, '', 'ok')"
                ),
                {"s": naive},
            )
    finally:
        engine.dispose()

    with open_state(state_url) as store:
        assert current_revision(store.engine) == head_revision() != "0001"
        stored = store.stored_analysis(GRANT, 5)
        assert stored is not None and stored.data == {"kept": True} and stored.version is None
        (run,) = store.recent_runs()
        assert (run.kind, run.grants, run.started_at) == ("sweep", 3, T0)
        # and the tables added by later revisions work
        store.record_request("Someone", "*", T0, T0)
        assert len(store.pending_requests()) == 1


def test_sqlite_file_directory_created(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/deep/er/state.sqlite"
    with open_state(url) as store:
        store.start_run("manual", T0)
    assert (tmp_path / "deep" / "er" / "state.sqlite").exists()


def test_in_memory_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with open_state("sqlite://") as store:
        store.start_run("manual", T0)
        assert len(store.recent_runs()) == 1


def _open_and_record(url: str, barrier: object, n: int) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    with open_state(url) as store:
        store.start_run("manual", T0 + timedelta(seconds=n))


def test_the_schema_head_the_code_knows_is_alembics() -> None:
    assert SCHEMA_HEAD == head_revision()  # a new migration must move SCHEMA_HEAD too


def test_a_current_database_is_opened_without_importing_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    open_state(url).close()  # created and migrated
    code = ("import sys\nfrom jobs.state import open_state\n"
            f"open_state({url!r}).close()\nprint(sorted(m for m in sys.modules if m.startswith('alembic')))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True)
    assert run.stdout.strip() == "[]", run.stdout


def test_a_migration_commits_before_its_lock_is_given_up(state_url: str) -> None:
    # Given up first, a waiting process could read the version table without the
    # last update and run that migration again ("table already exists").
    engine = make_engine(state_url)
    seen: list[str] = []
    sa.event.listen(engine, "before_cursor_execute",
                    lambda conn, cursor, sql, *args: seen.append(" ".join(sql.split()[:3])))
    sa.event.listen(engine, "commit", lambda conn: seen.append("COMMIT"))
    upgrade(engine)
    engine.dispose()
    versions = [n for n, s in enumerate(seen) if "alembic_version" in s and not s.startswith("SELECT")]
    assert versions, seen
    unlocks = [n for n, s in enumerate(seen) if "RELEASE_LOCK" in s or s == "COMMIT"]
    assert "COMMIT" in [seen[n] for n in unlocks if n > versions[-1]][:1], seen[versions[-1]:]


def test_processes_racing_to_create_the_schema(state_url: str) -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(3)
    procs = [ctx.Process(target=_open_and_record, args=(state_url, barrier, n)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    with open_state(state_url) as store:
        assert len(store.recent_runs()) == 3
        assert current_revision(store.engine) == head_revision()


@pytest.mark.parametrize("dialect", ["mysql", "postgresql"])
def test_migrations_render_for_other_servers(dialect: str) -> None:
    from jobs.state.engine import migration_sql

    sql = migration_sql(dialect)
    for table in ("pages", "items", "item_status_history", "reminders", "runs", "run_requests",
                  "leases", "settings"):
        assert f"CREATE TABLE {table} " in sql
    assert f"'{head_revision()}'" in sql  # the version row
    if dialect == "mysql":
        assert "DATETIME(6)" in sql  # keeps microseconds on MariaDB/MySQL
        assert "`grant`" in sql  # reserved word quoted
    else:
        assert '"grant"' in sql


MOUNTS = """/dev/vda1 / ext4 rw,relatime 0 0
nfs-tools.example:/srv/tools/project /data/project nfs4 rw,vers=4.2 0 0
tmpfs /tmp tmpfs rw 0 0
"""


def test_sqlite_on_nfs_is_warned_about(tmp_path: Path) -> None:
    from jobs.state import state_warnings
    from jobs.state.engine import filesystem_type

    assert filesystem_type(Path("/data/project/grantbot/var/state.sqlite"), MOUNTS) == "nfs4"
    assert filesystem_type(Path("/data/projects/x"), MOUNTS) == "ext4"  # a prefix is not a mount
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS)
    (warning,) = state_warnings("sqlite:////data/project/grantbot/var/state.sqlite", mounts)
    assert "SQLite on nfs4" in warning and "ToolsDB" in warning
    assert state_warnings("sqlite:////tmp/state.sqlite", mounts) == []
    assert state_warnings("mysql+pymysql://tools.db.example/s1__grantbot", mounts) == []
    assert state_warnings("sqlite://", mounts) == []


def test_the_state_is_bound_to_one_wiki_and_account(store: StateStore) -> None:
    from bots.errors import ConfigError
    from jobs.state.binding import bind_site

    meta = {"site": "https://meta.example.org/w/api.php", "wikiid": "metawiki", "user": "GrantBot"}
    bind_site(store.engine, meta, T0)
    bind_site(store.engine, meta, T0 + timedelta(days=1))  # the same wiki: nothing to say
    for other in ({**meta, "site": "https://other.example.org/w/api.php"}, {**meta, "user": "OtherBot"}):
        with pytest.raises(ConfigError) as refused:
            bind_site(store.engine, other, T0)
        assert "belongs to https://meta.example.org/w/api.php (metawiki) as GrantBot" in str(refused.value)


def test_a_moved_grant_keeps_its_items_reminders_and_pages(store: StateStore) -> None:
    from jobs.state.moves import move_grant

    new, new_talk = GRANT.replace("Meetup", "Gathering"), TALK.replace("Meetup", "Gathering")
    store.record_page(GRANT, kind="report", revid=1, timestamp=T0, now=T0, grant=GRANT)
    store.record_page(TALK, kind="talk", revid=2, timestamp=T0, now=T0, grant=GRANT)
    store.record_items(GRANT, [item("a1"), item("b2", text="Could you add photos?")], T0)
    store.record_reminder(GRANT, TALK, ("a1",), 3, T0)
    # A sweep saw the new title before it knew of the move: the older history wins.
    store.record_items(new, [item("a1")], T0 + timedelta(days=2))
    move_grant(store.engine, GRANT, new, {GRANT: new, TALK: new_talk}, T0 + timedelta(days=3))
    assert {i.item_id: i.first_seen for i in store.items_for(new)} == {"a1": T0, "b2": T0}
    assert store.items_for(GRANT) == []
    assert [(r.grant, r.talk_page, r.item_ids) for r in store.reminders_for(new)] == [(new, new_talk, ("a1",))]
    pages = store.pages_seen()
    assert set(pages) == {new, new_talk} and pages[new_talk].last_revid == 2
    assert {p.grant for p in pages.values()} == {new}
