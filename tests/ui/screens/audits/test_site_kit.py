"""Taking an audit on site from the audits screen, and importing its results back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QRadioButton
from pytestqt.qtbot import QtBot

from qms_desktop import attachments, audits
from qms_desktop.models import Attachment, Audit, AuditKit, ChangeHistory
from tests.qms_desktop.kit_files import (
    kit_data,
    photo,
    png,
    results_content,
    results_file,
    site_audit,
)
from tests.ui.interact import click, screenshot
from ui.screens.audits import site_kit
from ui.screens.audits.audits_screen import AuditsScreen
from ui.screens.audits.site_kit import ConflictDialog


class Warnings:
    """QMessageBox.warning caught: the titles and texts the user would have read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str]] = []

        def warning(_parent: object, title: str, text: str, *_args: object) -> int:
            self.shown.append((title, text))
            return QMessageBox.StandardButton.Ok.value

        monkeypatch.setattr(QMessageBox, "warning", warning)


@pytest.fixture
def screen(show: Any, store: object) -> Iterator[AuditsScreen]:
    yield show(AuditsScreen(), (1024, 640))


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(site_kit.QFileDialog, "getOpenFileName",
                        lambda *_args, **_kwargs: (str(path), ""))


def written() -> tuple[int, int]:
    return ChangeHistory.select().count(), Attachment.select().count()


def select(qtbot: QtBot, screen: AuditsScreen, audit: Audit) -> None:
    screen.reload()
    row = screen.model.row_of(audit.id)
    assert row >= 0
    rect = screen.table.visualRect(screen.model.index(row, 0))
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert screen.selected_audit() == audit


def test_take_an_audit_on_site_and_import_its_results_with_a_conflict(
    qtbot: QtBot, screen: AuditsScreen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    audit = site_audit()
    select(qtbot, screen, audit)
    assert screen.take_on_site_button.isVisible() and screen.import_results_button.isVisible()
    screenshot(screen, "site-kit-programme")

    # Take on site: the kit is saved where the user chose, as a web page.
    monkeypatch.setattr(site_kit, "ask_save_path", lambda *_args: tmp_path / "purchasing")
    with qtbot.waitSignal(screen.status_message) as said:
        click(qtbot, screen.take_on_site_button)
    page = tmp_path / "purchasing.html"
    assert "Saved the site audit kit" in said.args[0] and str(page) in said.args[0]
    data = kit_data(page.read_text(encoding="utf-8"))
    assert data["audit_id"] == audit.id
    assert AuditKit.get_by_id(data["kit_id"]).audit_id == audit.id

    # Meanwhile Q1 is answered in the app, differently from the site.
    first = audits.findings(audit)[0]
    audits.answer(first, "conforms", answered_by="Quality Officer")
    results = tmp_path / "results.json"
    picture = png()
    results.write_bytes(results_file(results_content(data, {
        1: {"outcome": "minor", "notes": "Supplier X approved without an evaluation",
            "photos": [photo(picture)]},
        2: {"outcome": "conforms"}})))
    choose_file(monkeypatch, results)
    before = written()
    click(qtbot, screen.import_results_button)

    dialog = screen.dialog
    assert isinstance(dialog, ConflictDialog)
    assert written() == before  # nothing is imported while the user chooses
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Supplier X approved without an evaluation" in shown and "Quality Officer" in shown
    kit_button = dialog.kit_buttons[first.id]
    assert kit_button.text() == "On site: Minor nonconformity"
    assert dialog.app_buttons[first.id].text() == "In the app: Conforms"
    assert not dialog.ok_button.isEnabled()
    assert "Q1" in dialog.waiting.text()
    screenshot(dialog, "site-kit-conflicts")
    qtbot.mouseClick(kit_button, Qt.MouseButton.LeftButton)
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(screen.status_message) as said:
        click(qtbot, dialog.ok_button)
    assert said.args[0].startswith("Imported 2 answers and 1 photo")

    first, second, _third = audits.findings(audit)
    assert (first.outcome, first.answered_by) == ("minor", "Bob Quinn")
    assert second.outcome == "conforms"
    [stored] = attachments.attachments_for(first)
    assert attachments.content(stored) == picture
    assert "2 of 3 answered" in screen.model.index(screen.model.row_of(audit.id),
                                                  screen.model.columnCount() - 1).data()

    # The Run audit tab says who answered and when.
    click(qtbot, screen.run_button)
    screen.run.go_to(0)
    assert screen.run.answered_label.text().startswith("Answered by Bob Quinn, ")
    assert screen.run.answered_label.text().endswith("09:30 UTC")

    # The same file again: no dialog, nothing written.
    before = written()
    with qtbot.waitSignal(screen.status_message) as said:
        click(qtbot, screen.import_results_button)
    assert said.args[0].startswith("Nothing new")
    assert written() == before


def test_refused_files_say_why_and_write_nothing(
    qtbot: QtBot, screen: AuditsScreen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    audit = site_audit()
    other = site_audit("Stores audit", earlier=False)
    warnings = Warnings(monkeypatch)
    made = tmp_path / "kit.html"
    monkeypatch.setattr(site_kit, "ask_save_path", lambda *_args: made)
    select(qtbot, screen, audit)
    click(qtbot, screen.take_on_site_button)
    data = kit_data(made.read_text(encoding="utf-8"))
    results = tmp_path / "results.json"
    good = results_file(results_content(data, {1: {"outcome": "conforms"}}))
    before = written()

    # Edited after it was saved.
    outer = json.loads(good)
    outer["content"] = outer["content"].replace("conforms", "major")
    results.write_text(json.dumps(outer), encoding="utf-8")
    choose_file(monkeypatch, results)
    click(qtbot, screen.import_results_button)
    assert warnings.shown[-1][0] == "Results not imported"
    assert "changed after the kit saved it" in warnings.shown[-1][1]

    # Another audit's file, chosen on this audit.
    results.write_bytes(good)
    select(qtbot, screen, other)
    click(qtbot, screen.import_results_button)
    assert "not for “Stores audit”" in warnings.shown[-1][1]

    # Not a results file at all.
    results.write_bytes(png())
    click(qtbot, screen.import_results_button)
    assert "not a results file" in warnings.shown[-1][1]
    assert len(warnings.shown) == 3 and screen.dialog is None
    assert written() == before


def test_the_buttons_follow_the_audit_chosen(qtbot: QtBot, screen: AuditsScreen,
                                             monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    audit = site_audit(earlier=False)
    screen.reload()
    assert not screen.take_on_site_button.isEnabled()
    select(qtbot, screen, audit)
    assert screen.take_on_site_button.isEnabled() and screen.import_results_button.isEnabled()
    # An audit without questions: the kit is refused with the reason, and no file is left.
    empty = audits.plan_audit("Nothing asked yet", audit.planned_on).audit
    warnings = Warnings(monkeypatch)
    monkeypatch.setattr(site_kit, "ask_save_path", lambda *_args: tmp_path / "kit.html")
    select(qtbot, screen, empty)
    click(qtbot, screen.take_on_site_button)
    assert "no checklist questions" in warnings.shown[-1][1]
    assert not (tmp_path / "kit.html").exists()
    audits.cancel_audit(empty)
    select(qtbot, screen, Audit.get_by_id(empty.id))
    assert not screen.take_on_site_button.isEnabled()
    assert not screen.import_results_button.isEnabled()


def test_the_conflict_dialog_can_take_every_answer_from_one_side(qtbot: QtBot, show: Any,
                                                                 store: object) -> None:
    audit = site_audit(earlier=False)
    from qms_desktop.audit_kit import Conflict, Side

    conflicts = tuple(
        Conflict(f, Side("conforms", "", "Quality Officer", None),
                 Side("observation", "Paper book", "Bob Quinn", None))
        for f in audits.findings(audit))
    dialog = show(ConflictDialog(conflicts), None)
    click(qtbot, dialog.all_app_button)
    assert set(dialog.choices().values()) == {"app"} and dialog.ok_button.isEnabled()
    click(qtbot, dialog.all_kit_button)
    assert dialog.choices() == {f.id: "kit" for f in audits.findings(audit)}
    assert all(isinstance(b, QRadioButton) for b in dialog.kit_buttons.values())
