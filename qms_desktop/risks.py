"""Risks and opportunities (6.1): the organisation's matrix, scores, bands and the heat map.

The matrix (3x3, 4x4 or 5x5, its labels and colour bands) is a business setting kept in the
database. Changing its size re-maps every score by a rule shown to the user first.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from qms_desktop import records
from qms_desktop.fields import strict_arguments
from qms_desktop.models import (
    EFFECTIVENESS,
    OPPORTUNITY_TREATMENTS,
    RISK_TREATMENTS,
    Organisation,
    Risk,
    database,
)

__all__ = ["EFFECTIVENESS", "OPPORTUNITY_TREATMENTS", "RISK_TREATMENTS"]
from qms_desktop.errors import ValidationError

MATRIX_SETTING = "risk_matrix"
SIZES = (3, 4, 5)

_DEFAULT_LABELS = {
    3: (["Unlikely", "Possible", "Likely"], ["Minor", "Moderate", "Major"]),
    4: (
        ["Rare", "Unlikely", "Likely", "Almost certain"],
        ["Minor", "Moderate", "Major", "Severe"],
    ),
    5: (
        ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
        ["Negligible", "Minor", "Moderate", "Major", "Severe"],
    ),
}


@dataclass(frozen=True)
class Band:
    label: str
    max_score: int  # a score belongs to the first band whose max_score it does not exceed
    colour: str  # "#rrggbb"


@strict_arguments
def default_bands(size: int) -> list[Band]:
    top = size * size
    return [
        Band("Low", round(top * 0.16), "#5cb85c"),
        Band("Medium", round(top * 0.40), "#f0c419"),
        Band("High", round(top * 0.64), "#f0883e"),
        Band("Critical", top, "#d9534f"),
    ]


# Opportunities take one cool scale, deepest for the best, instead of the bands' traffic
# lights: a red "Critical" cell would read as a threat to a good prospect.
OPPORTUNITY_COLOURS = ("#d4ecf7", "#93cde8", "#4aa3d1", "#1f6fa8")


@dataclass
class RiskMatrix:
    size: int = 5
    likelihood_labels: list[str] = field(default_factory=lambda: list(_DEFAULT_LABELS[5][0]))
    impact_labels: list[str] = field(default_factory=lambda: list(_DEFAULT_LABELS[5][1]))
    bands: list[Band] = field(default_factory=lambda: default_bands(5))

    @classmethod
    def default(cls, size: int = 5) -> RiskMatrix:
        likelihood, impact = _DEFAULT_LABELS[size]
        return cls(size, list(likelihood), list(impact), default_bands(size))

    def problems(self) -> dict[str, str]:
        found = {}
        if self.size not in SIZES:
            found["size"] = "The matrix is 3x3, 4x4 or 5x5."
        if len(self.likelihood_labels) != self.size or not all(self.likelihood_labels):
            found["likelihood_labels"] = f"Give {self.size} likelihood labels."
        if len(self.impact_labels) != self.size or not all(self.impact_labels):
            found["impact_labels"] = f"Give {self.size} impact labels."
        limits = [b.max_score for b in self.bands]
        if not self.bands or limits != sorted(limits) or len(set(limits)) != len(limits):
            found["bands"] = "Bands must rise in order, each with a higher top score."
        elif limits[-1] != self.size * self.size:
            found["bands"] = f"The last band must reach the top score, {self.size * self.size}."
        return found

    def score(self, likelihood: int | None, impact: int | None) -> int | None:
        if likelihood is None or impact is None:
            return None
        return likelihood * impact

    def band(self, score: int | None) -> Band | None:
        if score is None:
            return None
        return next((b for b in self.bands if score <= b.max_score), self.bands[-1])

    def colour(self, score: int | None, kind: str = "risk") -> str | None:
        """The colour a score shows in: its band's for a risk, the opportunity scale's step at
        the same height for an opportunity."""
        band = self.band(score)
        if band is None:
            return None
        if kind != "opportunity":
            return band.colour
        steps = len(OPPORTUNITY_COLOURS) - 1
        height = self.bands.index(band) / max(len(self.bands) - 1, 1)
        return OPPORTUNITY_COLOURS[round(height * steps)]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> RiskMatrix:
        data = json.loads(text)
        data["bands"] = [Band(**b) for b in data["bands"]]
        return cls(**data)


@strict_arguments
def load_matrix() -> RiskMatrix:
    text = records.get_setting(MATRIX_SETTING)
    if text:
        return RiskMatrix.from_json(text)
    organisation = Organisation.select().get_or_none()
    size = organisation.risk_matrix_size if organisation else 5
    return RiskMatrix.default(size if size in SIZES else 5)


@strict_arguments
def remap_value(value: int, old_size: int, new_size: int) -> int:
    """Map 1..old onto 1..new keeping both ends: the lowest stays lowest, the highest highest."""
    if old_size == new_size:
        return value
    exact = Decimal(value - 1) * Decimal(new_size - 1) / Decimal(old_size - 1) + 1
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@strict_arguments
def remap_preview(new_size: int) -> tuple[dict[int, int], int]:
    """What changing the size would do: old value -> new value, and how many risks change."""
    old_size = load_matrix().size
    mapping = {v: remap_value(v, old_size, new_size) for v in range(1, old_size + 1)}
    affected = Risk.select().where(
        Risk.likelihood.is_null(False)
        | Risk.impact.is_null(False)
        | Risk.residual_likelihood.is_null(False)
        | Risk.residual_impact.is_null(False)
    ).count()
    return mapping, affected


@strict_arguments
def save_matrix(matrix: RiskMatrix, read: RiskMatrix | None = None) -> int:
    """Store the matrix; a new size re-maps every score in the same transaction.

    Returns how many risks were re-mapped. `read`: the matrix as the form read it (None: as
    stored now). When someone saved another matrix since, RecordChanged and nothing
    written: the form's matrix would replace theirs, and a new size would re-map scores
    from a size they are no longer in.
    """
    problems = matrix.problems()
    if problems:
        raise ValidationError(problems)
    changed = 0
    with database.atomic():
        records.take_turn()  # first: the matrix read here stays the stored one to the end
        old = load_matrix()
        if read is not None and old != read:
            raise records.setting_changed(MATRIX_SETTING)
        if matrix.size != old.size:
            for risk in Risk.select():
                values: dict[str, Any] = {}
                for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
                    value = getattr(risk, name)
                    if value is not None:
                        values[name] = remap_value(value, old.size, matrix.size)
                if values:
                    records.update(risk, **values)
                    changed += 1
            organisation = Organisation.select().get_or_none()
            if organisation is not None:
                records.update(organisation, risk_matrix_size=matrix.size)
        records.set_setting(MATRIX_SETTING, matrix.to_json())
    return changed


@strict_arguments
def validate_scores(values: dict[str, object], matrix: RiskMatrix | None = None) -> dict[str, str]:
    """Register-form check: scores within the matrix, residual set only with a treatment."""
    matrix = matrix or load_matrix()
    problems = {}
    for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
        value = values.get(name)
        if value not in (None, "") and not (1 <= int(str(value)) <= matrix.size):
            problems[name] = f"Use 1 to {matrix.size} (the matrix is {matrix.size}x{matrix.size})."
    kind = values.get("kind")
    treatment = values.get("treatment") or ""
    allowed = dict(OPPORTUNITY_TREATMENTS if kind == "opportunity" else RISK_TREATMENTS)
    if treatment and treatment not in allowed:
        problems["treatment"] = "Choose a treatment that fits " \
                                f"{'an opportunity' if kind == 'opportunity' else 'a risk'}."
    return problems


# --- Heat map -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatMap:
    size: int
    inherent: dict[tuple[int, int], int]  # (likelihood, impact) -> count
    residual: dict[tuple[int, int], int]


@strict_arguments
def heat_map(kind: str = "risk") -> HeatMap:
    matrix = load_matrix()
    query = (
        Risk.live(Risk.likelihood, Risk.impact, Risk.residual_likelihood, Risk.residual_impact)
        .where(Risk.kind == kind)
    )
    inherent: Counter[tuple[int, int]] = Counter()
    residual: Counter[tuple[int, int]] = Counter()
    # Thousands of rows of plain integers: read them from the cursor, with nothing to convert.
    # The query's own database: the models may be bound to records as of a day (as_of.py).
    for likelihood, impact, r_likelihood, r_impact in Risk._meta.database.execute(query):
        if likelihood and impact:
            inherent[(likelihood, impact)] += 1
            # Untreated risks stay where they were.
            residual[(r_likelihood or likelihood, r_impact or impact)] += 1
    return HeatMap(matrix.size, dict(inherent), dict(residual))


@strict_arguments
def cell_filter(likelihood: int, impact: int, residual: bool = False) -> object:
    """A peewee condition selecting the risks in one heat-map cell."""
    if not residual:
        return (Risk.likelihood == likelihood) & (Risk.impact == impact)
    from peewee import fn

    return (fn.COALESCE(Risk.residual_likelihood, Risk.likelihood) == likelihood) & (
        fn.COALESCE(Risk.residual_impact, Risk.impact) == impact
    )
