"""Flags raised at closing: conclusions that the review's own inputs contradict.

The closing check (reviews.closing_check) stops a review that is incomplete. These flags do
not stop it: a review may close with no audit in its period, or with a readiness gap that no
decision answers, but an auditor reading the record will ask why. The signer gives the reason,
and the frozen pack prints each flag with it on its sign-off page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qms_desktop.review_data import PackData

# A decision that answers a readiness gap rather than a record names the gap's clause:
# answers_table READINESS, answers_id the clause ("7.1.5").
READINESS = "readiness"


def contradictions(data: PackData, answered_clauses: Iterable[str]) -> list[str]:
    """What the assembled pack shows that its conclusion does not answer, one sentence each.

    `answered_clauses`: the clauses of readiness gaps that a decision of the review answers.
    """
    flags: list[str] = []
    sections = {section.code: section for section in data.inputs}
    audits = sections.get("c6")
    if audits is not None and not audits.has_data:
        flags.append("Input c6 shows no internal audit held in the period, yet the review "
                     "concludes on the effectiveness of the system.")
    answered = set(answered_clauses)
    for finding in data.readiness:
        if finding.severity == "gap" and finding.clause not in answered:
            flags.append(f"Readiness gap {_sentence(finding.text)} No decision answers it.")
    return flags


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
