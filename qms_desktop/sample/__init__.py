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

The package: `data` holds the fixed tables, `timeline` builds the firm's history in memory,
`writer` puts it into the database; `fill_sample` is the one way in.
"""

from __future__ import annotations

import random

from qms_desktop import clock
from qms_desktop.models import ALL_MODELS
from qms_desktop.sample.timeline import Sample, build_large, build_small
from qms_desktop.sample.writer import (
    Progress,
    freeze_closed_reviews,
    restate_settings,
    write_in_bulk,
    write_through_services,
)

SIZES = ("small", "large")


def fill_sample(
    size: str = "small", seed: int = 1, progress: Progress | None = None
) -> dict[str, int]:
    """Fill the open, migrated, empty database with the sample company; row counts per table.

    The caller opens the store (`db.open_database`) and checks it is empty first.
    """
    if size not in SIZES:
        raise ValueError(f"Unknown sample size {size!r}; choose one of {', '.join(SIZES)}.")
    report = progress or (lambda _message: None)
    sample = Sample(random.Random(seed), clock.today())
    restate_settings()
    if size == "small":
        build_small(sample)
        write_through_services(sample, report)
        report("Review packs")
        freeze_closed_reviews(sample)
    else:
        build_large(sample)
        write_in_bulk(sample, report)
    return {model._meta.table_name: model.select().count() for model in ALL_MODELS}
