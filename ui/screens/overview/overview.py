"""The Overview: readiness by clause for the owner who has ten minutes.

Each clause from 4 to 10 shows its status (sound, attention, gap) and the reasons in plain
words; each reason is a link to the screen that fixes it. Above them: overdue actions, the
next management review, and whether top management's own hand shows in the records.
"""

from __future__ import annotations

import datetime as dt
import html
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import clock, formatting
from qms_desktop.clauses import CLAUSE_GROUPS
from ui.kit.header import SCREEN_MARGINS, ScreenHeader, muted, title_font
from ui.kit.icons import icon
from ui.kit.live import EVERY_TABLE, ChangeSource, follow_changes
from ui.kit.theme import error_color, tone_colours
from ui.screens.overview.getting_started import GettingStartedCard

if TYPE_CHECKING:
    from qms_desktop.readiness import ClauseStatus

CARD_STYLE = """
QFrame#figureCard, QFrame#clauseCard {
    background: palette(base);
    border: 1px solid palette(mid);
    border-radius: 8px;
}
"""

# Readiness severities (qms_desktop.readiness; imported when the checks run, after the
# window has painted, since the checks pull in every register's services).
SOUND, ATTENTION, GAP = "sound", "attention", "gap"
STATUS_WORDS = {SOUND: "Sound", ATTENTION: "Needs attention", GAP: "Gap"}


_TONES = {SOUND: "good", ATTENTION: "warning", GAP: "bad"}


def status_colours(status: str, palette: QPalette) -> tuple[QColor, QColor]:
    """Background and text colour of a status chip: the kit's tones, so a gap here is the
    same red as a gap anywhere else, in light and dark palettes."""
    return tone_colours(palette, _TONES[status])


class StatusChip(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumWidth(120)
        self.status = SOUND

    def set_status(self, status: str) -> None:
        self.status = status
        back, fore = status_colours(status, self.palette())
        self.setText(STATUS_WORDS[status])
        self.setStyleSheet(
            f"background: {back.name()}; color: {fore.name()}; border-radius: 10px; "
            "padding: 3px 10px; font-weight: 600;"
        )
        self.setAccessibleName(f"Status: {STATUS_WORDS[status]}")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    screen: str
    button_text: str


FIGURES = (
    Figure("overdue_actions", "Overdue actions", "actions", "See overdue actions"),
    Figure("due_this_week", "Actions due this week", "actions", "See this week's"),
    Figure("next_review", "Next management review", "reviews", "Open reviews"),
    Figure("leadership", "Acts of top management in the last 12 months", "reviews",
           "See the reviews"),
)


class FigureCard(QFrame):
    def __init__(self, figure: Figure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = figure
        self.setObjectName("figureCard")
        # No fixed minimum: the layout's own (the button's text and margins) keeps it whole.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(6)
        self.number_label = QLabel("–")
        self.number_label.setFont(title_font(self.font(), 1.8))
        layout.addWidget(self.number_label)
        self.caption = muted(QLabel(figure.label))
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.note = muted(QLabel())
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.button = QPushButton(figure.button_text)
        self.button.setAccessibleName(figure.button_text)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)

    def set_value(self, text: str, alarm: bool = False, note: str = "") -> None:
        self.number_label.setText(text)
        self.number_label.setAccessibleName(f"{self.figure.label}: {text}")
        self.button.setAccessibleDescription(f"{self.figure.label}: {text}")
        palette = self.palette()
        if alarm:
            palette.setColor(QPalette.ColorRole.WindowText, error_color(self.palette()))
        self.number_label.setPalette(palette)
        self.note.setText(note)
        self.note.setVisible(bool(note))


class ClauseCard(QFrame):
    """One clause: its status chip and each reason as a link to the screen that fixes it."""

    reason_clicked = Signal(str, str)  # screen key, record id

    def __init__(self, number: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clauseCard")
        self.number = number
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(4)
        top = QHBoxLayout()
        heading = QLabel(f"{number}  {title}")
        heading.setFont(title_font(self.font(), 1.1))
        top.addWidget(heading)
        top.addStretch(1)
        self.chip = StatusChip()
        top.addWidget(self.chip)
        layout.addLayout(top)
        self.reasons_box = QVBoxLayout()
        self.reasons_box.setSpacing(3)
        layout.addLayout(self.reasons_box)
        self.setAccessibleName(f"Clause {number} {title}")
        self.links: list[QLabel] = []

    def show_status(self, status: ClauseStatus) -> None:
        self.chip.set_status(status.status)
        for link in self.links:
            link.deleteLater()
        self.links = []
        while self.reasons_box.count():
            item = self.reasons_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not status.findings:
            self.reasons_box.addWidget(muted(QLabel("Nothing an auditor would raise.")))
            return
        for index, finding in enumerate(status.findings):
            gap = finding.severity == GAP
            word = "Gap" if gap else "Needs attention"
            # A wrapping label with one link: long reasons stay readable at any width, and
            # Tab reaches each link (LinksAccessibleByKeyboard), Enter follows it.
            clause, _, sentence = finding.text.partition(": ")
            marker = status_colours(finding.severity, self.palette())[1].name()
            text = self.palette().color(QPalette.ColorRole.WindowText).name()
            link = QLabel(
                f'<span style="color:{marker}">{"●" if gap else "○"}</span>&nbsp;&nbsp;'
                f'<a href="{index}" style="color:{text}; text-decoration:none">'
                f"<b>{html.escape(clause)}</b>&nbsp; {html.escape(sentence)}&nbsp;›</a>"
            )
            link.setWordWrap(True)
            link.setTextFormat(Qt.TextFormat.RichText)
            link.setTextInteractionFlags(
                Qt.TextInteractionFlag.LinksAccessibleByMouse
                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            )
            link.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            link.setToolTip("Open the screen that fixes this")
            link.setAccessibleName(f"{word}: {finding.text}")
            link.linkActivated.connect(
                lambda _href, f=finding: self.reason_clicked.emit(f.screen, f.record_id)
            )
            self.reasons_box.addWidget(link)
            self.links.append(link)


# Its figures come from every register, so any committed change may alter them.
SHOWN_TABLES = EVERY_TABLE


class OverviewScreen(QWidget):
    """Readiness by clause; `open_screen` names the screen a click should open."""

    open_screen = Signal(str)
    open_record = Signal(str, str)
    show_actions = Signal(str)  # "overdue" or "this_week"
    status_message = Signal(str)
    # The evidence check's report once it has run: "" when the evidence holds.
    evidence_checked = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Overview")
        self.setStyleSheet(CARD_STYLE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll)
        page = QWidget()
        scroll.setWidget(page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(*SCREEN_MARGINS)
        layout.setSpacing(18)

        self.header = ScreenHeader("Overview", "", icon("overview"))
        layout.addWidget(self.header)
        self.organisation_label = muted(QLabel())
        self.organisation_label.setAccessibleName("Organisation")
        layout.addWidget(self.organisation_label)
        # A break in the evidence (evidence.py), shown above everything else.
        self.evidence_warning = QLabel()
        self.evidence_warning.setWordWrap(True)
        self.evidence_warning.setVisible(False)
        self.evidence_warning.setAccessibleName("Evidence warning")
        palette = self.evidence_warning.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_color(self.palette()))
        self.evidence_warning.setPalette(palette)
        layout.addWidget(self.evidence_warning)

        # A new system's first steps, above the figures; gone once all are done.
        self.getting_started = GettingStartedCard()
        self.getting_started.setVisible(False)
        self.getting_started.open_screen.connect(self.open_screen)
        layout.addWidget(self.getting_started)

        cards = QHBoxLayout()
        cards.setSpacing(14)
        self.cards: dict[str, FigureCard] = {}
        for figure in FIGURES:
            card = FigureCard(figure)
            card.button.clicked.connect(lambda _checked=False, f=figure: self._figure_clicked(f))
            cards.addWidget(card)
            self.cards[figure.key] = card
        layout.addLayout(cards)

        self.leadership_warning = QLabel()
        self.leadership_warning.setWordWrap(True)
        self.leadership_warning.setVisible(False)
        layout.addWidget(self.leadership_warning)
        self.evidence_checked.connect(self._show_evidence)
        self.evidence_report: str | None = None  # None until the check has run
        self._on_server = False  # where the evidence was checked

        heading = QLabel("Readiness by clause")
        heading.setFont(title_font(self.font(), 1.25))
        layout.addWidget(heading)
        self.summary_label = muted(QLabel())
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.clause_cards: dict[str, ClauseCard] = {}
        for number, title in CLAUSE_GROUPS:
            clause_card = ClauseCard(number, title)
            clause_card.reason_clicked.connect(self._reason_clicked)
            layout.addWidget(clause_card)
            self.clause_cards[number] = clause_card
        leadership_heading = QLabel("Top management's own hand (5.1), last 12 months")
        leadership_heading.setFont(title_font(self.font(), 1.25))
        layout.addWidget(leadership_heading)
        self.leadership_list = QLabel()
        self.leadership_list.setWordWrap(True)
        self.leadership_list.setTextFormat(Qt.TextFormat.RichText)
        self.leadership_list.setAccessibleName("Leadership acts by top management")
        layout.addWidget(self.leadership_list)
        layout.addStretch(1)
        self.summary_label.setText("Checking the records…")
        self._checked = False
        follow_changes(self, changes, SHOWN_TABLES, self.reload)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._checked:
            # The checks read every register; run them once the window has painted, so
            # start-up shows the window at once (a large database takes a moment).
            self._checked = True
            QTimer.singleShot(0, self.reload)
            QTimer.singleShot(0, self._check_evidence)

    # --- loading --------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        from qms_desktop import actions

        overdue, this_week = actions.reminder_counts(clock.today())
        return {"overdue_actions": overdue, "due_this_week": this_week}

    def reload(self) -> None:
        from qms_desktop import getting_started, readiness

        self._checked = True
        today = clock.today()
        from qms_desktop import organisation
        from qms_desktop.models import EDITIONS

        found = organisation.get_organisation()
        if found is None:
            self.organisation_label.setText("No organisation set up yet")
        else:
            edition = dict(EDITIONS).get(found.edition, found.edition)
            self.organisation_label.setText(f"{found.name} · {edition}")
        self.getting_started.show_steps(getting_started.steps())
        counts = self.counts()
        self.cards["overdue_actions"].set_value(f"{counts['overdue_actions']:,}",
                                                alarm=counts["overdue_actions"] > 0)
        self.cards["due_this_week"].set_value(f"{counts['due_this_week']:,}")
        self._show_next_review(today)
        self._show_leadership(today)
        statuses = readiness.by_clause(today)
        gaps = sum(1 for s in statuses for f in s.findings if f.severity == GAP)
        attention = sum(1 for s in statuses for f in s.findings
                        if f.severity == ATTENTION)
        if gaps or attention:
            self.summary_label.setText(
                f"{gaps} gap{'s' if gaps != 1 else ''} and {attention} point"
                f"{'s' if attention != 1 else ''} needing attention. A gap is what a "
                "certification auditor would raise as a finding; click a line to fix it."
            )
        else:
            self.summary_label.setText("Nothing an auditor would raise. Keep it that way.")
        for status in statuses:
            self.clause_cards[status.number].show_status(status)

    def _show_next_review(self, today: dt.date) -> None:
        from qms_desktop import reviews

        due = reviews.review_due(today)
        card = self.cards["next_review"]
        if due.planned_on is not None:
            card.set_value(f"{formatting.short_date(due.planned_on)}", note="Planned")
        elif due.due_on is None:
            card.set_value("Not held yet", alarm=True, note="Plan the first review.")
        elif due.overdue_months:
            card.set_value(f"{formatting.short_date(due.due_on)}", alarm=True,
                           note=f"Overdue; last held {formatting.short_date(due.last_held_on)}.")
        else:
            card.set_value(f"{formatting.short_date(due.due_on)}", note="Due by; not planned yet.")

    def _show_leadership(self, today: dt.date) -> None:
        from qms_desktop import review_inputs

        period = (today - dt.timedelta(days=365), today)
        table, warning = review_inputs.leadership_evidence(period)
        top_rows = [row for row in table.rows if row[3] == "Yes"]
        top_acts = len(top_rows)
        self.cards["leadership"].set_value(f"{top_acts:,}", alarm=top_acts == 0)
        shown = top_rows[-6:][::-1]  # the latest first
        lines = [f"{html.escape(day)} &nbsp;<b>{html.escape(who)}</b> &nbsp;{html.escape(act)}"
                 for day, who, act, _top in shown]
        if top_acts > len(shown):
            lines.append(f"… and {top_acts - len(shown)} more; the review pack lists them all.")
        self.leadership_list.setText("<br>".join(lines) if lines else
                                     "No act of top management is recorded in the last year.")
        self.leadership_warning.setText(warning)
        palette = self.leadership_warning.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_color(self.palette()))
        self.leadership_warning.setPalette(palette)
        self.leadership_warning.setVisible(bool(warning))

    def _check_evidence(self) -> None:
        """Check the history chain, the records and the frozen packs (evidence.py) once, on
        a connection and thread of its own: on a large database it takes a second or two."""
        from qms_desktop.models import database, on_server

        if on_server():
            from qms_desktop import server

            # The thread's own connection, made here: the address and password are the
            # window's, and peewee's connection belongs to the window's thread.
            try:
                connection: Any = server.new_connection()
            except Exception as exc:
                if server.is_lost_connection(exc):
                    return  # the server is not reached now; a save says so plainly
                raise
            self._on_server = True
        else:
            path = database.database
            if not path or path == ":memory:":
                return
            import sqlite3
            from pathlib import Path

            try:
                connection = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True,
                                             check_same_thread=False)
            except sqlite3.Error:
                return  # the file closed or replaced meanwhile: `check` tells
        threading.Thread(target=self._verify, args=(connection,), daemon=True,
                         name="evidence check").start()

    def _verify(self, connection: Any) -> None:
        from qms_desktop import evidence

        try:
            try:
                verdict = evidence.verify(connection)
            finally:
                connection.close()
            self.evidence_checked.emit("" if verdict.sound else verdict.report())
        except (RuntimeError, OSError):
            return  # this screen gone meanwhile
        except Exception as exc:
            # The file closed or replaced, or the server gone, meanwhile: `check` tells.
            if _database_error(exc):
                return
            raise

    def _show_evidence(self, report: str) -> None:
        self.evidence_report = report
        opened = ("The database was opened anyway; run `check` on it for the whole report."
                  if self._on_server else
                  "The file was opened anyway; restore a backup from before the change, "
                  "or run `check` for the whole report.")
        self.evidence_warning.setText(f"{report} {opened}" if report else "")
        self.evidence_warning.setVisible(bool(report))

    # --- clicks ---------------------------------------------------------------------------

    def _figure_clicked(self, figure: Figure) -> None:
        if figure.key == "overdue_actions":
            self.show_actions.emit("overdue")
        elif figure.key == "due_this_week":
            self.show_actions.emit("this_week")
        self.open_screen.emit(figure.screen)

    def _reason_clicked(self, screen: str, record_id: str) -> None:
        if record_id:
            self.open_record.emit(screen, record_id)
        self.open_screen.emit(screen)


def _database_error(exc: BaseException) -> bool:
    """sqlite3's errors, or the server's (psycopg's or peewee's), without loading either."""
    return any(kind.__module__.split(".")[0] in ("sqlite3", "psycopg", "peewee")
               for kind in type(exc).__mro__)
