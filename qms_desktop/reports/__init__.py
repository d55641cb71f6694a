"""Printed documents: reportlab Platypus, DejaVu Sans embedded, repeatable bytes.

`styles` holds the named paragraph styles and the shared page frame (`ReportDocument`,
`PageSetup`) that every report builds on; `fonts` the typeface names.
"""

from qms_desktop.reports.reportlab_import import load_platypus

load_platypus()  # before any report module imports it

from qms_desktop.reports.policy_pdf import write_policy_pdf  # noqa: E402
from qms_desktop.reports.raci_pdf import write_raci_pdf  # noqa: E402

__all__ = ["write_policy_pdf", "write_raci_pdf"]
