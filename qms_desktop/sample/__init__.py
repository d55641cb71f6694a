"""The sample company: fill an empty database with records that read like a real firm's.

`fill_sample("small")` writes a 25-person precision engineering firm through the service
layer, so every row has its change-history entry. Its registers are complete enough for a
management review, with a few gaps left on purpose so each warning has something to show:
six people have not acknowledged the policy in force, the customer-focus duty is unassigned,
one RACI row has no R, two instruments are past calibration, one planned audit is not
impartial, and some objectives lack a KPI, an owner or a due date.

`fill_sample("large")` writes a stress set of the same firm grown to 500 people and ten
years of records, with bulk inserts.

One seeded generator makes everything, ids included, and dates are relative to today so the
sample always looks current (actions overdue today, readings up to last month): the same seed
on the same day gives the same database, row for row.

The small firm is written as its history happened: each record made in its state of the day
it was made, each later change (an action done, a nonconformity closed, a policy approved, a
review held and closed by top management) on its own day, through the services with the clock
standing at that moment. So its closed reviews' packs are frozen as of their meetings, and
`until` can stop the same history at any day.

The package: `data` holds the fixed tables, `timeline` builds the firm's history in memory,
`events` turns it into dated acts, `writer` puts it into the database; `fill_sample` is the
one way in.
"""

from __future__ import annotations

import datetime as dt
import random

from qms_desktop import clock
from qms_desktop.as_of import cut_off_moment
from qms_desktop.models import ALL_MODELS
from qms_desktop.sample.timeline import Sample, build_large, build_small
from qms_desktop.sample.writer import (
    Progress,
    restate_settings,
    write_in_bulk,
    write_through_services,
)

SIZES = ("small", "large")


def fill_sample(
    size: str = "small", seed: int = 1, progress: Progress | None = None,
    until: dt.date | None = None,
) -> dict[str, int]:
    """Fill the open, migrated, empty database with the sample company; row counts per table.

    The caller opens the store (`db.open_database`) and checks it is empty first. With
    `until` the small sample's timeline (the same one, ending around today) stops at the end
    of that day: the database holds exactly the events up to then of a full build.
    """
    if size not in SIZES:
        raise ValueError(f"Unknown sample size {size!r}; choose one of {', '.join(SIZES)}.")
    report = progress or (lambda _message: None)
    sample = Sample(random.Random(seed), clock.today())
    restate_settings()
    if size == "small":
        build_small(sample)
        write_through_services(sample, report,
                               None if until is None else cut_off_moment(until))
    else:
        if until is not None:
            raise ValueError("Only the small sample can be stopped at a day.")
        build_large(sample)
        write_in_bulk(sample, report)
    return {model._meta.table_name: model.select().count() for model in ALL_MODELS}
