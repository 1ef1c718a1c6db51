"""Reading uploads: encodings, separators, and every kind of file that must be refused."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from readiness.transfer import parsing
from readiness.transfer.parsing import ImportRefused, read_upload


def xlsx(rows, title="Data elements", merge=None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Name;Definition\nCafé;Größe\n".encode(), "utf-8"),
        ("\ufeffName,Definition\nCafé,Größe\n".encode(), "utf-8 with BOM"),
        ("Name;Definition\r\nCafé;Größe\r\n".encode("cp1252"), "windows-1252"),
    ],
)
def test_it_reads_csv_in_each_encoding_and_separator(data, encoding):
    [sheet] = read_upload(data, "elements.csv")
    assert sheet.headers == ["Name", "Definition"], encoding
    assert sheet.rows == [(2, ["Café", "Größe"])]


def test_it_keeps_commas_inside_quoted_cells():
    [sheet] = read_upload(b'Name,Consuming systems\n"A, b","ERP; CRM"\n', "x.csv")
    assert sheet.rows[0][1] == ["A, b", "ERP; CRM"]


def test_it_reads_xlsx_dates_as_dates_and_skips_blank_rows():
    import datetime as dt

    data = xlsx([["Case", "Tested on"], [], ["Late order", dt.datetime(2026, 3, 1)]])
    [sheet] = read_upload(data, "cases.xlsx")
    assert sheet.rows == [(3, ["Late order", "2026-03-01"])]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "x.csv", "empty"),
        (b"Name\n", "x.pdf", "Upload a .csv or .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x.xlsx", "password-protected"),
        (b"PK\x03\x04 not really a zip", "x.xlsx", "damaged"),
        (b"\x00\x01\x02binary", "x.csv", "not a text CSV"),
        (b"\n\n\n", "x.csv", "no header"),
    ],
)
def test_it_refuses_unreadable_files(data, filename, message):
    with pytest.raises(ImportRefused, match=message):
        read_upload(data, filename)


def test_it_refuses_files_over_the_size_limit(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_BYTES", 100)
    with pytest.raises(ImportRefused, match="at most"):
        read_upload(b"Name\n" + b"x\n" * 100, "x.csv")


def test_it_refuses_too_many_rows(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 3)
    with pytest.raises(ImportRefused, match="rows"):
        read_upload(b"Name\n" + b"x\n" * 4, "x.csv")
    with pytest.raises(ImportRefused, match="rows"):
        read_upload(xlsx([["Name"]] + [[f"x{i}"] for i in range(6)]), "x.xlsx")


def test_it_refuses_a_zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (12 * 1024 * 1024))
    with pytest.raises(ImportRefused, match="expands"):
        read_upload(out.getvalue(), "bomb.xlsx")


def test_it_refuses_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportRefused, match="not an XLSX"):
        read_upload(out.getvalue(), "x.xlsx")


def test_it_refuses_formulas_and_says_where():
    data = xlsx([["Name", "Definition"], ["Customer", "=1+1"]])
    with pytest.raises(ImportRefused, match=r"cell B2 holds a formula"):
        read_upload(data, "x.xlsx")


def test_it_refuses_merged_header_cells():
    data = xlsx([["Name", "Definition", None], ["Customer", "Who buys", "extra"]], merge="B1:C1")
    with pytest.raises(ImportRefused, match="no header"):
        read_upload(data, "x.xlsx")


def test_it_refuses_a_workbook_with_an_empty_sheet():
    with pytest.raises(ImportRefused, match="The sheet “Data elements” is empty"):
        read_upload(xlsx([]), "x.xlsx")


def test_it_names_columns_like_a_spreadsheet():
    assert [parsing.column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def _with_member(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, content if info.filename == name else source.read(info))
    return out.getvalue()


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>"""


def test_it_refuses_xml_entities_and_damaged_sheets():
    data = xlsx([["Name"], ["Customer"]])
    with pytest.raises(ImportRefused, match="cannot be read"):
        read_upload(_with_member(data, "xl/worksheets/sheet1.xml", XXE), "x.xlsx")
    with pytest.raises(ImportRefused, match="cannot be read"):
        read_upload(_with_member(data, "xl/worksheets/sheet1.xml", b"<worksheet><sheetD"), "x.xlsx")
