"""The data of a review pack as plain values, so a closed review can be frozen as JSON.

Everything the pack prints comes from a `PackData`. An open review's PackData is assembled
from the records; a closed review's is read back from the snapshot stored when it closed,
which is why the same closed review always renders to the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
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
    # The SHA-256 of the JSON this data was read from (from_json), so a frozen pack prints
    # the fingerprint of its own snapshot; never part of the JSON itself.
    snapshot_sha256: str = ""

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
        return cls(**raw)


def _section(raw: dict[str, Any]) -> InputSection:
    raw = dict(raw)
    raw["tables"] = [Table(**t) for t in raw["tables"]]
    raw["charts"] = [Chart(**c) for c in raw["charts"]]
    return InputSection(**raw)


def _long_date(text: str) -> str:
    """A stored YYYY-MM-DD as "5 January 2026"; anything else as it is."""
    try:
        return formatting.long_date(dt.date.fromisoformat(text))
    except ValueError:
        return text
