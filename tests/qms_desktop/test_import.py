"""Import: registers read back from spreadsheets, every problem told by row and column, all
rows written or none; bad files refused with one plain message and nothing written."""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import json
import resource
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qms_desktop import cli, db, evidence, export, records
from qms_desktop.errors import ValidationError
from qms_desktop.importing import Import, Unreadable, reading, save_problems, write_template
from qms_desktop.importing.targets import find_target
from qms_desktop.models import (
    Action,
    ChangeHistory,
    Person,
    Process,
    ResourceRequest,
    Risk,
    Supplier,
    database,
)
from tests.spreadsheets import workbook

SUPPLIER_HEADINGS = ["Supplier", "What they provide", "Criticality", "Approval"]


def history_count() -> int:
    return int(ChangeHistory.select().count())


# --- Round trip --------------------------------------------------------------------------------


def sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    finally:
        book.close()


def test_the_sample_exported_imported_into_an_empty_database_exports_the_same(
    sample_template: Path, migrated_template: Path, tmp_path: Path
) -> None:
    source = tmp_path / "sample.db"
    shutil.copyfile(sample_template, source)
    with db.open_database(source):
        export.export(tmp_path / "first.xlsx", "xlsx")
    empty = tmp_path / "empty.db"
    shutil.copyfile(migrated_template, empty)
    with db.open_database(empty):
        records.set_setting(records.USER_NAME_KEY, "Importer")
        outcome = Import(tmp_path / "first.xlsx").apply()
        assert outcome.problems == []
        assert outcome.written and outcome.created > 1000
        assert evidence.verify(database.connection()).breaks == []
        export.export(tmp_path / "again.xlsx", "xlsx")

    first, again = sheets(tmp_path / "first.xlsx"), sheets(tmp_path / "again.xlsx")
    assert list(first) == list(again)
    # The history is the import's own; file contents (frozen packs, attachments) are
    # described by the export, not held, so they cannot come back.
    not_imported = {"Change history", "Review packs", "Attachments"}
    for name in first:
        if name not in not_imported:
            assert first[name] == again[name], name
    assert len(first["People"]) > 10


# --- Rows, links and updates ------------------------------------------------------------------


@pytest.fixture
def people(store: db.Store) -> dict[str, str]:
    maria = records.create(Person, full_name="Maria Khan")
    records.create(Person, full_name="Sam Lee")
    records.create(Person, full_name="Sam Lee")
    return {"maria": maria.id}


def test_a_register_comes_in_with_links_found_by_name(people: dict[str, str],
                                                      tmp_path: Path) -> None:
    path = workbook(tmp_path / "actions.xlsx", [
        ["Action", "Owner", "Due", "Status"],
        ["Call the supplier", "maria khan", dt.date(2026, 3, 4), "Open"],
        ["Order gauges", None, "2026-04-30", "open"],
    ], title="Actions")

    outcome = Import(path).apply()

    assert outcome.problems == [] and outcome.created == 2
    call = Action.get(Action.title == "Call the supplier")
    assert call.owner_id == people["maria"] and call.due_on == dt.date(2026, 3, 4)
    assert Action.get(Action.title == "Order gauges").due_on == dt.date(2026, 4, 30)
    entry = ChangeHistory.get(ChangeHistory.record_id == call.id)
    assert json.loads(entry.changes)[records.CREATE_REASON] == "Imported from actions.xlsx"


def test_unknown_and_ambiguous_names_are_problems_of_their_row_and_nothing_is_written(
    people: dict[str, str], tmp_path: Path
) -> None:
    path = workbook(tmp_path / "actions.xlsx", [
        ["Action", "Owner"],
        ["Fine", "Maria Khan"],
        ["Unknown owner", "Nobody Here"],
        ["Ambiguous owner", "Sam Lee"],
    ], title="Actions")
    before = history_count()

    outcome = Import(path).apply()

    where = [(p.row, p.column) for p in outcome.problems]
    assert where == [(3, "Owner"), (4, "Owner")]
    assert "Nobody Here" in outcome.problems[0].message
    assert "2 of the people" in outcome.problems[1].message
    assert not outcome.written
    assert Action.select().count() == 0 and history_count() == before


def test_a_name_two_records_share_is_exported_with_its_id_and_found_again(
    store: db.Store, tmp_path: Path
) -> None:
    records.create(Person, full_name="Sam Lee")
    second = records.create(Person, full_name="Sam Lee")
    records.create(Action, title="Check gauges", owner=second)
    export.export(tmp_path / "all.xlsx", "xlsx")
    (row,) = sheets(tmp_path / "all.xlsx")["Actions"][1:]
    assert row[1] == f"Sam Lee ({second.id})"

    path = workbook(tmp_path / "a.xlsx", [["Action", "Owner"], ["Call", row[1]]],
                    title="Actions")
    assert Import(path).apply().problems == []
    assert Action.get(Action.title == "Call").owner_id == second.id


def test_a_row_with_an_existing_id_updates_that_record(store: db.Store, tmp_path: Path) -> None:
    supplier = records.create(Supplier, name="Acme", provides="Bar")
    path = workbook(tmp_path / "s.xlsx", [
        ["Supplier", "What they provide", "ID"],
        ["Acme Ltd", "Bar stock", supplier.id],
        ["New one", "Tools", None],
    ])

    outcome = Import(path).apply()

    assert outcome.problems == [] and (outcome.updated, outcome.created) == (1, 1)
    assert Supplier.get_by_id(supplier.id).name == "Acme Ltd"
    last = ChangeHistory.select().where(ChangeHistory.record_id == supplier.id) \
        .order_by(ChangeHistory.id.desc()).get()
    changes = json.loads(last.changes)
    assert last.operation == "update" and changes["name"] == ["Acme", "Acme Ltd"]
    assert changes["reason"] == ["", "Imported from s.xlsx"]


def test_an_update_of_a_record_with_its_own_reason_field_keeps_its_history_sound(
    store: db.Store, tmp_path: Path
) -> None:
    request = records.create(ResourceRequest, title="Probe head", reason="CMM down",
                             currency="EUR", requested_on=dt.date(2026, 1, 5))
    path = workbook(tmp_path / "r.xlsx", [["What is needed", "Why", "ID"],
                                          ["Probe head", "CMM down twice", request.id]],
                    title="Resource requests")

    outcome = Import(path).apply()

    assert outcome.problems == [] and outcome.updated == 1
    assert ResourceRequest.get_by_id(request.id).reason == "CMM down twice"
    assert evidence.verify(database.connection()).breaks == []


def test_dates_and_numbers_as_text_and_serial_numbers_are_read_for_what_they_mean(
    store: db.Store, tmp_path: Path
) -> None:
    path = workbook(tmp_path / "s.xlsx", [
        ["Supplier", "Re-evaluation due"],
        ["Serial", 46115],  # 2026-04-03
        ["ISO text", "2026-04-03"],
        ["Month name", "3 Apr 2026"],
        ["Ambiguous", "04/03/2026"],  # and no other date in the column says which
    ])
    outcome = Import(path).check()

    assert [(p.row, p.column) for p in outcome.problems] == [(5, "Re-evaluation due")]
    assert "YYYY-MM-DD" in outcome.problems[0].message
    assert "4 March 2026 or 3 April 2026" in outcome.problems[0].message
    path = workbook(tmp_path / "t.xlsx", [["Supplier", "Re-evaluation due"],
                                           ["Serial", 46115], ["Day first", "31/03/2026"]])
    assert Import(path).apply().problems == []
    due = {s.name: s.reevaluation_due_on for s in Supplier.select()}
    assert due == {"Serial": dt.date(2026, 4, 3), "Day first": dt.date(2026, 3, 31)}


def test_dates_with_slashes_are_read_in_the_order_the_rest_of_their_column_shows(
    store: db.Store, tmp_path: Path
) -> None:
    # A British register: 30/06 says day first, so 01/09 is 1 September, not 9 January.
    path = workbook(tmp_path / "s.xlsx", [
        ["Supplier", "Re-evaluation due"],
        ["Acme", "30/06/2025"], ["Beta", "01/09/2025"], ["Castle", dt.date(2025, 2, 3)]])
    assert Import(path).apply().problems == []
    assert Supplier.get(Supplier.name == "Beta").reevaluation_due_on == dt.date(2025, 9, 1)
    # An American one: 12/31 says month first.
    path = workbook(tmp_path / "t.xlsx", [
        ["Supplier", "Re-evaluation due"], ["Delta", "12/31/2025"], ["Echo", "01/09/2025"]])
    assert Import(path).apply().problems == []
    assert Supplier.get(Supplier.name == "Echo").reevaluation_due_on == dt.date(2025, 1, 9)
    # A column that says both is read where it can be and refuses the ambiguous date.
    path = workbook(tmp_path / "u.xlsx", [
        ["Supplier", "Re-evaluation due"],
        ["F", "30/06/2025"], ["G", "06/30/2025"], ["H", "01/09/2025"]])
    outcome = Import(path).check()
    assert [(p.row, p.column) for p in outcome.problems] == [(4, "Re-evaluation due")]


def test_a_supplier_list_kept_by_hand_comes_in_with_each_bad_row_explained(
    store: db.Store, tmp_path: Path
) -> None:
    """A small firm's own sheet: its own headings, Y/N, a blank row, a notes column."""
    path = workbook(tmp_path / "suppliers.xlsx", [
        ["Supplier", "What they supply", "Approved?", "Contact", "Notes"],
        ["Acme Tools Ltd", "Cutting tools", "Y", "Jo Baker", "Good lead times"],
        [None, None, None, None, None],
        ["Élan Coatings", "Powder coating", "pending", None, "Quote £1,200/batch"],
        [None, "Spare parts", "Y", None, "no name here"],
    ], title="Approved suppliers")

    plan = Import(path)

    sheet = plan.sheets[0]
    assert sheet.target is not None and sheet.target.name == "Suppliers"  # by its name
    assert sheet.unmatched() == ["What they supply", "Approved?", "Notes"]
    assert sheet.offers(1)[0] == "What they provide" and sheet.offers(2)[0] == "Approval"
    assert sheet.offers(4) == []
    outcome = plan.check()
    # Notes, matched to nothing, is left out without a word; the row numbers are the sheet's.
    assert [(p.row, p.column) for p in outcome.problems] == [(5, "Supplier")]
    assert "delete the row" in outcome.problems[0].message
    assert Supplier.select().count() == 0
    plan.map_column(0, 2, "approval")  # "Approved?" holds Y: the message says what to do
    problems = {(p.row, p.column): p.message for p in plan.check().problems}
    assert list(problems) == [(2, "Approved?"), (5, "Supplier"), (5, "Approved?")]
    assert "“Y” is a yes or no" in problems[(2, "Approved?")]
    assert "Replace it with the one you mean" in problems[(2, "Approved?")]


def test_a_risk_register_kept_by_hand_names_its_owners_and_processes_with_hints(
    store: db.Store, tmp_path: Path
) -> None:
    records.create(Person, full_name="Maria Khan")
    records.create(Person, full_name="Tom Reid")
    records.create(Process, name="Purchasing")
    path = workbook(tmp_path / "risks.xlsx", [
        ["Risk", "Process", "Owner", "Likelihood", "Impact", "Controls", "Review date"],
        ["Supplier fails", "Purchasing", "Maria Kahn", 3, 4, "Second source", "30/06/2025"],
        ["Late delivery", "Dispatch", "Tom", "Low", 3, "Planning", "01/09/2025"],
        ["Fire", "purchasing", "tom reid", 1, 5, "Extinguishers", None],
        ["Flood", "Purchasing", "Khan, Maria", 1, 5, "Raised racking", None],
    ], title="Risk register 2025")

    plan = Import(path)

    sheet = plan.sheets[0]
    assert sheet.target is not None and sheet.target.name == "Risks and opportunities"
    assert sheet.offers(0) == ["Title"] and sheet.offers(6) == ["Next review"]
    [whole] = plan.check().problems  # before "Risk" is mapped: the sheet says which column
    assert whole.row == 0 and "If it is the file's “Risk”, choose “Title”" in whole.message
    plan.map_column(0, 0, "title")
    plan.map_column(0, 6, "next_review_on")
    problems = {(p.row, p.column): p.message for p in plan.check().problems}
    assert list(problems) == [(2, "Owner"), (3, "Process"), (3, "Owner"), (3, "Likelihood"),
                              (5, "Owner")]
    assert "Did you mean “Maria Khan”?" in problems[(5, "Owner")]
    assert "Did you mean “Maria Khan”?" in problems[(2, "Owner")]
    assert "Did you mean “Tom Reid”?" in problems[(3, "Owner")]
    assert "add it there first" in problems[(3, "Process")]
    assert "from 1 to 10" in problems[(3, "Likelihood")]
    assert Risk.select().count() == 0


def test_a_register_is_found_by_the_first_words_of_its_name(store: db.Store) -> None:
    found = find_target("risks")
    assert found is not None and found.name == "Risks and opportunities"
    assert find_target("supplier") is find_target("Suppliers")
    assert find_target("review") is None  # several registers begin so


def test_numbers_as_text_are_numbers(store: db.Store, tmp_path: Path) -> None:
    path = workbook(tmp_path / "risks.xlsx", [
        ["Title", "Likelihood", "Impact"],
        ["Late steel", "2", " 3 "],
        ["Bad score", "two", 3],
    ], title="Risks and opportunities")
    outcome = Import(path).check()
    assert [(p.row, p.column) for p in outcome.problems] == [(3, "Likelihood")]


def test_a_column_mapped_by_hand_is_remembered(store: db.Store, tmp_path: Path) -> None:
    path = workbook(tmp_path / "s.xlsx", [["Supplier", "Supplies"], ["Acme", "Bar"]])
    plan = Import(path)
    assert plan.sheets[0].unmatched() == ["Supplies"]
    assert "What they provide" not in plan.sheets[0].offers(1)  # not close: never guessed
    plan.map_column(0, 1, "provides")
    assert plan.apply().problems == []

    again = Import(workbook(tmp_path / "t.xlsx", [["Supplier", "Supplies"], ["Beta", "Tools"]]))
    assert again.sheets[0].mapping == {0: "name", 1: "provides"}


def test_close_headings_are_offered_not_applied(store: db.Store, tmp_path: Path) -> None:
    plan = Import(workbook(tmp_path / "s.xlsx", [["Supplier", "Critcality"], ["Acme", "High"]]))
    assert plan.sheets[0].mapping == {0: "name"}
    assert plan.sheets[0].offers(1)[0] == "Criticality"


def test_the_problems_are_saved_beside_their_rows(store: db.Store, tmp_path: Path) -> None:
    path = workbook(tmp_path / "s.xlsx", [
        SUPPLIER_HEADINGS, ["Good", "Bar", "High", "Approved"], ["Bad", "Bar", "Huge", "Approved"],
    ])
    plan = Import(path)
    outcome = plan.check()
    save_problems(plan, outcome.problems, tmp_path / "problems.xlsx")

    rows = sheets(tmp_path / "problems.xlsx")["Suppliers"]
    assert rows[0][:3] == ("Problems", "Row", "Supplier")
    assert len(rows) == 2 and rows[1][1] == 3 and rows[1][2] == "Bad"
    assert "Criticality" in rows[1][0] and "Huge" in rows[1][0]


def test_a_template_has_headings_notes_and_lists_and_imports_once_filled(
    store: db.Store, tmp_path: Path
) -> None:
    target = find_target("suppliers")
    assert target is not None
    out = tmp_path / "template.xlsx"
    write_template(target, out)

    book = openpyxl.load_workbook(out)
    sheet = book["Suppliers"]
    headings = [c.value for c in sheet[1]]
    assert headings[:4] == SUPPLIER_HEADINGS and "ID" in headings
    assert all(str(c.value).startswith("Note: ") for c in sheet[2])
    lists = [v.sqref for v in sheet.data_validations.dataValidation]
    assert any("C3" in str(r) for r in lists)  # Criticality
    sheet.append(["Acme", "Bar", "High", "Approved"])
    book.save(out)

    outcome = Import(out).apply()
    assert outcome.problems == [] and outcome.created == 1


def test_create_many_writes_records_and_sealed_history_or_nothing(store: db.Store) -> None:
    maria = records.create(Person, full_name="Maria Khan")
    before = history_count()
    seen: list[Any] = []
    store.changes.subscribe(seen.append)

    made = records.create_many(Action, [{"title": "One", "owner": maria.id},
                                        {"title": "Two", "due_on": dt.date(2026, 5, 1)}],
                               change_reason="Imported from x.xlsx")

    assert [a.title for a in Action.select().order_by(Action.title)] == ["One", "Two"]
    assert history_count() == before + 2
    entry = ChangeHistory.get(ChangeHistory.record_id == made[0])
    assert json.loads(entry.changes)[records.CREATE_REASON] == "Imported from x.xlsx"
    assert json.loads(entry.changes)["owner_id"] == maria.id
    assert seen and set(made) <= seen[-1].ids_in("action")
    # The records follow from their sealed history, as those written one by one do.
    assert evidence.verify(database.connection()).breaks == []

    with pytest.raises(ValidationError):
        records.create_many(Action, [{"title": "Three"}, {"title": "Four", "owner": "nobody"}])
    with pytest.raises(ValidationError):
        records.create_many(Action, [{"title": "Five"}, {"title": ""}])
    assert Action.select().count() == 2 and history_count() == before + 2


# --- Bad files ----------------------------------------------------------------------------------


def refused(path: Path) -> str:
    before = history_count()
    with pytest.raises(Unreadable) as caught:
        Import(path).apply()
    assert history_count() == before
    return str(caught.value)


def test_a_picture_renamed_to_xlsx_is_refused(store: db.Store, tmp_path: Path) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    assert "not a spreadsheet" in refused(path)


def test_a_word_document_renamed_is_refused(store: db.Store, tmp_path: Path) -> None:
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "not a spreadsheet" in refused(path)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(store: db.Store, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(300):
                member.write(block)
    assert path.stat().st_size < 2 * 1024 * 1024
    assert "zip bomb" in refused(path)


def test_a_million_rows_are_refused(store: db.Store, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("Supplier\n" + "x\n" * 1_000_000, encoding="utf-8")
    assert f"at most {reading.MAX_ROWS:,}" in refused(path)


def test_formulas_are_refused_with_their_cell(store: db.Store, tmp_path: Path) -> None:
    path = workbook(tmp_path / "f.xlsx", [SUPPLIER_HEADINGS, ["Acme", "=A1&\"x\"", "High",
                                                              "Approved"]])
    message = refused(path)
    assert "cell B2" in message and "formula" in message and "Paste" in message


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def handmade_workbook(path: Path, sheet_entry: str, sheet_xml: str, prefix: str = "") -> Path:
    """An xlsx written part by part, as other programs than Excel write them: `sheet_entry`
    is the workbook's <sheet> element, `prefix` the main namespace's prefix ("x:" or none)."""
    xmlns = f'xmlns{":" + prefix[:-1] if prefix else ""}="{_MAIN}" xmlns:r="{_RELS}"'
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><{prefix}workbook {xmlns}><{prefix}sheets>'
            f'{sheet_entry}</{prefix}sheets></{prefix}workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'))
        archive.writestr("xl/worksheets/sheet1.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><{prefix}worksheet {xmlns}>'
            f'<{prefix}sheetData>{sheet_xml}</{prefix}sheetData></{prefix}worksheet>'))
    return path


def formula_rows(prefix: str = "") -> str:
    p = prefix
    return (f'<{p}row r="1"><{p}c r="A1" t="inlineStr"><{p}is><{p}t>Supplier</{p}t></{p}is>'
            f'</{p}c><{p}c r="B1" t="inlineStr"><{p}is><{p}t>What they provide</{p}t></{p}is>'
            f'</{p}c></{p}row><{p}row r="2"><{p}c r="A2" t="inlineStr"><{p}is><{p}t>Acme'
            f'</{p}t></{p}is></{p}c><{p}c r="B2" t="str"><{p}f>A2&amp;"x"</{p}f><{p}v>Acmex'
            f'</{p}v></{p}c></{p}row>')


@pytest.mark.parametrize("prefix, sheet_entry", [
    ("", '<sheet name="Suppliers" sheetId="1" r:id="rId1"/>'),
    ("", '<sheet r:id="rId1" sheetId="1" name="Suppliers"/>'),
    ("x:", '<x:sheet name="Suppliers" sheetId="1" r:id="rId1"/>'),
], ids=["name-first", "id-first", "prefixed"])
def test_formulas_are_refused_however_the_workbook_lists_its_sheets(
        store: db.Store, tmp_path: Path, prefix: str, sheet_entry: str) -> None:
    path = handmade_workbook(tmp_path / "f.xlsx", sheet_entry, formula_rows(prefix), prefix)
    message = refused(path)
    assert "Sheet “Suppliers”, cell B2 holds a formula (=A2&\"x\")" in message


def test_the_handmade_workbook_without_a_formula_is_read(tmp_path: Path) -> None:
    # The sheet the formula tests refuse is read when its formula is a value: the refusal
    # above is the formula's, not the handmade file's.
    rows = formula_rows("x:").replace('t="str"><x:f>A2&amp;"x"</x:f>', 't="str">')
    path = handmade_workbook(tmp_path / "v.xlsx",
                             '<x:sheet r:id="rId1" sheetId="1" name="Suppliers"/>', rows, "x:")
    (table,) = reading.read_tables(path)
    assert (table.name, table.headings, table.rows) == (
        "Suppliers", ["Supplier", "What they provide"], [["Acme", "Acmex"]])


def test_a_formula_in_a_sheet_the_workbook_does_not_list_is_refused(
        store: db.Store, tmp_path: Path) -> None:
    path = handmade_workbook(tmp_path / "f.xlsx", "", formula_rows())
    assert "cell B2 holds a formula" in refused(path)


def test_a_tiny_sparse_sheet_spanning_a_huge_grid_is_refused_before_it_is_built(
        store: db.Store, tmp_path: Path) -> None:
    path = tmp_path / "sparse.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Suppliers"
    book.active["A1"] = "Supplier"
    book.active["SF40001"] = "far away"
    book.save(path)
    assert path.stat().st_size < 20_000
    message = refused(path)
    assert message.startswith("The sheet “Suppliers” spans 40,001 rows by 500 columns")
    assert f"at most {reading.MAX_CELLS:,} cells" in message
    print(f"peak RSS after the refusal: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


def test_far_cells_without_a_dimension_are_found_too(store: db.Store, tmp_path: Path) -> None:
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Supplier</t></is></c></row>'
            '<row r="40001"><c s="0" r="SF40001" t="inlineStr"><is><t>x</t></is></c></row>')
    path = handmade_workbook(tmp_path / "sparse.xlsx",
                             '<sheet r:id="rId1" sheetId="1" name="Suppliers"/>', rows)
    assert "spans 40,001 rows by 500 columns" in refused(path)


def test_merged_cells_are_refused(store: db.Store, tmp_path: Path) -> None:
    path = workbook(tmp_path / "m.xlsx", [SUPPLIER_HEADINGS, ["Acme", "Bar", "High", "Approved"]])
    book = openpyxl.load_workbook(path)
    book.active.merge_cells("A2:B2")
    book.save(path)
    assert "merged cells (A2:B2)" in refused(path)


def test_repeated_headings_are_refused(store: db.Store, tmp_path: Path) -> None:
    path = workbook(tmp_path / "d.xlsx", [["Supplier", "Approval", "supplier"], ["A", None, "B"]])
    message = refused(path)
    assert "“supplier” twice" in message and "columns A and C" in message


def test_values_under_no_heading_are_refused(store: db.Store, tmp_path: Path) -> None:
    path = workbook(tmp_path / "h.xlsx", [["Supplier", None, "Approval"], ["A", "lost?", None]])
    assert "column B has values but no heading" in refused(path)


def test_an_empty_sheet_beside_a_register_is_passed_over(store: db.Store, tmp_path: Path) -> None:
    path = workbook(tmp_path / "s.xlsx", [SUPPLIER_HEADINGS, ["Acme", "Bar", "High", "Approved"]])
    book = openpyxl.load_workbook(path)
    book.create_sheet("Notes")
    book.save(path)
    plan = Import(path)
    assert [s.name for s in plan.sheets] == ["Suppliers"]
    assert plan.apply().created == 1


def test_an_empty_workbook_is_refused(store: db.Store, tmp_path: Path) -> None:
    path = workbook(tmp_path / "e.xlsx", [])
    assert "no rows to import" in refused(path)


@pytest.mark.parametrize(("encoding", "bom"), [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("cp1252", b""), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-le", b""),
])
def test_csv_in_each_encoding_reads_the_same(store: db.Store, tmp_path: Path, encoding: str,
                                              bom: bytes) -> None:
    path = tmp_path / "suppliers.csv"
    text = "Supplier;What they provide\r\nCafé Müller;Crème brûlée €\r\n"
    path.write_bytes(bom + text.encode(encoding))

    outcome = Import(path, register="Suppliers").apply()

    assert outcome.problems == []
    supplier = Supplier.get()
    assert (supplier.name, supplier.provides) == ("Café Müller", "Crème brûlée €")


_ODS_NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def ods(path: Path, rows: list[list[str]], formula: str = "", more_rows: str = "") -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes its parts; a cell given as
    "2026-04-03" is a date cell; `more_rows` is table rows written as they are."""
    def cell(value: str) -> str:
        if value[:4].isdigit() and value[4:5] == "-":
            return f'<table:table-cell office:value-type="date" office:date-value="{value}"/>'
        return (f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>'
                "</table:table-cell>")

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
                   for row in rows)
    if formula:
        body += ('<table:table-row><table:table-cell table:formula="' + formula +
                 '" office:value-type="float" office:value="2"/></table:table-row>')
    body += more_rows
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               f'{_ODS_NAMESPACES} office:version="1.2"><office:body><office:spreadsheet>'
               f'<table:table table:name="Suppliers">{body}</table:table></office:spreadsheet>'
               "</office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
            'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
            'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"/></manifest:manifest>'))
    return path


def test_an_opendocument_spreadsheet_is_read(store: db.Store, tmp_path: Path) -> None:
    path = ods(tmp_path / "s.ods", [["Supplier", "Re-evaluation due"], ["Acme", "2026-04-03"]])
    assert Import(path).apply().problems == []
    assert Supplier.get().reevaluation_due_on == dt.date(2026, 4, 3)


def test_an_opendocument_formula_is_refused(store: db.Store, tmp_path: Path) -> None:
    path = ods(tmp_path / "s.ods", [["Supplier"], ["Acme"]], formula="of:=1+1")
    assert "formula (of:=1+1)" in refused(path)


def test_an_opendocument_sheet_repeating_a_value_over_a_huge_grid_is_refused(
        store: db.Store, tmp_path: Path) -> None:
    repeated = ('<table:table-row table:number-rows-repeated="40000"><table:table-cell '
                'table:number-columns-repeated="500" office:value-type="string"><text:p>x'
                '</text:p></table:table-cell></table:table-row>')
    path = ods(tmp_path / "s.ods", [["Supplier"]], more_rows=repeated)
    assert path.stat().st_size < 5_000
    message = refused(path)
    assert message.startswith("The sheet “Suppliers” spans 40,001 rows by 500 columns")
    print(f"peak RSS after the refusal: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


def test_the_empty_rows_libreoffice_ends_a_sheet_with_are_no_grid(
        store: db.Store, tmp_path: Path) -> None:
    empty_tail = ('<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
                  'table:number-columns-repeated="1024"/></table:table-row>')
    path = ods(tmp_path / "s.ods", [["Supplier"], ["Acme"]], more_rows=empty_tail)
    assert Import(path).apply().problems == []
    assert [s.name for s in Supplier.select()] == ["Acme"]


# --- Generated workbooks ------------------------------------------------------------------------

CELLS = st.one_of(
    st.none(), st.text(max_size=12), st.integers(-10**18, 10**18),
    st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 1, 1)),
    st.sampled_from(["Maria Khan", "High", "Approved", "2026-02-30", "31/12/2026", "Yes", "=1+1"]),
)
HEADINGS = st.lists(st.sampled_from(
    [*SUPPLIER_HEADINGS, "ID", "Archived", "Archived on", "Created", "Owner", "Action", "Due",
     "Status", "Likelihood", "Risk", "", "Other"]), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(headings=HEADINGS, rows=st.lists(st.lists(CELLS, max_size=7), max_size=6),
       title=st.sampled_from(["Suppliers", "Actions", "Risks and opportunities", "Sheet"]))
def test_generated_workbooks_raise_nothing_but_the_imports_own_error(
    people: dict[str, str], tmp_path: Path, headings: list[str], rows: list[list[Any]],
    title: str
) -> None:
    path = tmp_path / "generated.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headings)
    try:
        for row in rows:
            sheet.append(row)
        book.save(path)
    except (ValueError, openpyxl.utils.exceptions.IllegalCharacterError):
        return  # openpyxl itself refuses some generated values (control characters)
    before = history_count()
    try:
        outcome = Import(path).apply()
    except Unreadable as unreadable:
        assert str(unreadable)
        assert history_count() == before
        return
    if outcome.problems:
        assert history_count() == before


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(
    st.binary(max_size=400),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.lists(st.text(max_size=8), max_size=5), max_size=5).map(
        lambda rows: "\n".join(",".join(r) for r in rows).encode()),
), name=st.sampled_from(["f.csv", "f.xlsx", "f.ods", "f"]))
def test_arbitrary_bytes_raise_nothing_but_the_imports_own_error(
    store: db.Store, tmp_path: Path, data: bytes, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    before = history_count()
    try:
        outcome = Import(path).check()
    except Unreadable as unreadable:
        assert str(unreadable)
    else:
        assert not outcome.written
    assert history_count() == before


_SMALL_WORKBOOK: list[bytes] = []


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1,
                        max_size=8))
def test_a_damaged_workbook_raises_nothing_but_the_imports_own_error(
    store: db.Store, tmp_path: Path, changes: list[tuple[int, int]]
) -> None:
    if not _SMALL_WORKBOOK:
        made = workbook(tmp_path / "good.xlsx", [SUPPLIER_HEADINGS, ["Acme", "Bar", "High",
                                                                     "Approved"]])
        _SMALL_WORKBOOK.append(made.read_bytes())
    data = bytearray(_SMALL_WORKBOOK[0])
    for at, value in changes:
        data[at % len(data)] = value
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    before = history_count()
    try:
        Import(path).apply()
    except Unreadable as unreadable:
        assert str(unreadable)
    assert history_count() <= before + 2  # at most the one row, and its mapping unchanged


# --- The command line ---------------------------------------------------------------------------


def test_cli_dry_run_checks_and_writes_nothing_then_imports(
    migrated_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_path = tmp_path / "qms.db"
    shutil.copyfile(migrated_template, store_path)
    with db.open_database(store_path):
        records.create(Person, full_name="Maria Khan")
    path = workbook(tmp_path / "a.xlsx", [["Action", "Owner"], ["Call", "Maria Khan"]],
                    title="Actions")

    assert cli.main(["import", str(path), "--db", str(store_path), "--dry-run"]) == 0
    assert "no problems" in capsys.readouterr().out
    with db.open_database(store_path):
        assert Action.select().count() == 0
    assert cli.main(["import", str(path), "--db", str(store_path)]) == 0
    assert "1 new" in capsys.readouterr().out
    bad = workbook(tmp_path / "b.xlsx", [["Action", "Owner"], ["Call", "Nobody"]], title="Actions")
    problems = tmp_path / "problems.xlsx"
    code = cli.main(["import", str(bad), "--db", str(store_path), "--problems", str(problems)])
    assert code != 0
    assert "row 2" in capsys.readouterr().err and problems.exists()
    assert cli.main(["import", str(tmp_path / "problems.xlsx.missing"), "--db",
                     str(store_path)]) != 0
    with db.open_database(store_path):
        assert Action.select().count() == 1


def test_cli_names_close_columns_and_rows_that_would_repeat_a_record(
    migrated_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_path = tmp_path / "qms.db"
    shutil.copyfile(migrated_template, store_path)
    path = workbook(tmp_path / "ours.xlsx", [["Supplier", "What they supply", "Notes"],
                                              ["Acme", "Tools", "Good"]],
                    title="Approved suppliers")
    assert cli.main(["import", str(path), "--db", str(store_path)]) == 0
    out = capsys.readouterr().out
    assert "“What they supply” (close to “What they provide”), “Notes”" in out
    assert "match it once in the window" in out

    assert cli.main(["import", str(path), "--db", str(store_path), "--dry-run"]) == 0
    assert "Note: Sheet “Approved suppliers”, row 2: Suppliers already has “Acme”" in \
        capsys.readouterr().out


def test_cli_export_template_and_an_unknown_register(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "risks.xlsx"
    assert cli.main(["export-template", "--register", "Risks and opportunities",
                     "--out", str(out)]) == 0
    assert sheets(out)["Risks and opportunities"][0][0] == "Kind"
    assert cli.main(["export-template", "--register", "Nothing", "--out", str(out)]) != 0
    assert "no register called" in capsys.readouterr().err


def test_rows_named_as_records_already_there_are_told_before_they_make_second_ones(
    store: db.Store, tmp_path: Path
) -> None:
    path = workbook(tmp_path / "s.xlsx", [["Supplier", "Contact"], ["Acme", "Jo"],
                                           ["Beta", None], ["New one", None]])
    assert Import(path).apply().notices == []  # nothing there yet
    workbook(path, [["Supplier", "Contact"], ["acme", "Jo"], ["Beta", None], ["Castle", None]])

    outcome = Import(path).check()

    assert outcome.problems == [] and outcome.created == 3  # told, not refused
    [notice] = outcome.notices
    assert notice.startswith("Sheet “Suppliers”, rows 2, 3: Suppliers already has “acme”")
    assert "If this file was imported before, leave those rows out" in notice


def test_dates_in_words_are_read_in_english_whatever_the_machines_language() -> None:
    import locale

    from qms_desktop.importing import values

    before = locale.setlocale(locale.LC_TIME)
    try:
        with contextlib.suppress(locale.Error):  # a German machine, where it is installed
            locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
        for text in ("4 March 2026", "4-Mar-2026", "Mar 4, 2026", "4 Sept 2026"):
            assert values._date(text).month in (3, 9), text
        with pytest.raises(values.CellProblem):
            values._date("31 Feb 2026")
    finally:
        locale.setlocale(locale.LC_TIME, before)
