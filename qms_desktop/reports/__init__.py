"""Printed documents: reportlab Platypus, DejaVu Sans embedded, repeatable bytes.

`styles` holds the named paragraph styles and the shared page frame (`ReportDocument`,
`PageSetup`) that every report builds on; `fonts` the typeface names.
"""

from qms_desktop.reports.policy_pdf import write_policy_pdf
from qms_desktop.reports.raci_pdf import write_raci_pdf

__all__ = ["write_policy_pdf", "write_raci_pdf"]
