"""Bringing registers kept in spreadsheets into the records: read, match, check, write all or none.

    plan = Import(path)               # reads the file (Unreadable: one plain message)
    outcome = plan.check()            # every problem by row and column, nothing kept
    outcome = plan.apply()            # all rows written, or none and the problems
    save_problems(path, outcome.problems, plan, out)   # the problems beside their rows

No Qt here: the command line and the window share every step.
"""

from qms_desktop.importing.files import save_problems, write_template
from qms_desktop.importing.plan import Import, Outcome, Problem, SheetPlan
from qms_desktop.importing.reading import MAX_ROWS, Unreadable
from qms_desktop.importing.targets import Target, find_target, targets

__all__ = [
    "MAX_ROWS",
    "Import",
    "Outcome",
    "Problem",
    "SheetPlan",
    "Target",
    "Unreadable",
    "find_target",
    "save_problems",
    "targets",
    "write_template",
]
