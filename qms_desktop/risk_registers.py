"""The register of risks and opportunities (6.1) as a declaration over `Risk`.

Scores are computed columns (likelihood × impact) so they sort and page like fields; their
cells carry the band of the organisation's matrix as it is when the page is read. The
likelihood and impact choices follow the matrix too: they are asked for when a form is built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qms_desktop import clock, risks
from qms_desktop.models import Action, Risk
from qms_desktop.registers import Column, Filter, FormField, Register

# Both kinds' treatments in one list: the screen offers only those of the record's kind, and
# `risks.validate_scores` refuses a treatment of the other kind.
ALL_TREATMENTS = risks.RISK_TREATMENTS + risks.OPPORTUNITY_TREATMENTS
TREATMENT_LABELS = dict(ALL_TREATMENTS)
EFFECTIVENESS_LABELS = dict(risks.EFFECTIVENESS)
SCORED = ("likelihood", "impact", "residual_likelihood", "residual_impact")


def treatments_for(kind: str) -> tuple[tuple[str, str], ...]:
    return risks.OPPORTUNITY_TREATMENTS if kind == "opportunity" else risks.RISK_TREATMENTS


def score_text(score: int | None, matrix: risks.RiskMatrix) -> str:
    """"20 · Critical": the score with the band it falls in; "" when not scored."""
    band = matrix.band(score)
    if score is None or band is None:
        return ""
    return f"{score} · {band.label}"


def _score_formatter() -> Callable[[Any], str]:
    matrix = risks.load_matrix()  # once per page, not once per row
    return lambda value: score_text(None if value is None else int(value), matrix)


def _label_formatter(labels: dict[str, str]) -> Callable[[Any], str]:
    return lambda value: labels.get(value, value or "") if value is not None else ""


def likelihood_choices() -> list[tuple[str, str]]:
    labels = risks.load_matrix().likelihood_labels
    return [(str(number), f"{number} · {label}") for number, label in enumerate(labels, 1)]


def impact_choices() -> list[tuple[str, str]]:
    labels = risks.load_matrix().impact_labels
    return [(str(number), f"{number} · {label}") for number, label in enumerate(labels, 1)]


def inherent_score() -> Any:
    return Risk.likelihood * Risk.impact


def residual_score() -> Any:
    return Risk.residual_likelihood * Risk.residual_impact


def high_threshold(matrix: risks.RiskMatrix) -> int:
    """Scores above this are in the two highest bands ("high and critical" by default)."""
    bands = matrix.bands
    if len(bands) >= 3:
        return bands[-3].max_score
    return bands[0].max_score if len(bands) == 2 else 0


def _high_and_critical() -> Any:
    return inherent_score() > high_threshold(risks.load_matrix())


def _review_overdue() -> Any:
    return Risk.next_review_on < clock.today()


def _without_actions() -> Any:
    raised = Action.live(Action.source_id).where(
        Action.source_table == Risk._meta.table_name
    )
    return Risk.id.not_in(raised)


def risk_problems(values: dict[str, Any]) -> dict[str, str]:
    """The matrix and treatment checks, and scores given in pairs."""
    problems = risks.validate_scores(values)
    pairs = (("likelihood", "impact"), ("residual_likelihood", "residual_impact"))
    for first, second in pairs:
        given_first = values.get(first) not in (None, "")
        given_second = values.get(second) not in (None, "")
        if given_first and not given_second:
            problems.setdefault(second, "Rate both likelihood and impact, or neither.")
        elif given_second and not given_first:
            problems.setdefault(first, "Rate both likelihood and impact, or neither.")
    residual_given = any(values.get(name) not in (None, "") for name in SCORED[2:])
    if residual_given and not values.get("treatment"):
        problems.setdefault(
            "treatment", "Choose the treatment that brings it to the residual score."
        )
    return problems


def _empty_texts(values: dict[str, Any]) -> dict[str, Any]:
    # The form's "none" choice reads as None; these columns store "" for "not chosen".
    values = dict(values)
    for name in ("treatment", "effectiveness"):
        if name in values and values[name] is None:
            values[name] = ""
    return values


RISKS = Register(
    key="risks",
    title="Risks and opportunities",
    singular="risk",
    model=Risk,
    clause="6.1",
    description="What could stop the system achieving its intended results, and what could "
    "help it: rated on the matrix, treated in proportion, checked that the treatment worked.",
    columns=(
        Column("kind"),
        Column("title"),
        Column("process.name", "Process"),
        Column("owner.full_name", "Owner"),
        Column("score", "Score", expression=inherent_score, formatter=_score_formatter),
        Column("treatment", "Treatment", format=_label_formatter(TREATMENT_LABELS)),
        Column("residual_score", "Residual", expression=residual_score,
               formatter=_score_formatter),
        Column("next_review_on", "Next review"),
        Column("effectiveness", "Effectiveness", format=_label_formatter(EFFECTIVENESS_LABELS)),
        Column("reference"),
    ),
    search=("reference", "title", "process.name", "owner.full_name"),
    filters=(
        Filter("risks", "Risks", lambda: Risk.kind == "risk"),
        Filter("opportunities", "Opportunities", lambda: Risk.kind == "opportunity"),
        Filter("review_overdue", "Review overdue", _review_overdue),
        Filter("high", "High and critical", _high_and_critical),
        Filter("no_actions", "No actions", _without_actions),
    ),
    form=(
        FormField("kind"),
        FormField("title"),
        FormField("description", hint="What could happen, and what would follow"),
        FormField("source_issue", hint="The context issue (4.1) it comes from"),
        FormField("source_party", hint="The interested party (4.2) it comes from"),
        FormField("process"),
        FormField("owner"),
        FormField("likelihood", choices=likelihood_choices),
        FormField("impact", choices=impact_choices),
        FormField("treatment", choices=ALL_TREATMENTS),
        FormField("residual_likelihood", choices=likelihood_choices,
                  hint="After the treatment"),
        FormField("residual_impact", choices=impact_choices),
        FormField("next_review_on"),
        FormField("effectiveness", choices=risks.EFFECTIVENESS,
                  hint="Did the treatment work? (6.1.2, 9.1.3 e)"),
    ),
    validate=risk_problems,
    before_save=_empty_texts,
)

