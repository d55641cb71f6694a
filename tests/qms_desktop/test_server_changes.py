"""Other people's changes on a server reach this process's change feed (LISTEN/NOTIFY).

Against the throwaway server tests/postgres.py starts for the run. "Another person" is a
second process writing through the services, or a second connection sending a notice as
another session would.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from qms_desktop import accounts, actions, clock, records, server, server_changes
from qms_desktop.changes import Changes
from qms_desktop.models import Action, Site, database
from tests.postgres import Server
from tests.spreadsheets import workbook

ROOT = Path(__file__).resolve().parents[2]
WAIT = 20.0  # seconds: only ever reached when something is broken


class Heard:
    """The batches a feed publishes, on whatever thread, to be waited for."""

    def __init__(self) -> None:
        self.batches: queue.Queue[Changes] = queue.Queue()

    def __call__(self, changes: Changes) -> None:
        self.batches.put(changes)

    def next(self, timeout: float = WAIT) -> Changes:
        return self.batches.get(timeout=timeout)

    def until(self, wanted: str, timeout: float = WAIT) -> list[Changes]:
        """Every batch up to and including the first that touches table `wanted`."""
        seen = []
        while True:
            batch = self.next(timeout)
            seen.append(batch)
            if wanted in batch.tables:
                return seen


@pytest.fixture
def opened(server_url: str) -> Iterator[server.ServerStore]:
    with server.open_server(server_url) as store:
        records.set_setting(records.USER_NAME_KEY, "Maria Khan")
        yield store


@pytest.fixture
def heard(opened: server.ServerStore) -> Heard:
    listener = opened.listen_for_others()
    assert listener.listening.wait(WAIT)
    found = Heard()
    opened.changes.subscribe(found)
    return found


def _other_session(server_url: str, batch: dict[str, list[str]],
                   session: str = "another-window") -> None:
    """A notice as another process's commit would send it, on a connection of its own."""
    with psycopg.connect(server_url, autocommit=True) as other:
        other.execute("SELECT pg_notify(%s, %s)",
                      (server_changes.CHANNEL, server_changes.payload(batch, session)))


def _write_in_another_process(server_url: str, script: str) -> str:
    """Run `script` (with `store` open on the server) in a new Python; its printed output."""
    program = textwrap.dedent("""
        import sys
        from qms_desktop import records, server
        with server.open_server(sys.argv[1]) as store:
            records.set_setting(records.USER_NAME_KEY, "Jon Reyes")
    """) + textwrap.indent(textwrap.dedent(script), "    ")
    done = subprocess.run([sys.executable, "-c", program, server_url], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_write_in_another_process_reaches_the_feed_with_its_table_and_id(
        server_url: str, opened: server.ServerStore, heard: Heard) -> None:
    made = _write_in_another_process(server_url, """
        import datetime as dt
        from qms_desktop import actions
        print(actions.raise_improvement("Recalibrate the torque wrench", None,
                                        dt.date(2026, 12, 20)).id)
    """)

    batches = heard.until("action")

    assert made in batches[-1].ids_in("action")
    assert Action.get_by_id(made).title == "Recalibrate the torque wrench"


def test_an_import_from_the_command_line_elsewhere_reaches_the_feed(
        server_url: str, opened: server.ServerStore, heard: Heard, tmp_path: Path) -> None:
    sheet = workbook(tmp_path / "actions.xlsx", [
        ["Action", "Due", "Status"],
        ["Call the supplier", dt.date(2026, 3, 4), "Open"],
        ["Order gauges", dt.date(2026, 4, 30), "Open"],
    ], title="Actions")

    done = subprocess.run([sys.executable, "main.py", "import", "--db", server_url, str(sheet)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0, done.stdout + done.stderr
    batch = heard.until("action")[-1]
    assert batch.ids_in("action") == {a.id for a in Action.select()}
    assert len(batch.ids_in("action")) == 2


def test_a_notice_from_a_second_connection_is_published_as_it_says(
        server_url: str, heard: Heard) -> None:
    _other_session(server_url, {"risk": ["r1", "r2"], "supplier": ["s1"]})

    batch = heard.next()

    assert batch.by_table == {"risk": {"r1", "r2"}, "supplier": {"s1"}}


def test_a_change_right_after_listening_starts_is_heard(
        server_url: str, opened: server.ServerStore) -> None:
    found = Heard()
    opened.changes.subscribe(found)

    opened.listen_for_others()  # the window reads its screens once this returns
    _other_session(server_url, {"risk": ["r1"]})

    assert found.next().by_table == {"risk": {"r1"}}


def test_a_rolled_back_write_sends_nothing(
        server_url: str, opened: server.ServerStore, heard: Heard) -> None:
    with psycopg.connect(server_url, autocommit=True) as watcher:
        watcher.execute(f"LISTEN {server_changes.CHANNEL}")

        class Refused(Exception):
            pass

        with pytest.raises(Refused), database.atomic():
            records.create(Site, name="Never kept")
            raise Refused
        records.create(Site, name="Kept")

        notices = [json.loads(n.payload) for n in watcher.notifies(timeout=WAIT, stop_after=1)]
    assert len(notices) == 1
    (site_id,) = notices[0]["changes"]["site"]
    assert Site.get_by_id(site_id).name == "Kept"
    assert [s.name for s in Site.select()] == ["Kept"]


def test_own_writes_are_heard_once(server_url: str, opened: server.ServerStore,
                                   heard: Heard) -> None:
    own = actions.raise_improvement("Replace the gas bottles", None, clock.today())
    _other_session(server_url, {"supplier": ["after"]})

    batches = heard.until("supplier")

    # The write was heard once, as it returned, from the records layer; its notice coming
    # back from the server was known as this process's own and dropped.
    assert [b.ids_in("action") for b in batches if "action" in b.tables] == [{own.id}]


def test_many_ids_fall_back_to_their_tables(server_url: str, opened: server.ServerStore,
                                            heard: Heard) -> None:
    with psycopg.connect(server_url, autocommit=True) as watcher:
        watcher.execute(f"LISTEN {server_changes.CHANNEL}")
        rows = [{"name": f"Site {n:04d}"} for n in range(600)]
        made = records.create_many(Site, rows)
        (notice,) = watcher.notifies(timeout=WAIT, stop_after=1)

    assert len(notice.payload.encode()) < 8000
    assert json.loads(notice.payload)["changes"] == {"site": []}
    assert len(made) == 600


def test_the_largest_table_loses_its_ids_first() -> None:
    batch = {"site": [f"{n:032d}" for n in range(400)], "risk": ["r1"]}

    sent = json.loads(server_changes.payload(batch))

    assert sent["changes"] == {"site": [], "risk": ["r1"]}
    assert sent["session"] == server_changes.SESSION


def test_a_table_without_ids_is_published_as_all_of_it(server_url: str,
                                                       heard: Heard) -> None:
    with psycopg.connect(server_url) as other:  # one transaction: both arrive together
        batches: list[dict[str, list[str]]] = [{"site": []}, {"site": ["one"], "risk": ["r1"]}]
        for batch in batches:
            other.execute("SELECT pg_notify(%s, %s)", (
                server_changes.CHANNEL, server_changes.payload(batch, "another-window")))

    assert heard.next().by_table == {"site": frozenset(), "risk": {"r1"}}


def test_merging_keeps_all_of_a_table_as_all_of_it() -> None:
    merged: dict[str, frozenset[str]] = {}
    everything: frozenset[str] = frozenset()
    arrivals = [{"site": frozenset({"a"})}, {"site": frozenset({"b"})},
                {"risk": frozenset({"r"})}, {"risk": everything}, {"risk": frozenset({"s"})}]
    for changes in arrivals:
        server_changes.merge(merged, changes)

    assert merged == {"site": {"a", "b"}, "risk": frozenset()}


def test_an_unreadable_notice_counts_as_a_change_of_everything(server_url: str,
                                                               heard: Heard) -> None:
    with psycopg.connect(server_url, autocommit=True) as other:
        other.execute(f"NOTIFY {server_changes.CHANNEL}, 'reload please'")

    batch = heard.next()

    assert batch.by_table == server_changes.every_table()


def test_close_stops_the_listener(opened: server.ServerStore) -> None:
    listener = opened.listen_for_others()
    assert listener.listening.wait(WAIT)
    assert opened.listen_for_others() is listener  # one per store

    opened.close()

    assert not listener.running
    assert opened.listener is None


def test_a_command_starts_no_listener(opened: server.ServerStore) -> None:
    records.create(Site, name="Pune")

    assert opened.listener is None
    assert not any(t.name == "qms-change-listener" for t in threading.enumerate())


def test_a_dropped_listener_connection_comes_back_and_announces_everything(
        postgres_server: Server, server_url: str, opened: server.ServerStore,
        heard: Heard, caplog: pytest.LogCaptureFixture) -> None:
    listener = opened.listener
    assert listener is not None
    dbname = opened.address.dbname
    with psycopg.connect(postgres_server.admin_conninfo(), autocommit=True) as admin:
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND query ILIKE 'LISTEN%%'", (dbname,)).fetchall()
    assert ended == [(True,)]

    batch = heard.next()

    assert batch.by_table == server_changes.every_table()
    assert listener.reconnects == 1
    assert "trying again" in caplog.text
    # Heard again after coming back.
    _other_session(server_url, {"risk": ["r9"]})
    assert heard.until("risk")[-1].ids_in("risk") == {"r9"}
    # The records' own connection was never the one ended.
    assert records.create(Site, name="Still here").name == "Still here"


def test_after_a_new_password_a_dropped_listener_comes_back_with_it(
        postgres_server: Server, server_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The listener connects again with the password the window's connection has now,
    not the one it started with: the server no longer takes that."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    dbname = server_url.rsplit("/", 1)[1]
    login = f"listening_{dbname.rsplit('_', 1)[-1]}"
    old, new = "the first password", "the second password"
    with server.open_server(server_url):  # the administrator, trusted on the socket
        accounts.add_account(login, "Lina Ortiz", "quality_officer", old)
    with server.open_server(postgres_server.password_url(dbname, login),
                            ask_password=lambda address: old) as store:
        listener = store.listen_for_others()
        assert listener.listening.wait(WAIT)
        found = Heard()
        store.changes.subscribe(found)
        accounts.change_own_password(old, new)
        with psycopg.connect(postgres_server.admin_conninfo(), autocommit=True) as admin:
            ended = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                "AND usename = %s AND query ILIKE 'LISTEN%%'", (dbname, login)).fetchall()
        assert ended == [(True,)]

        assert found.next().by_table == server_changes.every_table()
        assert listener.reconnects == 1 and listener.listening.is_set()
        _other_session(server_url, {"risk": ["r7"]})
        assert found.until("risk")[-1].ids_in("risk") == {"r7"}


def test_the_log_names_the_server_without_a_password(
        postgres_server: Server, opened: server.ServerStore,
        caplog: pytest.LogCaptureFixture) -> None:
    listener = server_changes.ChangeListener(
        "postgresql://nobody@127.0.0.1:1/nothing", opened.changes,
        described_as="postgresql://nobody@127.0.0.1:1/nothing",
        connect_params={"password": "s3cret-word"})
    with caplog.at_level("WARNING"):
        listener.start()
        try:
            assert listener.lost.wait(WAIT)
        finally:
            listener.stop()
    assert "trying again" in caplog.text
    assert "s3cret-word" not in caplog.text
    assert not listener.running
