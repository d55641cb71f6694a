"""The quality policy in force as one A4 page for the notice board (5.2.2).

Large type that reads from a distance; a long policy is shrunk to fit rather than spilling
onto a second page. The foot of the page carries the approval and a line for top
management to sign and date the printed copy.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Frame,
    FrameBreak,
    HRFlowable,
    KeepInFrame,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import _listWrapOn

from qms_desktop import clock, organisation, policy
from qms_desktop.models import DocumentVersion, Person, PersonRole, Role, is_live
from qms_desktop.reports import fonts, styles
from qms_desktop.reports.styles import PageSetup, ReportDocument, Target, escape, text

BULLETS = ("- ", "* ", "• ", "– ")
SIGNATURE_BLOCK_HEIGHT = 44 * mm
# Body type sizes in points: the largest that fits is used; below the smallest, it is scaled.
LARGEST_BODY_SIZE = 16.0
SMALLEST_BODY_SIZE = 9.0

ORGANISATION = styles.make_style("policy_organisation", fontSize=15, leading=19,
                             textColor=styles.MUTED_INK)
TITLE = styles.make_style("policy_title", fontName=fonts.BOLD, fontSize=36, leading=42,
                      textColor=styles.ACCENT, spaceBefore=2, spaceAfter=4)
META = styles.make_style("policy_meta", fontSize=10.5, leading=14, textColor=styles.MUTED_INK)
APPROVAL = styles.make_style("policy_approval", fontSize=10.5, leading=14)
SIGN_LABEL = styles.make_style("policy_sign_label", fontSize=10.5, leading=13)
SIGN_CAPTION = styles.make_style("policy_sign_caption", fontSize=8, leading=10,
                             textColor=styles.MUTED_INK)


def write_policy_pdf(
    path_or_file: Target,
    version: DocumentVersion | None = None,
    generated_at: dt.datetime | None = None,
) -> None:
    """Print `version` (the policy in force by default) on one A4 page.

    Pass `generated_at` to get the same bytes for the same data; otherwise it is now.
    Raises ValueError when no version is given and none is in force.
    """
    if version is None:
        version = policy.in_force()
    if version is None:
        raise ValueError(
            "No quality policy is in force: approve a version of the policy before printing it."
        )
    org = organisation.get_organisation()
    org_name = org.name if org is not None else ""
    document = version.document
    reference = f"{document.reference} " if document.reference else ""
    setup = PageSetup(
        organisation=org_name,
        title=f"{document.title} {reference}version {version.number}".strip(),
        generated_at=generated_at or clock.now(),
        draft=version.status == "draft",
        watermark="SUPERSEDED" if version.status == "superseded" else "",
        show_header=False,
        footer_note=f"{reference}version {version.number}" if reference else
        f"Version {version.number}",
        subject="Quality policy",
        left_margin=24 * mm,
        right_margin=24 * mm,
        top_margin=26 * mm,
        bottom_margin=20 * mm,
    )
    gap = 6 * mm
    main = Frame(setup.left_margin, setup.bottom_margin + SIGNATURE_BLOCK_HEIGHT + gap,
                 setup.frame_width, setup.frame_height - SIGNATURE_BLOCK_HEIGHT - gap,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="policy")
    signature = Frame(setup.left_margin, setup.bottom_margin, setup.frame_width,
                      SIGNATURE_BLOCK_HEIGHT, leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0, id="signature")
    story: list[Flowable] = []
    if org_name:
        story.append(text(org_name, ORGANISATION))
    story.append(text(document.title or "Quality policy", TITLE))
    story.append(text(_meta_line(version), META))
    story.append(HRFlowable(width="100%", thickness=1.2, color=styles.ACCENT,
                            spaceBefore=10, spaceAfter=16))
    story.append(_FittedBody(version.body))
    story.append(FrameBreak())
    story.extend(_signature_block(version, setup.frame_width))
    ReportDocument(path_or_file, setup, frames=[main, signature]).build(story)


def _meta_line(version: DocumentVersion) -> str:
    parts = []
    if version.document.reference:
        parts.append(version.document.reference)
    parts.append(f"Version {version.number}")
    if version.status == "approved" and version.approved_at:
        parts.append(f"In force since {styles.format_date(version.approved_at)}")
    elif version.status == "draft":
        parts.append("Draft, not approved")
    elif version.status == "superseded":
        parts.append("Superseded")
    return "  ·  ".join(parts)


def _body(body: str, size: float) -> list[Flowable]:
    """One paragraph per line of the policy; lines starting with "- " or "• " are bullets."""
    plain = styles.make_style(f"policy_body_{size}", fontSize=size, leading=size * 1.4,
                              spaceAfter=size * 0.6)
    bulleted = styles.make_style(f"policy_bullet_{size}", fontSize=size, leading=size * 1.4,
                                 spaceAfter=size * 0.35, leftIndent=size * 1.2,
                                 bulletIndent=size * 0.15, bulletFontSize=size)
    paragraphs: list[Flowable] = []
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        bullet = next((b for b in BULLETS if line.startswith(b)), None)
        if bullet:
            paragraphs.append(
                Paragraph(escape(line[len(bullet):].strip()), bulleted, bulletText="•")
            )
        else:
            paragraphs.append(text(line, plain))
    return paragraphs


class _FittedBody(Flowable):
    """The policy text at the largest type size that fits the space left on the page.

    Real sizes rather than scaling keep the lines filling the width; only a text too long
    even at SMALLEST_BODY_SIZE is scaled down further (KeepInFrame's shrink mode).
    """

    def __init__(self, body: str) -> None:
        super().__init__()
        self.body = body
        self.size = LARGEST_BODY_SIZE
        self._inner: KeepInFrame | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        canvas = getattr(self, "canv", None)
        size = LARGEST_BODY_SIZE
        while True:
            content = _body(self.body, size)
            _, height = _listWrapOn(content, avail_width, canvas)
            if height <= avail_height or size <= SMALLEST_BODY_SIZE:
                break
            size -= 0.5
        self.size = size
        self._inner = KeepInFrame(avail_width, avail_height, _body(self.body, size),
                                  mode="shrink")
        width, height = self._inner.wrapOn(canvas, avail_width, avail_height)
        return width, height

    def draw(self) -> None:
        assert self._inner is not None
        self._inner.drawOn(self.canv, 0, 0)


def _approver_role(person: Person) -> str:
    """The approver's top-management role, else their job title, else any role."""
    roles = list(
        Role.select()
        .join(PersonRole)
        .where(
            (PersonRole.person == person)
            & is_live(PersonRole, Role)
        )
        .order_by(Role.is_top_management.desc(), Role.title)
    )
    if roles and roles[0].is_top_management:
        return str(roles[0].title)
    if person.job_title:
        return str(person.job_title)
    return str(roles[0].title) if roles else ""


def _approval_text(version: DocumentVersion) -> str:
    person = version.approved_by
    if person is None:
        return "<b>Draft.</b> This version has not been approved and is not in force."
    who = f"<b>{escape(person.display_name())}</b>"
    role = _approver_role(person)
    if role:
        who += f", {escape(role)}"
    when = f", on {styles.format_date(version.approved_at)}" if version.approved_at else ""
    return f"Approved by {who}{when}."


def _signature_block(version: DocumentVersion, width: float) -> list[Flowable]:
    line_width = 0.6
    sign_col, date_col = 0.5 * width, 0.25 * width
    label_col = 17 * mm
    spacer_col = width - 2 * label_col - sign_col - date_col
    table = Table(
        [
            [Paragraph("Signed:", SIGN_LABEL), "", "", Paragraph("Date:", SIGN_LABEL), ""],
            ["", Paragraph("For top management", SIGN_CAPTION), "", "", ""],
        ],
        colWidths=[label_col, sign_col, spacer_col, label_col, date_col],
        rowHeights=[16 * mm, None],
        style=TableStyle([
            ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 10.5),
            ("LINEBELOW", (1, 0), (1, 0), line_width, styles.INK),
            ("LINEBELOW", (4, 0), (4, 0), line_width, styles.INK),
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 2),
            ("TOPPADDING", (0, 1), (-1, 1), 3),
        ]),
    )
    return [
        HRFlowable(width="100%", thickness=0.4, color=styles.RULE, spaceAfter=8),
        Paragraph(_approval_text(version), APPROVAL),
        Spacer(1, 2 * mm),
        table,
    ]
