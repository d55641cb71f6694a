"""Export: every register and the change history, readable, archived records marked."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from qms_desktop import db, export, records
from qms_desktop.models import (
    RECORD_MODELS,
    Action,
    Document,
    DocumentVersion,
    Nonconformity,
    Person,
    PersonRole,
    Role,
    Site,
    database,
)


@pytest.fixture
def filled(store: db.Store) -> dict[str, str]:
    """A few linked records, one archived, one action raised from a nonconformity."""
    site = records.create(Site, name="Pune works")
    asha = records.create(Person, full_name="Asha Rao", job_title="Quality officer", site=site)
    omar = records.create(Person, full_name="Omar Haddad", active=False)
    records.archive(omar)
    role = records.create(Role, title="Quality manager", is_top_management=True)
    records.create(PersonRole, person=asha, role=role)
    document = records.create(Document, kind="policy", title="Quality policy", owner=asha)
    records.create(DocumentVersion, document=document, number=1, status="approved")
    nc = records.create(
        Nonconformity, title="Late delivery to Łódź", raised_on=dt.date(2025, 3, 4)
    )
    records.create(
        Action,
        title="=HYPERLINK(\"x\") is text, not a formula",
        owner=asha,
        due_on=dt.date(2025, 4, 30),
        source_table="nonconformity",
        source_id=nc.id,
    )
    return {"asha": asha.id, "omar": omar.id, "nc": nc.id}


def sheet_rows(path: Path, name: str) -> list[dict[str, object]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(workbook[name].iter_rows(values_only=True))
    finally:
        workbook.close()
    headings = rows[0]
    return [dict(zip(headings, row, strict=True)) for row in rows[1:]]


def test_xlsx_has_one_sheet_per_register_and_the_history_last(
    filled: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "qms.xlsx"
    seen: list[tuple[int, int]] = []

    counts = export.export(target, "xlsx", progress=lambda done, total: seen.append((done, total)))

    workbook = openpyxl.load_workbook(target, read_only=True)
    names = workbook.sheetnames
    workbook.close()
    assert names == [m.display_plural for m in RECORD_MODELS] + ["Change history"]
    assert all(len(name) <= 31 for name in names)
    assert counts["People"] == 2
    assert counts["Change history"] == sum(
        n for name, n in counts.items() if name != "Change history"
    ) + 2  # the archive of Omar, and the user's name set by the fixture
    assert seen[0] == (0, len(names))
    assert seen[-1] == (len(names), len(names))


def test_xlsx_cells_are_readable(filled: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "qms.xlsx"
    export.export(target, "xlsx")

    people = {row["Name"]: row for row in sheet_rows(target, "People")}
    assert people["Asha Rao"]["Site"] == "Pune works"
    assert people["Asha Rao"]["Active"] == "Yes"
    assert people["Asha Rao"]["Archived"] == "No"
    assert people["Omar Haddad"]["Archived"] == "Yes"
    assert isinstance(people["Omar Haddad"]["Archived on"], dt.datetime)
    headings = list(people["Asha Rao"])
    assert headings.index("Archived") + 1 == headings.index("Archived on")

    (holder,) = sheet_rows(target, "Role holders")
    assert (holder["Person"], holder["Role"]) == ("Asha Rao", "Quality manager")
    (version,) = sheet_rows(target, "Document versions")
    assert (version["Document"], version["Status"]) == ("Quality policy", "Approved")
    (action,) = sheet_rows(target, "Actions")
    assert action["Action"].startswith("=HYPERLINK")
    assert action["Due"].date() == dt.date(2025, 4, 30)  # a real date, not text
    assert action["Raised from"] == "Nonconformities"
    assert action["Source record"] == "Late delivery to Łódź"

    history = sheet_rows(target, "Change history")
    archived = [h for h in history if h["Change"] == "Archive"]
    assert [(h["Register"], h["Record"], h["Who"]) for h in archived] == [
        ("People", "Omar Haddad", "Test User")
    ]


def test_json_has_readable_keys_iso_dates_and_unicode(
    filled: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "qms.json"
    counts = export.export(target, "json")

    text = target.read_text(encoding="utf-8")
    assert "Łódź" in text  # kept as written, not \u escapes
    document = json.loads(text)
    assert set(document) >= {"organisation", "exported_at", "registers"}
    assert list(document["registers"]) == list(counts)
    (nc,) = document["registers"]["Nonconformities"]
    assert nc["Raised on"] == "2025-03-04"
    assert nc["Status"] == "Open"
    people = {p["Name"]: p for p in document["registers"]["People"]}
    assert people["Omar Haddad"]["Archived"] == "Yes"
    assert people["Omar Haddad"]["Active"] == "No"
    assert people["Asha Rao"]["Archived on"] is None


def test_a_failed_export_leaves_no_file(
    filled: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "qms.json"
    target.write_text("the previous export", encoding="utf-8")

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_report", broken)
    with pytest.raises(OSError):
        export.export(target, "json")

    assert target.read_text(encoding="utf-8") == "the previous export"
    assert sorted(p.name for p in tmp_path.iterdir() if "qms.json" in p.name) == ["qms.json"]


def test_linked_names_take_one_query_per_table_not_per_row(
    store: db.Store, tmp_path: Path
) -> None:
    owner = records.create(Person, full_name="Asha Rao")
    with database.atomic():
        for number in range(300):
            Action.create(title=f"Action {number}", owner=owner)
    statements: list[str] = []
    database.connection().set_trace_callback(statements.append)
    try:
        export.export(tmp_path / "qms.json", "json")
    finally:
        database.connection().set_trace_callback(None)

    person_reads = [s for s in statements if 'FROM "person"' in s]
    assert len(person_reads) <= 3  # the People sheet, and one map of names for the links


def test_sheet_names_are_short_safe_and_unique() -> None:
    taken: set[str] = set()
    first = export._unique_sheet_name("Risks/opportunities: a very long register name", taken)
    second = export._unique_sheet_name("Risks/opportunities: a very long register name", taken)
    assert len(first) <= 31 and len(second) <= 31
    assert "/" not in first and ":" not in first
    assert first != second


def test_an_unknown_format_is_refused(store: db.Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="csv"):
        export.export(tmp_path / "qms.csv", "csv")
    assert not [p for p in tmp_path.iterdir() if "csv" in p.name]


def test_money_and_keyed_values_read_as_people_expect(store, tmp_path) -> None:
    import json as json_module
    from decimal import Decimal

    from qms_desktop import export as exporter
    from qms_desktop import records as record_service
    from qms_desktop.models import Resource, Risk

    record_service.create(Resource, kind="equipment", name="Press brake",
                          annual_budget_minor=123450, currency="EUR")
    record_service.create(Risk, title="Supplier fails", treatment="change_likelihood",
                          effectiveness="partly")
    out = tmp_path / "all.json"
    exporter.export(out, "json")
    registers = json_module.loads(out.read_text(encoding="utf-8"))["registers"]
    press = registers["Resources"][0]
    assert press["Annual budget"] == "1234.50"
    assert Decimal(press["Annual budget"]) * 100 == 123450
    risk = registers["Risks and opportunities"][0]
    assert risk["Treatment"] == "Change the likelihood"
    assert risk["Effectiveness"] == "Partly effective"
