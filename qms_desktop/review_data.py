"""The data of a review pack as plain values, so a closed review can be frozen as JSON.

Everything the pack prints comes from a `PackData`. An open review's PackData is assembled
from the records; a closed review's is read back from the snapshot stored when it closed,
which is why the same closed review always renders to the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from qms_desktop import formatting


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    # Per-row status words ("overdue", "failing"...) the renderer may colour; same length as rows.
    marks: list[str] = field(default_factory=list)
    # The readable reference of the record each row comes from ("" for a row from none),
    # printed in a first column; same length as rows, or empty (packs made before them).
    references: list[str] = field(default_factory=list)

    def cites(self) -> bool:
        return any(self.references)


@dataclass
class CitedRecord:
    """A record the pack cites, for its index: the renderer adds where each is cited."""

    reference: str
    kind: str
    title: str


@dataclass
class Chart:
    """A chart as numbers: the PDF draws it with reportlab.graphics, the HTML as inline SVG."""

    kind: str  # "line", "bar", "heatmap"
    title: str
    labels: list[str]  # x-axis categories (periods), or heat-map impact labels
    series: dict[str, list[float | None]]  # name -> values (None = missing period)
    unit: str = ""
    target: float | None = None
    warning: float | None = None
    failure: float | None = None
    # Heat maps: size and counts per cell "likelihood,impact" for before and after treatment.
    size: int = 0
    cells_before: dict[str, int] = field(default_factory=dict)
    cells_after: dict[str, int] = field(default_factory=dict)
    band_colours: dict[str, str] = field(default_factory=dict)  # "likelihood,impact" -> #rrggbb


# Which way a measure is better: fewer nonconformities, a higher satisfaction score; ""
# where more or fewer is neither (feedback received, audits held).
HIGHER, LOWER, NEITHER = "higher", "lower", ""
NO_EARLIER_DATA = "No earlier data"


@dataclass
class Comparison:
    """One measure of an input in this review period and in the previous one of the same
    length. A value is None where there is nothing to measure (a rate of nothing), and the
    previous one also where the register holds no records that early."""

    measure: str
    current: float | None
    previous: float | None
    current_text: str
    previous_text: str
    better: str = NEITHER
    # False when the register holds no record dated in or before the previous period:
    # its zeros would not be real, so the pack says there is no earlier data.
    previous_known: bool = True
    # True when the register began within the previous period: its figure covers only part
    # of it, so no better or worse is read into the difference.
    previous_partial: bool = False

    @property
    def direction(self) -> str:
        """ "better", "worse", "same", "up", "down" or "" when it cannot be told."""
        if (not self.previous_known or self.previous_partial or self.current is None
                or self.previous is None):
            return ""
        if round(self.current, 6) == round(self.previous, 6):
            return "same"
        rose = self.current > self.previous
        if self.better == NEITHER:
            return "up" if rose else "down"
        return "better" if rose == (self.better == HIGHER) else "worse"

    def change_words(self) -> str:
        """The change in words with an arrow for the way the figure moved: "Better ↓" for
        fewer nonconformities, "Worse ↓" for a lower score, "Up ↑" where neither is better."""
        if not self.previous_known:
            return NO_EARLIER_DATA
        if self.previous_partial:
            return "Not comparable"
        direction = self.direction
        if not direction:
            return "Cannot be compared"
        if direction == "same":
            return "Same"
        arrow = "↑" if self.current is not None and self.previous is not None and \
            self.current > self.previous else "↓"
        return f"{direction.capitalize()} {arrow}"


@dataclass
class InputSection:
    code: str
    title: str
    has_data: bool
    empty_reason: str = ""
    summary: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    commentary: str = ""
    conclusion: str = ""
    # This period against the previous one of the same length (inputs c1 to c7); empty on
    # the other inputs and on packs made before it.
    comparison: list[Comparison] = field(default_factory=list)

    def comparison_table(self, previous_label: str) -> Table | None:
        """The comparison as the pack prints it, worse rows marked; None without one."""
        if not self.comparison:
            return None
        rows = [[c.measure, c.current_text,
                 c.previous_text if c.previous_known else "No records",
                 c.change_words()] for c in self.comparison]
        marks = ["warning" if c.direction == "worse" else "" for c in self.comparison]
        return Table(f"Against the previous period ({previous_label})",
                     ["Measure", "This period", "Previous period", "Change"], rows, marks)

    def no_earlier_data(self) -> bool:
        """True when none of the comparison's measures has a previous period to show."""
        return bool(self.comparison) and not any(c.previous_known for c in self.comparison)

    def comparison_note(self, previous_label: str) -> str:
        """What the pack says instead of a table of zeros when nothing was recorded as early
        as the previous period; "" otherwise."""
        if not self.no_earlier_data():
            return ""
        return (f"No comparison with the previous period ({previous_label}): nothing was "
                "recorded that early in the registers this input reads.")


@dataclass
class Attendee:
    name: str
    role: str
    present: bool
    top_management: bool
    # The title of their top-management role ("Managing Director"); "" for everyone else.
    title: str = ""

    def name_line(self) -> str:
        """ "Aoife Byrne, Managing Director" for top management, else the name; the title is
        not repeated where the role beside it already says it."""
        if not self.title or self.title.casefold() == self.role.strip().casefold():
            return self.name
        return f"{self.name}, {self.title}"


@dataclass
class Finding:
    clause: str
    severity: str  # "gap" or "attention"
    text: str
    # The same finding in two packs has the same key even when its counts, names or dates
    # differ ("two risks past their review date", "three risks ..."); packs made before
    # the key get it from their text when read back.
    key: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            self.key = finding_key(self.clause, self.text)


_NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|\d[\d,.]*"
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|"
           "November|December")
_SAME_WORD = {"people": "person", "are": "is", "have": "has", "break": "breaks",
              "were": "was"}


def finding_key(clause: str, text: str) -> str:
    """A readiness finding's key: its clause and its words without the counts, dates,
    versions and bracketed lists that change from one pack to the next, each word in the
    singular. Findings about a named record (an objective, a KPI) keep the name."""
    words = text.strip()
    if words.startswith(f"{clause}:"):
        words = words[len(clause) + 1:]
    words = re.sub(r"\([^)]*\)", " ", words)
    words = re.sub(rf"\b\d{{1,2}} ({_MONTHS}) \d{{4}}\b", " date ", words)
    words = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", " date ", words)
    words = re.sub(r"\bv\d+\b", " version ", words)
    words = re.sub(rf"\b({_NUMBER_WORDS})\b", " # ", words, flags=re.IGNORECASE)
    tokens = []
    for token in re.findall(r"[\w#'-]+", words.casefold()):
        token = _SAME_WORD.get(token, token)
        if len(token) > 3 and token.endswith("ies"):
            token = token[:-3] + "y"
        elif token.endswith(("sses", "ches", "shes", "xes")):
            token = token[:-2]
        elif len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        tokens.append(token)
    return f"{clause}:" + " ".join(tokens)


@dataclass
class PackData:
    organisation: str
    edition: str
    scope: str
    review_title: str
    meeting_on: str
    period_start: str
    period_end: str
    place: str
    chair: str
    minute_taker: str
    status: str
    attendees: list[Attendee]
    inputs: list[InputSection]
    policy_version: str
    policy_text: str
    policy_approval: str
    duties: list[list[str]]  # [clause, duty, holder]
    decisions: Table
    conclusion: dict[str, str]
    next_review_on: str
    distribution: list[str]
    readiness: list[Finding]
    leadership: Table
    leadership_warning: str
    pack_version: int
    generated_at: str
    is_draft: bool
    # The change history's chain head when the review closed (history_chain.py); a frozen
    # pack prints it on its sign-off page. Empty on drafts and on packs frozen before it.
    chain_head: str = ""
    # The day the figures are as of (YYYY-MM-DD), the day the record was closed, and on a
    # reconstruction the label printed on every page; empty on packs made before them.
    figures_as_of: str = ""
    closed_on: str = ""
    reconstruction: str = ""
    # The chair's top-management title as of the figures' day; "" when not top management.
    chair_title: str = ""
    # Signed closure (a frozen pack only): the signer, their top-management title, what the
    # signature means and when it was given (UTC, as written on the sign-off page).
    signed_by: str = ""
    signed_title: str = ""
    signature_meaning: str = ""
    signed_at: str = ""
    # Recorded at closing: what the closing check flagged (contradictions and warnings) and
    # the signer's reason for closing despite the contradictions.
    closing_flags: list[str] = field(default_factory=list)
    closing_reason: str = ""
    # The SHA-256 of the JSON this data was read from (from_json), so a frozen pack prints
    # the fingerprint of its own snapshot; never part of the JSON itself.
    snapshot_sha256: str = ""
    # The previous period of the same length the inputs c1 to c7 compare with (YYYY-MM-DD);
    # empty on packs made before it.
    previous_period_start: str = ""
    previous_period_end: str = ""
    # Every record a table row cites, by reference, for the index at the end of the pack;
    # empty on packs made before references.
    cited: list[CitedRecord] = field(default_factory=list)

    def chair_line(self) -> str:
        """ "Aoife Byrne, Managing Director"; the name alone without a title."""
        return f"{self.chair}, {self.chair_title}" if self.chair and self.chair_title \
            else self.chair

    def signer_line(self) -> str:
        """ "Aoife Byrne, Managing Director"."""
        return f"{self.signed_by}, {self.signed_title}" if self.signed_title else self.signed_by

    def dates_line(self) -> str:
        """The meeting, the closing and the figures' dates, for a record closed after its
        cut-off day ("" otherwise): the cover says the figures are not of the closing day."""
        if not (self.closed_on and self.figures_as_of and self.closed_on > self.figures_as_of):
            return ""
        return (f"Meeting {_long_date(self.meeting_on)} · record closed "
                f"{_long_date(self.closed_on)} · figures as of {_long_date(self.figures_as_of)}")

    def previous_period_label(self) -> str:
        """ "1 January 2025 to 31 December 2025"."""
        return (f"{_long_date(self.previous_period_start)} to "
                f"{_long_date(self.previous_period_end)}")

    def content_sha256(self) -> str:
        """The fingerprint of what a draft prints, whatever its version and the moment it
        was made: two exports of the same content share it (their version with it)."""
        values = asdict(self)
        for moving in ("generated_at", "pack_version", "figures_as_of", "snapshot_sha256",
                       "chain_head"):
            del values[moving]
        text = json.dumps(values, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def to_json(self) -> str:
        values = asdict(self)
        del values["snapshot_sha256"]
        return json.dumps(values, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PackData:
        raw: dict[str, Any] = json.loads(text)
        raw["snapshot_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        raw["attendees"] = [Attendee(**a) for a in raw["attendees"]]
        raw["inputs"] = [_section(s) for s in raw["inputs"]]
        raw["decisions"] = Table(**raw["decisions"])
        raw["readiness"] = [Finding(**f) for f in raw["readiness"]]
        raw["leadership"] = Table(**raw["leadership"])
        raw["cited"] = [CitedRecord(**c) for c in raw.get("cited", [])]
        return cls(**raw)


def _section(raw: dict[str, Any]) -> InputSection:
    raw = dict(raw)
    raw["tables"] = [Table(**t) for t in raw["tables"]]
    raw["charts"] = [Chart(**c) for c in raw["charts"]]
    raw["comparison"] = [Comparison(**c) for c in raw.get("comparison", [])]
    return InputSection(**raw)


def _long_date(text: str) -> str:
    """A stored YYYY-MM-DD as "5 January 2026"; anything else as it is."""
    try:
        return formatting.long_date(dt.date.fromisoformat(text))
    except ValueError:
        return text
