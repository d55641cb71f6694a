"""The clause catalogue: what the product knows of ISO 9001, in our own words, in one place.

An organisation picks an edition; items marked for one edition only are shown only there.
"""

from __future__ import annotations

from dataclasses import dataclass

BOTH = ("2015", "2026")


@dataclass(frozen=True)
class Clause:
    number: str
    title: str
    editions: tuple[str, ...] = BOTH


CLAUSES: tuple[Clause, ...] = (
    Clause("4", "Context of the organisation"),
    Clause("4.1", "Issues that affect the organisation"),
    Clause("4.2", "Interested parties and their requirements"),
    Clause("4.3", "Scope of the quality system"),
    Clause("4.4", "Processes"),
    Clause("5", "Leadership"),
    Clause("5.1", "Leadership and commitment"),
    Clause("5.1.2", "Customer focus"),
    Clause("5.2", "Quality policy"),
    Clause("5.3", "Roles, responsibilities and authorities"),
    Clause("6", "Planning"),
    Clause("6.1", "Risks and opportunities"),
    Clause("6.2", "Quality objectives"),
    Clause("6.3", "Planning of changes"),
    Clause("7", "Support"),
    Clause("7.1", "Resources"),
    Clause("7.1.5", "Monitoring and measuring resources"),
    Clause("7.1.6", "Organisational knowledge"),
    Clause("7.2", "Competence"),
    Clause("7.3", "Awareness"),
    Clause("7.4", "Communication"),
    Clause("7.5", "Documented information"),
    Clause("8", "Operation"),
    Clause("8.1", "Operational planning and control"),
    Clause("8.2", "Requirements for products and services"),
    Clause("8.3", "Design and development"),
    Clause("8.4", "Externally provided processes, products and services"),
    Clause("8.5", "Production and service provision"),
    Clause("8.5.1", "Control of production and service provision"),
    Clause("8.5.2", "Identification and traceability"),
    Clause("8.5.3", "Property belonging to customers or external providers"),
    Clause("8.5.4", "Preservation"),
    Clause("8.5.5", "Post-delivery activities"),
    Clause("8.5.6", "Control of changes"),
    Clause("8.6", "Release of products and services"),
    Clause("8.7", "Control of nonconforming outputs"),
    Clause("9", "Performance evaluation"),
    Clause("9.1.2", "Customer satisfaction"),
    Clause("9.2", "Internal audit"),
    Clause("9.3", "Management review"),
    Clause("10", "Improvement"),
    Clause("10.2", "Nonconformity and corrective action"),
    Clause("10.3", "Continual improvement"),
)

CLAUSES_BY_NUMBER = {c.number: c for c in CLAUSES}

# The top-level clauses the readiness overview is grouped by.
CLAUSE_GROUPS: tuple[tuple[str, str], ...] = tuple(
    (c.number, c.title.split(" of ")[0] if c.number == "4" else c.title)
    for c in CLAUSES if "." not in c.number
)


def clause_title(number: str) -> str:
    found = CLAUSES_BY_NUMBER.get(number)
    return found.title if found else ""


@dataclass(frozen=True)
class Duty:
    """One of the five responsibilities top management must assign (5.3)."""

    key: str
    clause: str
    title: str
    explanation: str
    gap_phrase: str  # completes "nobody is assigned to ..."


DUTIES: tuple[Duty, ...] = (
    Duty(
        "conformity",
        "5.3 a",
        "The quality system meets ISO 9001",
        "Someone makes sure the system keeps conforming to the standard.",
        "make sure the quality system conforms to ISO 9001",
    ),
    Duty(
        "process_outputs",
        "5.3 b",
        "Processes deliver their intended outputs",
        "Someone makes sure each process produces what it is meant to.",
        "make sure processes deliver their intended outputs",
    ),
    Duty(
        "reporting",
        "5.3 c",
        "Performance is reported to top management",
        "Someone reports how the system performs, and where it could improve, to top "
        "management.",
        "report performance and improvement opportunities to top management",
    ),
    Duty(
        "customer_focus",
        "5.3 d",
        "Customer focus is promoted",
        "Someone promotes customer focus throughout the organisation.",
        "promote customer focus",
    ),
    Duty(
        "integrity_during_change",
        "5.3 e",
        "The system stays intact during change",
        "Someone makes sure the system keeps working while changes are planned and made.",
        "keep the quality system intact during changes",
    ),
)

DUTIES_BY_KEY = {d.key: d for d in DUTIES}


@dataclass(frozen=True)
class PolicyPoint:
    """One thing a quality policy must do (5.2.1), checked on each draft."""

    key: str
    title: str
    question: str


POLICY_POINTS: tuple[PolicyPoint, ...] = (
    PolicyPoint(
        "purpose",
        "Fits the purpose and context",
        "Does the policy suit what the organisation does and where it operates, and "
        "support its strategy?",
    ),
    PolicyPoint(
        "objectives_framework",
        "Framework for objectives",
        "Does it give a frame from which measurable quality objectives can be set?",
    ),
    PolicyPoint(
        "requirements",
        "Commits to meeting requirements",
        "Does it promise to meet the requirements that apply (customer, legal, other)?",
    ),
    PolicyPoint(
        "improvement",
        "Commits to continual improvement",
        "Does it promise to keep improving the quality management system?",
    ),
)

POLICY_POINTS_BY_KEY = {p.key: p for p in POLICY_POINTS}


@dataclass(frozen=True)
class ReviewInputSpec:
    """A required input of the management review (9.3.2), in the order the pack shows them."""

    code: str
    title: str
    reads: str  # where the data comes from, shown when an input has none
    editions: tuple[str, ...] = BOTH


REVIEW_INPUTS: tuple[ReviewInputSpec, ...] = (
    ReviewInputSpec("a", "Actions from previous reviews", "actions decided at earlier reviews"),
    ReviewInputSpec("b", "Changes in external and internal issues", "the context register"),
    ReviewInputSpec(
        "b2",
        "Changes in interested parties' needs and expectations",
        "interested parties and their requirements",
        editions=("2026",),
    ),
    ReviewInputSpec("c1", "Customer satisfaction and feedback", "customer feedback and surveys"),
    ReviewInputSpec("c2", "How far quality objectives were met", "objectives and their KPIs"),
    ReviewInputSpec("c3", "Process performance and conformity of products and services",
                    "KPI readings and nonconformities by process"),
    ReviewInputSpec("c4", "Nonconformities and corrective actions", "the nonconformity register"),
    ReviewInputSpec("c5", "Monitoring and measurement results",
                    "KPI readings and instrument calibration"),
    ReviewInputSpec("c6", "Audit results", "internal audits held"),
    ReviewInputSpec("c7", "Performance of external providers", "supplier evaluations"),
    ReviewInputSpec("d", "Adequacy of resources",
                    "resource decisions and adequacy statements"),
    ReviewInputSpec("e", "Effectiveness of actions on risks and opportunities",
                    "risks and opportunities with their actions"),
    ReviewInputSpec("f", "Opportunities for improvement",
                    "opportunities, suggestions and audit observations"),
)


def review_inputs(edition: str) -> tuple[ReviewInputSpec, ...]:
    return tuple(spec for spec in REVIEW_INPUTS if edition in spec.editions)
