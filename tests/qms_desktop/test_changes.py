"""The records layer announces each committed write once, after the commit, and never a
write that was rolled back."""

from __future__ import annotations

import pytest

from qms_desktop import db, records
from qms_desktop.changes import ChangeFeed, Changes
from qms_desktop.models import Role, database


@pytest.fixture
def heard(store: db.Store) -> list[Changes]:
    batches: list[Changes] = []
    store.changes.subscribe(batches.append)
    return batches


def test_a_write_is_announced_after_it_commits(store: db.Store, heard: list[Changes]) -> None:
    seen_in_listener: list[bool] = []
    store.changes.subscribe(lambda _: seen_in_listener.append(database.in_transaction()))

    role = records.create(Role, title="Quality officer")

    assert [batch.ids_in("role") for batch in heard] == [frozenset({role.id})]
    assert seen_in_listener == [False]


def test_writes_in_one_transaction_arrive_as_one_batch(store: db.Store, heard) -> None:
    with database.atomic():
        first = records.create(Role, title="Auditor")
        second = records.create(Role, title="Buyer")
        records.update(first, title="Lead auditor")
        assert heard == []  # nothing is announced before the commit

    assert len(heard) == 1
    assert heard[0].ids_in("role") == {first.id, second.id}
    assert heard[0].touches(["role", "person"])
    assert not heard[0].touches(["risk"])


def test_a_rolled_back_write_is_never_announced(store: db.Store, heard) -> None:
    with pytest.raises(RuntimeError), database.atomic():
        records.create(Role, title="Gone")
        raise RuntimeError("the service changed its mind")
    kept = records.create(Role, title="Kept")

    assert [batch.ids_in("role") for batch in heard] == [frozenset({kept.id})]


def test_a_failing_listener_does_not_stop_the_others(store: db.Store, heard) -> None:
    def broken(_: Changes) -> None:
        raise ValueError("listener bug")

    store.changes.subscribe(broken)
    later: list[Changes] = []
    store.changes.subscribe(later.append)

    records.create(Role, title="Planner")

    assert len(heard) == 1 and len(later) == 1


def test_unsubscribe_and_a_fresh_feed_per_open_database(store: db.Store) -> None:
    heard: list[Changes] = []
    stop = store.changes.subscribe(heard.append)
    stop()
    records.create(Role, title="Unheard")
    assert heard == []

    other = ChangeFeed()
    other.publish({"role": ["from-a-server"]})  # another source feeds the same kind of batch
    other.publish({})  # an empty batch is not announced
    assert heard == []
