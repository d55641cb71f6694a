"""Ten people working on one PostgreSQL server at the same time: reads, saves, conflicts.

Not a test: prints figures, asserts none. A throwaway server is started the way the tests
start theirs (tests/postgres.py), a database on it is filled with the small sample company
through the services, and then each simulated user, for --seconds, in a loop with a pause
between steps (exponential, mean --think):
- lists a register (its count and first page, as a register screen does: nonconformities,
  risks, actions, suppliers, documents),
- opens a record (the record, its form's values and its change history), or
- edits one: opens it, types for a moment, and saves through registers.save, the path the
  window's record form takes (the nonconformity service, or records.update for a risk).
  Often it is one of a few records every user edits, otherwise any nonconformity or risk,
  which another user may happen to have open too. A save refused because someone changed
  the record first (RecordChanged) is counted as a conflict reported; the user reloads the
  record and applies their edit again, as a person would.

Each user is a process, not a thread: real users are separate copies of the app on separate
machines, each with its own interpreter and its own connection. Threads in one process would
share one GIL (the clients' Python work would queue behind each other and be measured as the
server's time) and share the app's module state (the change feed, who is writing), which
real users never do.

Lost updates are counted by construction. An edit is a read-modify-write of a tally kept at
the end of a text field (a nonconformity's correction or containment, a risk's
description): the user raises their own count by one in the text as read and saves the
whole field. At the end each record's tallies must equal the saves of it each user was told
succeeded: a save acknowledged but missing from its tally is a lost update (must be 0). Two
users editing different fields of the same record are merged, not refused (records.py), so
both kinds of meeting occur. A save that took effect although its user was told it failed
would show as a tally above the saves acknowledged ("unacknowledged effects", also 0), and
each record's version must have risen by exactly its acknowledged saves.

Printed: saves, lost updates, conflicts reported, reads, p50 / p95 time of a save (each
attempt, refused ones too: what a user waits for) and of a read, and the machine's load.

    python bench/bench_team_load.py                       # 10 users, 60 s
    python bench/bench_team_load.py --users 4 --seconds 10
    python bench/bench_team_load.py --think 0             # no pauses: as hard as it goes
    python bench/bench_team_load.py --unchecked   # saves without the version: loses some
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import random
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = 3  # records every user edits now and then
SHARED_CHANCE = 0.4  # how often an edit is of one of them
MAX_TRIES = 5  # a person tries again after a refusal, but not for ever
# Where the tallies start in an edited text field.
TALLY_MARK = "\n[load] "

# (register key, model field holding the tallies): the fields users edit.
EDITED = {"nonconformities": ("correction", "containment"), "risks": ("description",)}
LISTED = ("nonconformities", "risks", "action_tracker", "suppliers", "documents")


def registers_by_key() -> dict[str, Any]:
    from qms_desktop.improvement_registers import NONCONFORMITIES
    from qms_desktop.risk_registers import RISKS
    from qms_desktop.support_registers import ACTION_TRACKER, DOCUMENTS, SUPPLIERS

    return {r.key: r for r in (NONCONFORMITIES, RISKS, ACTION_TRACKER, SUPPLIERS, DOCUMENTS)}


def tallies(text: str) -> dict[str, int]:
    """The counts kept at the end of `text`, by user."""
    _head, marked, tail = text.partition(TALLY_MARK)
    if not marked:
        return {}
    return {user: int(count) for user, _, count in
            (pair.partition("=") for pair in tail.split())}


def raised(text: str, user: str) -> str:
    """`text` with `user`'s count raised by one."""
    head, _, _tail = text.partition(TALLY_MARK)
    counts = tallies(text)
    counts[user] = counts.get(user, 0) + 1
    return head + TALLY_MARK + " ".join(f"{u}={c}" for u, c in sorted(counts.items()))


@dataclass
class Outcome:
    """What one user did, sent back to the main process."""

    who: str  # the user's token in the tallies
    saved: dict[tuple[str, str], int] = field(default_factory=dict)  # (record, field) -> saves
    conflicts: int = 0  # saves refused with RecordChanged
    gave_up: int = 0  # edits abandoned after MAX_TRIES refusals
    failures: dict[str, int] = field(default_factory=dict)  # other refusals, by kind
    reads: int = 0
    list_times: list[float] = field(default_factory=list)  # a register's list
    open_times: list[float] = field(default_factory=list)  # a record opened
    save_times: list[float] = field(default_factory=list)


def user(url: str, number: int, shared: list[tuple[str, str]], pool: list[tuple[str, str]],
         seconds: float, think: float, unchecked: bool, ready: Any, start: Any,
         results: Any) -> None:
    """One simulated person: opens the server as the window does, then works until the end."""
    from qms_desktop import records, registers
    from qms_desktop.errors import RecordChanged, ValidationError
    from qms_desktop.server import open_server

    chance = random.Random(number)
    registers_of = registers_by_key()
    me = f"u{number}"
    outcome = Outcome(me)

    def timed_read(work: Any, listing: bool = False) -> Any:
        started = time.perf_counter()
        value = work()
        taken = time.perf_counter() - started
        (outcome.list_times if listing else outcome.open_times).append(taken)
        outcome.reads += 1
        return value

    def list_register() -> None:
        register = registers_of[chance.choice(LISTED)]

        def read() -> None:
            registers.count(register, registers.Query())
            registers.fetch_page(register, registers.Query())
        timed_read(read, listing=True)

    def open_record(key: str, record_id: str) -> Any:
        register = registers_of[key]

        def read() -> Any:
            record = registers.get(register, record_id)
            registers.form_values(register, record)
            records.history_of(record)
            return record
        return timed_read(read)

    def pause(mean: float) -> None:
        if mean > 0:
            time.sleep(chance.expovariate(1 / mean))

    def edit(key: str, record_id: str) -> None:
        register = registers_of[key]
        field_name = chance.choice(EDITED[key])
        record = open_record(key, record_id)
        pause(think)  # types
        for _try in range(MAX_TRIES):
            values = registers.form_values(register, record)
            values[field_name] = raised(values[field_name] or "", me)
            started = time.perf_counter()
            try:
                save(register, record, values, field_name)
            except RecordChanged:
                outcome.save_times.append(time.perf_counter() - started)
                outcome.conflicts += 1
                pause(think / 2)  # reads who changed it, presses Reload
                record = open_record(key, record_id)
                continue
            except ValidationError as refused:  # a rule of the record: nothing written
                outcome.save_times.append(time.perf_counter() - started)
                kind = f"refused: {next(iter(refused.problems.values()), '')[:60]}"
                outcome.failures[kind] = outcome.failures.get(kind, 0) + 1
                return
            except Exception as failed:  # what the window would show as a problem
                outcome.save_times.append(time.perf_counter() - started)
                kind = f"{type(failed).__name__}: {str(failed).splitlines()[0][:60]}"
                outcome.failures[kind] = outcome.failures.get(kind, 0) + 1
                return
            outcome.save_times.append(time.perf_counter() - started)
            counted = (record_id, field_name)
            outcome.saved[counted] = outcome.saved.get(counted, 0) + 1
            return
        outcome.gave_up += 1

    def save(register: Any, record: Any, values: dict[str, Any], field_name: str) -> None:
        if unchecked:  # what a save did before row versions: the last one wins
            model = register.model
            model.update({field_name: values[field_name]}).where(model.id == record.id).execute()
        else:
            registers.save(register, record, values)

    store = open_server(url)
    ready.put(number)
    start.wait()
    deadline = time.monotonic() + seconds
    with records.history_as(who=f"User {number}"):
        while time.monotonic() < deadline:
            step = chance.random()
            if step < 0.45:
                list_register()
            elif step < 0.75:
                open_record(*chance.choice(pool))
            else:
                edit(*(chance.choice(shared) if chance.random() < SHARED_CHANCE
                       else chance.choice(pool)))
            pause(think)
    store.close()
    results.put(outcome)


def fill(url: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]], dict[str, int]]:
    """The small sample company on the server; the records edited (shared ones first)
    and their versions now."""
    from qms_desktop import db
    from qms_desktop.models import Nonconformity, Risk, database
    from qms_desktop.sample import fill_sample
    from qms_desktop.server import open_server

    with open_server(url):
        assert db.is_empty()
        with database.atomic():
            fill_sample(size="small", seed=1)
        ncs = [("nonconformities", n.id) for n in Nonconformity.live().order_by(Nonconformity.id)]
        risks = [("risks", r.id) for r in Risk.live().order_by(Risk.id)]
        versions = {n.id: n.row_version for n in Nonconformity.select()}
        versions.update({r.id: r.row_version for r in Risk.select()})
    shared = [ncs[0], ncs[1], risks[0]][:SHARED]
    return shared, ncs + risks, versions


def check(url: str, pool: list[tuple[str, str]], saved: dict[tuple[str, str, str], int],
          versions: dict[str, int]) -> tuple[int, int, int, int]:
    """Lost updates, unacknowledged effects, records whose version is off, and saves
    acknowledged, read back from the server."""
    from qms_desktop.models import Nonconformity, Risk
    from qms_desktop.server import open_server

    by_user: dict[tuple[str, str], dict[str, int]] = collections.defaultdict(dict)
    for (record_id, field_name, who), count in saved.items():
        by_user[(record_id, field_name)][who] = count
    lost = extra = versions_off = 0
    with open_server(url):
        for key, record_id in pool:
            model = Nonconformity if key == "nonconformities" else Risk
            record = model.get_by_id(record_id)
            acknowledged = 0
            for field_name in EDITED[key]:
                found = tallies(getattr(record, field_name) or "")
                expected = by_user.get((record_id, field_name), {})
                for who in set(found) | set(expected):
                    difference = expected.get(who, 0) - found.get(who, 0)
                    lost += max(difference, 0)
                    extra += max(-difference, 0)
                acknowledged += sum(expected.values())
            versions_off += record.row_version - versions[record_id] != acknowledged
    return lost, extra, versions_off, sum(saved.values())


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.25,
                        help="mean pause between a user's steps, in seconds (default 0.25: "
                             "each user far quicker than a person)")
    parser.add_argument("--unchecked", action="store_true",
                        help="save without the version check, to see lost updates counted")
    arguments = parser.parse_args()

    from tests import postgres

    reason = postgres.why_not_available()
    if reason is not None:
        sys.exit(f"No PostgreSQL server can be started here: {reason}")
    load_before = os.getloadavg()
    with postgres.running_server() as server:
        url = server.url(server.create_database("load"))
        started = time.perf_counter()
        shared, pool, versions = fill(url)
        filled_in = time.perf_counter() - started

        context = multiprocessing.get_context("spawn")
        results, ready = context.Queue(), context.Queue()
        start = context.Event()
        processes = [context.Process(target=user, args=(
            url, n, shared, pool, arguments.seconds, arguments.think, arguments.unchecked,
            ready, start, results)) for n in range(arguments.users)]
        for process in processes:
            process.start()
        for _ in processes:  # every user has the server open before the clock starts
            ready.get()
        start.set()
        outcomes: list[Outcome] = [results.get() for _ in processes]
        for process in processes:
            process.join()
        load_after = os.getloadavg()
        user_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)

        saved = {(record_id, field_name, outcome.who): count for outcome in outcomes
                 for (record_id, field_name), count in outcome.saved.items()}
        conflicts = gave_up = reads = 0
        failures: collections.Counter[str] = collections.Counter()
        list_times: list[float] = []
        open_times: list[float] = []
        save_times: list[float] = []
        for outcome in outcomes:
            conflicts += outcome.conflicts
            gave_up += outcome.gave_up
            reads += outcome.reads
            failures.update(outcome.failures)
            list_times += outcome.list_times
            open_times += outcome.open_times
            save_times += outcome.save_times
        lost, extra, versions_off, total = check(url, pool, saved, versions)

    print(f"{arguments.users} users (processes), {arguments.seconds:g} s, one PostgreSQL "
          f"server, mean pause {arguments.think:g} s; small sample ({len(pool)} records "
          f"edited, {len(shared)} by everyone; filled in {filled_in:.1f} s)"
          + (", saving WITHOUT the version check" if arguments.unchecked else ""))
    print(f"saves          {total:>8,}  ({total / arguments.seconds:.1f} a second)")
    print(f"lost updates   {lost:>8,}  (must be 0)")
    print(f"unacknowledged {extra:>8,}  (saved although refused: must be 0)")
    print(f"versions off   {versions_off:>8,}  (records whose version rose by other than "
          "their saves)")
    print(f"conflicts      {conflicts:>8,}  (refused, told who changed it and when; "
          f"{gave_up} edits given up after {MAX_TRIES} tries)")
    for kind, count in failures.most_common():
        print(f"other refusals {count:>8,}  {kind}")
    print(f"reads          {reads:>8,}  ({reads / arguments.seconds:.1f} a second; "
          f"{len(list_times):,} lists of a register, the rest records opened)")
    for name, times in (("save", save_times), ("read", list_times + open_times),
                        ("  list", list_times), ("  open", open_times)):
        if times:
            print(f"{name:<6} p50     {statistics.median(times) * 1000:>8.1f} ms")
            print(f"{name:<6} p95     {percentile(times, 0.95) * 1000:>8.1f} ms")
    print(f"machine        {os.cpu_count()} cores; load average (1, 5, 15 min) before "
          f"{load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, after "
          f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; users' CPU "
          f"{user_cpu.ru_utime + user_cpu.ru_stime:.1f} s")


if __name__ == "__main__":
    main()
