"""Reading an uploaded CSV or XLSX file into plain sheets of text cells, or refusing it.

Everything that makes a file unreadable or unsafe is refused here with a message for people,
before anything is matched or written: the size, the type, password protection, corruption,
compressed members that would expand into gigabytes, formulas, and sheets without a header.
CSV goes through the standard library's reader, XLSX through openpyxl (which parses the XML
with defusedxml when it is installed, as it is here).
"""

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX of 10 MB holding 20,000 plain rows expands to well under this; more means a zip bomb.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 150
MAX_COLUMNS = 200
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportRefused(Exception):
    """The file cannot be imported; the message says why, for the person who uploaded it."""


@dataclass
class Sheet:
    title: str
    headers: list[str]
    header_row: int = 1
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "headers": self.headers,
            "header_row": self.header_row,
            "rows": [[n, cells] for n, cells in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Sheet":
        return cls(
            data["title"],
            data["headers"],
            data["header_row"],
            [(n, cells) for n, cells in data["rows"]],
        )


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value) -> str:
    """A cell as the text an import reads: dates as ISO dates, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet(title: str, rows, first_row: int = 1) -> Sheet | None:
    """A sheet from its rows of text: the first non-empty row is the header."""
    sheet = None
    for number, cells in rows:
        if not any(cells):
            continue
        if sheet is None:
            while cells and not cells[-1]:
                cells = cells[:-1]
            sheet = Sheet(title, cells, number)
            continue
        sheet.rows.append((number, cells))
    if sheet is None:
        return None
    for number, cells in sheet.rows:
        for index in range(len(sheet.headers), len(cells)):
            if cells[index]:
                raise ImportRefused(
                    f"{title}: row {number} has a value in column {column_letter(index)}, "
                    "which has no header. Give every column a header (merged header cells "
                    "are not supported)."
                )
    for index, header in enumerate(sheet.headers):
        if not header:
            raise ImportRefused(
                f"{title}: column {column_letter(index)} has no header. Give every column a "
                "header (merged header cells are not supported: unmerge them)."
            )
    return sheet


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportRefused("This is not a text CSV file. Upload a .csv or .xlsx file.")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(data: bytes, title: str = "CSV") -> list[Sheet]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        rows = [
            (number, [cell.strip() for cell in cells])
            for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
        ]
    except csv.Error as e:
        raise ImportRefused(f"The CSV file cannot be read: {e}.") from None
    sheet = _sheet(title, rows)
    if sheet is None:
        raise ImportRefused("The file is empty: it has no header row.")
    return [sheet]


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRefused(
            "This XLSX file is damaged or not an XLSX file. Save it again from your "
            "spreadsheet program, or export it as CSV."
        ) from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO):
            raise ImportRefused(
                "This XLSX file expands to far more data than a spreadsheet of its size "
                "holds, so it is refused."
            )
    if "[Content_Types].xml" not in archive.namelist():
        raise ImportRefused("This file is a ZIP archive, not an XLSX workbook.")


def read_xlsx(data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    if data.startswith(OLE_SIGNATURE):
        raise ImportRefused(
            "This workbook is password-protected or in the old .xls format. Remove the "
            "password, or save it as .xlsx, and upload it again."
        )
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as e:
        raise ImportRefused(
            f"This XLSX file cannot be read ({type(e).__name__}). Save it again from your "
            "spreadsheet program, or export it as CSV."
        ) from None
    sheets = []
    formulas = _has_formulas(data)
    try:
        for worksheet in workbook.worksheets:
            rows = _xlsx_rows(worksheet) if formulas else _xlsx_values(worksheet)
            sheet = _sheet(worksheet.title, rows)
            if sheet is None:
                raise ImportRefused(
                    f"The sheet “{worksheet.title}” is empty: delete it, or give it a header "
                    "row (as an export writes it)."
                )
            sheets.append(sheet)
    except ImportRefused:
        raise
    except Exception as e:  # a damaged sheet, or XML defusedxml refuses (entities, DTDs)
        raise ImportRefused(
            f"This XLSX file cannot be read ({type(e).__name__}). Save it again from your "
            "spreadsheet program, or export it as CSV."
        ) from None
    finally:
        workbook.close()
    if not sheets:
        raise ImportRefused("The workbook is empty: none of its sheets has a header row.")
    return sheets


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet holds a formula: a fast scan of the XML, so the cell-by-cell
    reading that says where is needed only then."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if not name.startswith("xl/worksheets/"):
            continue
        tail = b""
        with archive.open(name) as member:
            while chunk := member.read(1024 * 1024):
                text = tail + chunk
                if b"<f>" in text or b"<f " in text or b":f>" in text or b":f " in text:
                    return True
                tail = text[-8:]
    return False


def _xlsx_values(worksheet):
    for number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
        if number > MAX_ROWS + 1:
            raise ImportRefused(f"{worksheet.title} has more than {MAX_ROWS:,} rows.")
        yield number, [cell_text(v) for v in values[:MAX_COLUMNS]]


def _xlsx_rows(worksheet):
    total = 0
    for row in worksheet.iter_rows():
        cells = []
        number = None
        for index, cell in enumerate(row):
            if index >= MAX_COLUMNS:
                break
            if number is None and hasattr(cell, "row"):
                number = cell.row
            if getattr(cell, "data_type", None) == "f":
                where = f"{column_letter(index)}{getattr(cell, 'row', '')}"
                raise ImportRefused(
                    f"{worksheet.title}: cell {where} holds a formula ({str(cell.value)[:40]}). "
                    "Formulas are not imported: replace them by their values "
                    "(copy, paste values) and upload again."
                )
            cells.append(cell_text(cell.value))
        if number is None:
            continue
        total += 1
        if total > MAX_ROWS + 1:
            raise ImportRefused(f"{worksheet.title} has more than {MAX_ROWS:,} rows.")
        yield number, cells


def read_limited(upload) -> bytes:
    """An uploaded file's bytes, without reading more than the limit allows."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ImportRefused(
            f"The file is {upload.size / 1024 / 1024:.1f} MB; at most "
            f"{MAX_BYTES // 1024 // 1024} MB can be imported."
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB.")
    return data


def read_upload(data: bytes, filename: str) -> list[Sheet]:
    """The sheets of an uploaded file; ImportRefused with the reason when it cannot be read."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; at most "
            f"{MAX_BYTES // 1024 // 1024} MB can be imported."
        )
    if not data:
        raise ImportRefused("The file is empty.")
    name = filename.lower()
    if name.endswith(".xlsx"):
        sheets = read_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        if data.startswith((b"PK\x03\x04", OLE_SIGNATURE)):
            raise ImportRefused("This file is a workbook, not CSV: name it .xlsx.")
        sheets = read_csv(data, title=filename.rsplit(".", 1)[0] or "CSV")
    else:
        raise ImportRefused("Upload a .csv or .xlsx file (Excel, LibreOffice or Google Sheets).")
    rows = sum(len(s.rows) for s in sheets)
    if rows > MAX_ROWS:
        raise ImportRefused(f"The file has {rows:,} rows; at most {MAX_ROWS:,} can be imported.")
    return sheets
