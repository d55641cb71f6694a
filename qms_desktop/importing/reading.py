"""Reading a spreadsheet the user chose into plain tables, refusing what cannot be read safely.

xlsx and ods are read with python-calamine (Rust, many times openpyxl's speed), openpyxl's
read-only mode where calamine is missing; csv with the standard library, its encoding found
from its bytes (UTF-8 with or without BOM, UTF-16, else Windows-1252). What is refused, each
with one plain message (`Unreadable`): a file that is no spreadsheet whatever its name, a zip
that would unpack to far more than it holds, more rows than `MAX_ROWS`, formulas (their values
may be stale; the user pastes values), merged cells, and repeated column headings.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from qms_desktop import errors
from qms_desktop.export import column_letter

# A register holds 20,000 rows in the large sample; ten times that is no register but a dump.
MAX_ROWS = 200_000
MAX_COLUMNS = 500
MAX_FILE_BYTES = 200 * 1024 * 1024
# Together, and for one part of the zip: what a spreadsheet of MAX_ROWS could unpack to, and
# the most a part may grow (text compresses 10-20 times; a bomb a thousand times or more).
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_PACKING_RATIO = 200
# The template's row of notes under the headings starts each note with this.
NOTE_MARK = "Note: "

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class Unreadable(Exception):
    """The file cannot be imported at all; the message says why in plain words."""


@dataclass
class Table:
    """One sheet: its headings, and its rows of cell values (str, int, float, bool, date,
    datetime or None), each with the row number the user sees in the spreadsheet."""

    name: str
    headings: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)


def read_tables(path: Path) -> list[Table]:
    """Every sheet of `path` with a heading row; empty sheets are left out."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            start = handle.read(8)
    except IsADirectoryError:
        raise Unreadable(f"{path.name} is a folder, not a spreadsheet.") from None
    except OSError as exc:
        raise Unreadable(f"{path.name} cannot be read: {exc.strerror or exc}.") from None
    if size == 0:
        raise Unreadable(f"{path.name} is empty.")
    if size > MAX_FILE_BYTES:
        raise Unreadable(f"{path.name} is {size / 1024 / 1024:,.0f} MB; a register to import "
                         f"is at most {MAX_FILE_BYTES // 1024 // 1024} MB. Split it.")
    if start.startswith(_ZIP_MAGIC):
        tables = _read_zipped(path)
    elif start.startswith(_OLE_MAGIC):
        raise Unreadable(f"{path.name} is an Excel 97-2003 workbook (.xls) or a password-"
                         "protected one. Save it as an Excel workbook (.xlsx) without a "
                         "password and import that.")
    else:
        tables = [_read_csv(path)]
    tables = [t for t in tables if t.headings]
    if not tables:
        raise Unreadable(f"{path.name} has no rows to import: every sheet is empty.")
    return tables


# --- xlsx and ods -------------------------------------------------------------------------------


def _read_zipped(path: Path) -> list[Table]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            _refuse_bombs(path, members)
            if "xl/workbook.xml" in names:
                kind = "xlsx"
                formulas = _xlsx_formulas(archive)
            elif ("content.xml" in names and "mimetype" in names
                  and archive.read("mimetype")[:60].startswith(_ODS_MIMETYPE)):
                kind = "ods"
                _refuse_huge_ods(archive)
                formulas = _ods_formulas(archive)
            else:
                raise Unreadable(f"{path.name} is not a spreadsheet (it is a zip archive of "
                                 "something else, a Word document, say).")
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, RuntimeError,
            NotImplementedError, OSError, ElementTree.ParseError):
        # A damaged zip fails in any of these ways (a bad checksum, a cut stream, a part
        # listed but missing, an encrypted or unknown packing).
        raise Unreadable(f"{path.name} is damaged or not a spreadsheet: it cannot be "
                         "opened as a workbook.") from None
    if formulas:
        sheet, cell, text = formulas
        raise Unreadable(
            f"Sheet “{sheet}”, cell {cell} holds a formula{text}. Formulas are not imported, "
            "as their results can be out of date: copy the sheet and paste it as values "
            "(Paste special → Values), then import that.")
    return _read_with_calamine(path, kind)


def _refuse_bombs(path: Path, members: list[zipfile.ZipInfo]) -> None:
    total = sum(m.file_size for m in members)
    packed_badly = any(m.file_size > 10 * 1024 * 1024
                       and m.file_size > MAX_PACKING_RATIO * max(m.compress_size, 1)
                       for m in members)
    if total > MAX_UNPACKED_BYTES or packed_badly:
        raise Unreadable(f"{path.name} would unpack to {total / 1024 / 1024:,.0f} MB from "
                         f"{sum(m.compress_size for m in members) / 1024 / 1024:,.1f} MB: "
                         "that is no ordinary spreadsheet (a zip bomb, perhaps), so it was "
                         "not opened.")


# A grid of this many cells is what calamine builds for a sheet, however few of them hold a
# value: 5 million is 25 times the large sample's biggest register, and some 100 MB.
MAX_CELLS = 5_000_000
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
# A cell's or a row's own reference, its attributes in any order.
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]{1,7})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s[^>]*?\bref="([^"]*)"')
_RANGE_END = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")


@dataclass
class _SheetScan:
    formula: tuple[str, str] | None = None  # (cell, " (=...)")
    rows: int = 0
    columns: int = 0


def _xlsx_formulas(archive: zipfile.ZipFile) -> tuple[str, str, str] | None:
    """(sheet, cell, " (=...)") of the first formula in the workbook; None when there is none.

    Every sheet part is scanned, whatever workbook.xml lists: the workbook only names them.
    A sheet whose grid would be too large to build is refused here, before calamine builds it.
    """
    names = _xlsx_sheet_names(archive)
    parts = [m for m in archive.infolist() if _SHEET_PART.fullmatch(m.filename)]
    order = {part: at for at, part in enumerate(names)}
    parts.sort(key=lambda m: (order.get(m.filename, len(order)), m.filename))
    for info in parts:
        name = names.get(info.filename, info.filename)
        scan = _scan_sheet(archive, info)
        if scan.rows * scan.columns > MAX_CELLS:
            raise Unreadable(
                f"The sheet “{name}” spans {scan.rows:,} rows by {scan.columns:,} columns; "
                f"an import takes at most {MAX_CELLS:,} cells. Delete the rows and columns "
                "past the register's last cell (Ctrl+End shows where the sheet ends), or "
                "copy the register alone into a new workbook, then import that.")
        if scan.formula is not None:
            cell, text = scan.formula
            return name, cell, text
    return None


def _xlsx_sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """{part name: sheet name} from workbook.xml and its relationships, in the workbook's
    order; empty where they cannot be parsed (the sheets are scanned all the same)."""
    try:
        workbook = _parsed_xml(archive.read("xl/workbook.xml"))
        rels = _parsed_xml(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id", ""): r.get("Target", "") for r in rels.iter()
               if _local(r.tag) == "Relationship"}
    names: dict[str, str] = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        # The relationship id is r:id in any prefix: match it by its local name.
        rid = next((v for k, v in sheet.attrib.items() if k.startswith("{") and _local(k) == "id"),
                   "")
        target = targets.get(rid, "")
        if target:
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            names[posixpath.normpath(member)] = sheet.get("name", "?")
    return names


def _parsed_xml(data: bytes) -> ElementTree.Element:
    """A workbook part never declares a DTD: one that does (entities that expand to gigabytes,
    or that reach outside the file) is refused unparsed."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ElementTree.ParseError("a DTD in a workbook part")
    return ElementTree.fromstring(data)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> _SheetScan:
    """The first formula and the extent of the grid, read in pieces: a sheet's XML can be
    hundreds of megabytes. The extent is the larger of the declared dimension and the
    farthest cell or row, as calamine sizes its grid by both."""
    scan = _SheetScan()
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(1024 * 1024):
            data = tail + chunk
            if scan.formula is None and (found := _FORMULA.search(data)):
                cells = list(_CELL_REF.finditer(data, 0, found.start()))
                cell = (cells[-1].group(1) + cells[-1].group(2)).decode() if cells else "?"
                body = data[found.end():found.end() + 200].split(b"<", 1)[0]
                text = _xml_text(body).strip()
                scan.formula = cell, f" (={text[:60]})" if text else ""
            for dimension in _DIMENSION.finditer(data):
                end = _RANGE_END.search(dimension.group(1).decode("ascii", "replace"))
                if end:
                    scan.columns = max(scan.columns, _column_number(end.group(1)))
                    scan.rows = max(scan.rows, int(end.group(2)))
            for ref in _CELL_REF.finditer(data):
                scan.columns = max(scan.columns, _column_number(ref.group(1).decode()))
                scan.rows = max(scan.rows, int(ref.group(2)))
            for row in _ROW_REF.finditer(data):
                scan.rows = max(scan.rows, int(row.group(1)))
            tail = data[-4096:]
    return scan


def _column_number(letters: str) -> int:
    """1 for "A", 27 for "AA"."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"


def _refuse_huge_ods(archive: zipfile.ZipFile) -> None:
    """ods repeats a row or a cell by a count (`number-rows-repeated`), which calamine writes
    out in full: a 1 KB file can ask for billions of cells. Only repeats up to the last cell
    with a value count; LibreOffice ends every sheet with a million empty repeated rows."""
    with archive.open("content.xml") as stream:
        if b"<!DOCTYPE" in stream.read(4096):
            raise ElementTree.ParseError("a DTD in content.xml")
    name, rows, last_row, columns, column, row_columns = "?", 0, 0, 0, 0, 0
    with archive.open("content.xml") as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_ODS_TABLE}table":
                    name, rows, last_row, columns = element.get(f"{_ODS_TABLE}name", "?"), 0, 0, 0
                elif tag == f"{_ODS_TABLE}table-row":
                    column, row_columns = 0, 0
                continue
            if tag in (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"):
                column += int(element.get(f"{_ODS_TABLE}number-columns-repeated", "1"))
                if element.get(_ODS_VALUE_TYPE) is not None or len(element):
                    row_columns = column
            elif tag == f"{_ODS_TABLE}table-row":
                rows += int(element.get(f"{_ODS_TABLE}number-rows-repeated", "1"))
                if row_columns:
                    last_row, columns = rows, max(columns, row_columns)
                if last_row * columns > MAX_CELLS:
                    raise Unreadable(
                        f"The sheet “{name}” spans {last_row:,} rows by {columns:,} columns; "
                        f"an import takes at most {MAX_CELLS:,} cells. Delete the rows and "
                        "columns past the register's last cell, or copy the register alone "
                        "into a new spreadsheet, then import that.")
                element.clear()


def _ods_formulas(archive: zipfile.ZipFile) -> tuple[str, str, str] | None:
    with archive.open("content.xml") as stream:
        tail = b""
        while chunk := stream.read(1024 * 1024):
            data = tail + chunk
            found = re.search(rb'table:formula="([^"]*)"', data)
            if found:
                sheets = re.findall(rb'<table:table table:name="([^"]*)"', data[:found.start()])
                sheet = _xml_text(sheets[-1]) if sheets else "?"
                text = _xml_text(found.group(1))
                return sheet, "(a cell)", f" ({text[:60]})"
            tail = data[-4096:]
    return None


def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _read_with_calamine(path: Path, kind: str) -> list[Table]:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - the fallback where the wheel is missing
        if kind != "xlsx":
            raise Unreadable(f"{path.name}: OpenDocument spreadsheets need the "
                             "python-calamine package; save it as .xlsx instead.") from None
        return _read_with_openpyxl(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine's errors: damaged XML, a bad zip, a password
        raise Unreadable(f"{path.name} cannot be read as a workbook ({_short(exc)}).") from None
    tables = []
    try:
        for name in workbook.sheet_names:
            try:
                sheet = workbook.get_sheet_by_name(name)
            except Exception as exc:
                raise Unreadable(f"Sheet “{name}” of {path.name} cannot be read "
                                 f"({_short(exc)}).") from None
            if sheet.height > MAX_ROWS + 2:
                raise _too_many_rows(name, sheet.height)
            if sheet.width > MAX_COLUMNS:
                raise Unreadable(f"Sheet “{name}” has {sheet.width:,} columns; a register has "
                                 f"at most {MAX_COLUMNS}.")
            merged = sheet.merged_cell_ranges or []
            if merged:
                (top, left), (bottom, right) = merged[0]
                raise Unreadable(
                    f"Sheet “{name}” has merged cells ({_cell(top, left)}:"
                    f"{_cell(bottom, right)}). Unmerge them so each row has its own values, "
                    "then import.")
            # calamine leaves out empty leading rows and columns: put them back, so the row
            # and column named in a problem are the ones the user sees.
            offset_row, offset_column = sheet.start or (0, 0)
            raw = sheet.to_python(skip_empty_area=False)
            cells = ([[""] * offset_column + list(r) for r in raw] if offset_column else raw)
            tables.append(_table(name, cells, first_row=offset_row + 1))
    finally:
        workbook.close()
    return tables


def _read_with_openpyxl(path: Path) -> list[Table]:  # pragma: no cover - fallback
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        tables = []
        for worksheet in workbook.worksheets:
            rows = []
            for row in worksheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > MAX_ROWS + 2:
                    raise _too_many_rows(worksheet.title, len(rows))
            tables.append(_table(worksheet.title, rows, first_row=1))
        return tables
    finally:
        workbook.close()


def _too_many_rows(sheet: str, rows: int) -> Unreadable:
    return Unreadable(f"Sheet “{sheet}” has {rows:,} rows or more; an import takes at most "
                      f"{MAX_ROWS:,}. Split it into several files.")


def _short(exc: BaseException) -> str:
    return errors.first_line(exc)[:120]


def _cell(row: int, column: int) -> str:
    return f"{column_letter(column)}{row + 1}"


# --- csv ----------------------------------------------------------------------------------------


def _read_csv(path: Path) -> Table:
    data = path.read_bytes()
    text = _decoded(path, data)
    if "\x00" in text or _looks_binary(text):
        raise Unreadable(f"{path.name} is not a spreadsheet: it is neither a workbook "
                         "(.xlsx, .ods) nor comma-separated text (.csv).")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:64 * 1024], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 2:
                raise _too_many_rows(path.name, len(rows))
    except csv.Error as exc:
        raise Unreadable(f"{path.name} is not valid comma-separated text ({exc}).") from None
    return _table(path.stem, rows, first_row=1)


def _decoded(path: Path, data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    sample = data[:4096]
    # UTF-16 without a BOM: every other byte of plain text is zero.
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4 * 3 // 2:
        return data.decode("utf-16-le", "replace")
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4 * 3 // 2:
        return data.decode("utf-16-be", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the system's code page; Western Europe's is 1252.
        return data.decode("cp1252", "replace")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for c in sample if c < " " and c not in "\t\r\n")
    return controls > max(2, len(sample) // 100)


# --- Shaping ------------------------------------------------------------------------------------


def _table(name: str, cells: list[list[Any]], first_row: int) -> Table:
    """Headings from the first non-empty row; rows after it, trailing empty ones dropped."""
    numbered = [(first_row + at, [_plain(v) for v in row]) for at, row in enumerate(cells)]
    numbered = [(n, row) for n, row in numbered if any(v is not None for v in row)]
    if not numbered:
        return Table(name, [])
    _heading_row, headings_raw = numbered[0]
    headings = ["" if v is None else str(v).strip() for v in headings_raw]
    while headings and not headings[-1]:
        headings.pop()
    _refuse_repeated(name, headings)
    body = numbered[1:]
    if body and _is_notes_row(body[0][1]):
        body = body[1:]
    width = len(headings)
    table = Table(name, headings)
    for number, row in body:
        extra = [v for v in row[width:] if v is not None]
        if extra:
            at = next(i for i, v in enumerate(row) if i >= width and v is not None)
            raise Unreadable(f"Sheet “{name}”, row {number} has a value in column "
                             f"{column_letter(at)}, which has no heading. Give the column a "
                             "heading or clear it.")
        table.rows.append((row + [None] * width)[:width])
        table.row_numbers.append(number)
    for at, heading in enumerate(headings):
        if not heading and any(row[at] is not None for row in table.rows):
            raise Unreadable(f"Sheet “{name}”: column {column_letter(at)} has values but no "
                             "heading. Give it a heading or clear it.")
    return table


def _refuse_repeated(name: str, headings: list[str]) -> None:
    seen: dict[str, int] = {}
    for at, heading in enumerate(headings):
        if not heading:
            continue
        key = " ".join(heading.casefold().split())
        if key in seen:
            raise Unreadable(
                f"Sheet “{name}” has the heading “{heading}” twice (columns "
                f"{column_letter(seen[key])} and {column_letter(at)}). Rename or remove one, "
                "so each value has one place to go.")
        seen[key] = at


def _is_notes_row(row: list[Any]) -> bool:
    texts = [v for v in row if v is not None]
    return bool(texts) and all(isinstance(v, str) and v.startswith(NOTE_MARK) for v in texts)


def _plain(value: Any) -> Any:
    """Empty text is no value; text is kept as typed (trimmed later, by the field rules)."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value
