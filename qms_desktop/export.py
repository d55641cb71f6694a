"""Export every register, and the change history, to one Excel workbook or one JSON file.

Generic over `models.RECORD_MODELS`, so a table added later is exported without new code.
Links show the linked record's name, looked up from one id-to-name map per linked table
(never one query per row); a name several records share carries the record's reference, so
the import finds the same one. Archived records are included with Archived = Yes.
The file is written beside the target under a temporary name and moved into place at the
end, so a failure never leaves half a file (see files.py); any temporary file goes beside
it too, never into the system temp folder. The workbook's XML is written here, streamed into
the zip a row at a time (see `_write_xlsx` for why not a spreadsheet library).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from peewee import BlobField, BooleanField, DateField, DateTimeField, Field, ForeignKeyField

from qms_desktop import APP_NAME, clock, files, money, organisation
from qms_desktop.models import (
    MODELS_BY_TABLE,
    RECORD_MODELS,
    ChangeHistory,
    Record,
    database,
    field_label,
)

FORMATS = ("xlsx", "json")
HISTORY_SHEET = "Change history"
SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Shown after the register's own columns, in this order.
_TRAILING_FIELDS = ("archived_at", "created_at", "updated_at", "id")
ARCHIVED_LABEL = "Archived"
# The fields Record.display_name reads, in its order.
_NAME_FIELDS = ("full_name", "name", "title")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Sheet:
    """One register as a table: its name, headings, and rows of plain Python values."""

    name: str
    headings: list[str]
    rows: Callable[[], Iterator[list[Any]]]


def export(path: Path | str, fmt: str, progress: Progress | None = None) -> dict[str, int]:
    """Write every register of the open database to `path`; rows written per sheet."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    path = Path(path).expanduser().absolute()
    sheets = _sheets(_NameBook())
    # Beside the target, owner-only, so the final move is atomic and the records private.
    # A read transaction: every sheet sees the same moment of the data.
    with files.written_in_place_of(path) as partial, database.atomic():
        if fmt == "xlsx":
            with files.temporary_files_beside(path):
                return _write_xlsx(partial, sheets, progress)
        return _write_json(partial, sheets, progress)


# --- What is exported ------------------------------------------------------------------------


def _sheets(names: _NameBook) -> list[Sheet]:
    registers = sheet_names()
    sheets = [Sheet(name, *_register_columns(model, names)) for model, name in registers.items()]
    taken = {name.lower() for name in registers.values()}
    sheets.append(Sheet(_unique_sheet_name(HISTORY_SHEET, taken), *_history_columns(names)))
    return sheets


def sheet_names() -> dict[type[Record], str]:
    """Each register's sheet name, in the workbook's order (the import reads them back)."""
    taken: set[str] = set()
    return {model: _unique_sheet_name(model.display_plural or model._meta.table_name, taken)
            for model in RECORD_MODELS}


def register_fields(model: type[Record]) -> list[Field]:
    """The fields a register's sheet shows, in order; the Archived (Yes/No) column goes just
    before the archived_at field's."""
    own = [f for f in model._meta.sorted_fields
           if f.name not in _TRAILING_FIELDS and f.name != "row_version"]  # bookkeeping
    return [*own, *(model._meta.fields[name] for name in _TRAILING_FIELDS)]


def heading(model_field: Field) -> str:
    """A field's column heading in the export."""
    return field_label(model_field).replace(" (minor units)", "")


def _unique_sheet_name(wanted: str, taken: set[str]) -> str:
    base = _SHEET_NAME_FORBIDDEN.sub("-", wanted).strip("'").strip() or "Sheet"
    name = base[:SHEET_NAME_LIMIT]
    number = 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


def _register_columns(
    model: type[Record], names: _NameBook
) -> tuple[list[str], Callable[[], Iterator[list[Any]]]]:
    fields = register_fields(model)
    # Only the columns whose stored value is not already what the sheet shows are converted:
    # the rows are read as the database holds them (dates as text), without peewee's
    # conversion of every value, which took as long as writing the workbook.
    converters = [(at, convert) for at, convert in
                  enumerate(_converter(f, fields, names) for f in fields) if convert is not None]
    # Positions by name: peewee fields overload ==, so list.index() cannot find them.
    archived_at = [f.name for f in fields].index("archived_at")
    headings = [heading(f) for f in fields]
    headings.insert(archived_at, ARCHIVED_LABEL)

    def rows() -> Iterator[list[Any]]:
        query = model.select(*fields).order_by(model.id)
        for raw in database.execute(query):
            row = list(raw)
            for at, convert in converters:
                if row[at] is not None:
                    row[at] = convert(row[at], raw)
            row.insert(archived_at, "No" if raw[archived_at] is None else "Yes")
            yield row

    return headings, rows


def _history_columns(names: _NameBook) -> tuple[list[str], Callable[[], Iterator[list[Any]]]]:
    meta = ChangeHistory._meta
    fields = [meta.fields[n] for n in (
        "id", "changed_at", "changed_by", "table_name", "record_id", "operation", "changes",
        "row_hash",  # an exported chain head reveals a history rebuilt later (evidence.py)
    )]
    headings = [field_label(f) for f in fields]
    record_column = headings.index(field_label(meta.fields["record_id"]))
    headings.insert(record_column + 1, "Record ID")

    def rows() -> Iterator[list[Any]]:
        query = ChangeHistory.select(*fields).order_by(ChangeHistory.id)
        for (entry_id, changed_at, who, table, record_id, operation, changes,
             row_hash) in database.execute(query):
            yield [
                entry_id,
                _stored_time(changed_at),
                who,
                register_name(table),
                names.name_in_table(table, record_id),
                record_id,
                operation.capitalize(),
                changes,
                row_hash,
            ]

    return headings, rows


def register_name(table: str) -> str:
    """"Risks and opportunities" for "risk"; the table name itself for anything else."""
    if table == ChangeHistory._meta.table_name:
        return HISTORY_SHEET
    model = MODELS_BY_TABLE.get(table)
    plural = getattr(model, "display_plural", "")
    if plural:
        return str(plural)
    return "Settings" if table == "setting" else table


def _yes_no(value: Any) -> str | None:
    return None if value is None else ("Yes" if value else "No")


def _converter(
    model_field: Field, fields: list[Field], names: _NameBook
) -> Callable[[Any, tuple[Any, ...]], Any] | None:
    """How one column's stored value (never None) reads in the export, the whole stored row
    passed along; None when it reads as stored."""
    if isinstance(model_field, ForeignKeyField):
        linked = model_field.rel_model
        return lambda value, _row: names.name(linked, value)
    value_labels: dict[str, dict[str, str]] = getattr(model_field.model, "value_labels", {})
    extra = value_labels.get(model_field.name)
    pairs = model_field.choices or (extra.items() if extra else ())
    if pairs:
        labels = {str(k): str(v) for k, v in pairs}
        return lambda value, _row: None if value is None else labels.get(str(value), value)
    if isinstance(model_field, BooleanField):
        return lambda value, _row: _yes_no(value)
    if isinstance(model_field, BlobField):
        # File contents (attachments, frozen packs) do not fit a cell; say what they are.
        return lambda value, _row: _describe_file(value)
    # Convention for records raised from another one (actions): a table name and an id.
    if model_field.name == "source_table":
        return lambda value, _row: register_name(value) if value else value
    names_in_row = [f.name for f in fields]
    if model_field.name.endswith("_minor") and "currency" in names_in_row:
        # Money is stored as minor units; a spreadsheet wants the amount (1234.50 EUR).
        currency_at = names_in_row.index("currency")
        return lambda value, row: None if not row[currency_at] else \
            money.to_major(value, row[currency_at])
    if model_field.name == "source_id" and "source_table" in names_in_row:
        table_at = names_in_row.index("source_table")
        return lambda value, row: names.name_in_table(row[table_at], value) if value else value
    if isinstance(model_field, DateTimeField):
        return lambda value, _row: _stored_time(value)
    if isinstance(model_field, DateField):
        return lambda value, _row: _stored_date(value)
    return None


def _stored_time(value: Any) -> Any:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def _stored_date(value: Any) -> Any:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _describe_file(value: Any) -> str:
    data = bytes(value)
    return f"{len(data):,} bytes, SHA-256 {hashlib.sha256(data).hexdigest()}"


class _NameBook:
    """Display names of linked records: one query per linked table, kept for the export."""

    def __init__(self) -> None:
        self._maps: dict[type[Record], dict[str, str]] = {}
        self._records: dict[type[Record], dict[str, Record]] = {}

    def name(self, model: type[Record], record_id: Any) -> str:
        found = self._maps.get(model)
        if found is None:
            found = self._maps[model] = _told_apart(model, self.display_names(model))
        return found.get(str(record_id), str(record_id))

    def name_in_table(self, table: str, record_id: Any) -> str:
        model = MODELS_BY_TABLE.get(table or "")
        if model is None or not issubclass(model, Record):
            return str(record_id)
        return self.name(model, record_id)

    def display_names(self, model: type[Record]) -> dict[str, str]:
        """id -> display_name() for every record of `model`, archived ones included."""
        if model.display_name is Record.display_name:
            return _default_display_names(model)
        return {key: record.display_name() for key, record in self._all(model).items()}

    def _all(self, model: type[Record]) -> dict[str, Record]:
        """Every record of `model` by id, its links set to the linked records read the same
        way: a display name of its own may read the records it links to (a KPI reading reads
        its KPI, an acknowledgement its version's document), so each table is read once
        rather than joined into every row or loaded one record at a time."""
        found = self._records.get(model)
        if found is not None:
            return found
        # File contents are never part of a name.
        columns = [f for f in model._meta.sorted_fields if not isinstance(f, BlobField)]
        found = self._records[model] = {r.id: r for r in model.select(*columns).iterator()}
        for link in model._meta.sorted_fields:
            if isinstance(link, ForeignKeyField) and issubclass(link.rel_model, Record):
                linked = self._all(link.rel_model)
                for record in found.values():
                    target = linked.get(record.__data__.get(link.name))
                    if target is not None:
                        record.__rel__[link.name] = target
        return found


def _told_apart(model: type[Record], names: dict[str, str]) -> dict[str, str]:
    """Names shared by several records get the record's reference (or ID) in brackets, so a
    link reads as one record and an import finds the same one: "Internal audit: Sales (AUD-2)"."""
    counts = Counter(name.casefold() for name in names.values())
    shared = {key for key, count in counts.items() if count > 1}
    if not shared:
        return names
    references: dict[str, str] = {}
    if "reference" in model._meta.fields:
        reference = model._meta.fields["reference"]
        references = {str(row[0]): str(row[1])
                      for row in database.execute(model.select(model.id, reference))}
    return {key: f"{name} ({references.get(key) or key})" if name.casefold() in shared else name
            for key, name in names.items()}


def display_names(model: type[Record]) -> dict[str, str]:
    """id -> display name of every record of `model` (archived ones too), as the export shows
    a link to it."""
    return _NameBook().display_names(model)


def _default_display_names(model: type[Record]) -> dict[str, str]:
    """The same names as Record.display_name, read as plain tuples (much faster)."""
    candidates = [model._meta.fields[n] for n in _NAME_FIELDS if n in model._meta.fields]
    names = {}
    for record_id, *values in model.select(model.id, *candidates).tuples().iterator():
        names[record_id] = next((str(v) for v in values if v), str(record_id))
    return names


# --- Writers ---------------------------------------------------------------------------------


def _write_xlsx(path: Path, sheets: list[Sheet], progress: Progress | None) -> dict[str, int]:
    """The workbook written as its XML parts straight into the zip, a row at a time.

    openpyxl's write-only mode took 33 s on the large sample and xlsxwriter's constant-memory
    mode about 20 s, most of it building each cell's XML through several calls; a cell here
    is one formatted string, so the writing takes a fraction of reading the records. Text is
    always an inline string (never read as a formula, a number or a link); dates carry a date
    format, as openpyxl's did.
    """
    counts: dict[str, int] = {}
    _report(progress, 0, len(sheets))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=_ZIP_LEVEL) as archive:
        for done, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{done}.xml", "w",
                              force_zip64=True) as part:
                counts[sheet.name] = _write_sheet(part, sheet)
            _report(progress, done, len(sheets))
        for name, text in _workbook_parts([s.name for s in sheets]).items():
            archive.writestr(name, text)
    return counts


# Level 1 packs the export within a few percent of level 6, several times faster.
_ZIP_LEVEL = 1
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DATE_STYLE, _TIME_STYLE = 1, 2  # cellXfs of _STYLES
_CELL_LIMIT = 32_767
# Characters the spreadsheet format cannot store (as openpyxl's ILLEGAL_CHARACTERS_RE); they
# are dropped rather than failing the export.
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _write_sheet(part: Any, sheet: Sheet) -> int:
    letters = [column_letter(i) for i in range(len(sheet.headings))]
    part.write(
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN_NS}"'
        f' xmlns:r="{_REL_NS}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" '
        'topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        "<sheetData>".encode())
    pending = [_row_xml(1, letters, sheet.headings)]
    written = 0
    for written, row in enumerate(sheet.rows(), start=1):
        pending.append(_row_xml(written + 1, letters, row))
        if len(pending) >= 500:
            part.write("".join(pending).encode("utf-8", "replace"))
            pending.clear()
    pending.append("</sheetData></worksheet>")
    part.write("".join(pending).encode("utf-8", "replace"))
    return written


def _row_xml(number: int, letters: list[str], values: list[Any]) -> str:
    cells = []
    for letter, value in zip(letters, values, strict=False):
        kind = type(value)
        if kind is str:
            if value:  # empty text is an empty cell, as nothing is
                # A cell holds at most 32,767 characters (a frozen pack's snapshot has more).
                text = _ILLEGAL_CHARACTERS.sub("", value[:_CELL_LIMIT]).replace("&", "&amp;") \
                    .replace("<", "&lt;").replace(">", "&gt;")
                cells.append(f'<c r="{letter}{number}" t="inlineStr"><is>'
                             f'<t xml:space="preserve">{text}</t></is></c>')
        elif value is None:
            continue
        elif kind is int or kind is float:
            cells.append(f'<c r="{letter}{number}"><v>{value!r}</v></c>')
        elif kind is Decimal:
            # An amount: a whole one reads back as a whole number.
            amount = int(value) if value == value.to_integral_value() else float(value)
            cells.append(f'<c r="{letter}{number}"><v>{amount!r}</v></c>')
        elif kind is dt.datetime or kind is dt.date:
            style = _TIME_STYLE if kind is dt.datetime else _DATE_STYLE
            cells.append(f'<c r="{letter}{number}" s="{style}"><v>{_serial(value)!r}</v></c>')
        else:
            text = escape(str(value))
            cells.append(f'<c r="{letter}{number}" t="inlineStr"><is>'
                         f'<t xml:space="preserve">{text}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _serial(value: dt.date) -> float | int:
    """A date as the spreadsheet's day number (1900 system, its leap-year quirk kept)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    delta = moment - _EXCEL_EPOCH
    days = delta.days - 1 if 0 < delta.days <= 60 else delta.days
    if not (delta.seconds or delta.microseconds):
        return days
    return days + (delta.seconds + delta.microseconds / 1e6) / 86400


def column_letter(column: int) -> str:
    """"A" for column 0, "AA" for 26 (the import names cells the same way)."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN_NS}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)


def _workbook_parts(names: list[str]) -> dict[str, str]:
    """The parts that tie the sheets together: content types, relationships, the workbook
    (its sheet names) and the styles."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    package = "http://schemas.openxmlformats.org/package/2006"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    numbers = range(1, len(names) + 1)
    return {
        "[Content_Types].xml": (
            f'{head}<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                      f'ContentType="{sheet_type}"/>' for n in numbers)
            + "</Types>"),
        "_rels/.rels": (
            f'{head}<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{office}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"),
        "xl/workbook.xml": (
            f'{head}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><bookViews>'
            '<workbookView/></bookViews><sheets>'
            + "".join(f'<sheet name="{escape(name, quote=True)}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, name in zip(numbers, names, strict=True))
            + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'{head}<Relationships xmlns="{package}/relationships">'
            + "".join(f'<Relationship Id="rId{n}" Type="{office}/worksheet" '
                      f'Target="worksheets/sheet{n}.xml"/>' for n in numbers)
            + f'<Relationship Id="rId{len(names) + 1}" Type="{office}/styles" '
            'Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": _STYLES,
    }


def _write_json(path: Path, sheets: list[Sheet], progress: Progress | None) -> dict[str, int]:
    """Streamed a row per line: the C encoder (json.dump with indent is pure Python) and no
    whole export held in memory."""
    counts: dict[str, int] = {}
    current = organisation.get_organisation()
    header = {
        "application": APP_NAME,
        "organisation": current.name if current is not None else None,
        "exported_at": clock.now().astimezone().isoformat(timespec="seconds"),
    }
    _report(progress, 0, len(sheets))
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(json.dumps(header, ensure_ascii=False)[:-1] + ',\n"registers": {')
        for done, sheet in enumerate(sheets, start=1):
            handle.write(("," if done > 1 else "") + f"\n{_json_text(sheet.name)}: [")
            written = 0
            for row in sheet.rows():
                values = dict(zip(sheet.headings, map(_json_value, row), strict=True))
                handle.write(("," if written else "") + "\n" + _json_text(values))
                written += 1
            handle.write("\n]")
            counts[sheet.name] = written
            _report(progress, done, len(sheets))
        handle.write("\n}}\n")
    return counts


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # an exact amount, never a float
    return value


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)

