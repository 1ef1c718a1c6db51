"""Registers as CSV or XLSX: readable headers, choices as labels, dates as dates, references by
name, and a Version column an import uses to notice rows changed in the app meanwhile.

Cells a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) are written
with a leading apostrophe; an import takes it off again.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.db import models

from readiness.projects.models import Project
from readiness.registers.specs import RegisterSpec
from readiness.transfer.columns import (
    LIST_SEPARATOR,
    VERSION_LABEL,
    ColumnDef,
    Kind,
    columns_for,
    sheet_title,
    transferable_specs,
)

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        return "'" + value
    return value


def export_queryset(spec: RegisterSpec, queryset: models.QuerySet) -> models.QuerySet:
    """The items to export, with every relation a column names fetched up front."""
    columns = columns_for(spec)
    refs = [c.name for c in columns if c.kind is Kind.REF]
    lists = [c.name for c in columns if c.kind is Kind.REFS]
    return queryset.select_related(*refs).prefetch_related(*lists)


def _cell(column: ColumnDef, item: models.Model):
    value = getattr(item, column.name)
    if column.kind is Kind.REFS:
        return LIST_SEPARATOR.join(sorted(str(o) for o in value.all()))
    if column.kind is Kind.REF:
        return str(value) if value is not None else ""
    if column.kind is Kind.CHOICE:
        return column.choices.get(str(value), str(value)) if value not in (None, "") else ""
    if column.kind is Kind.BOOL:
        return "Yes" if value else "No"
    if value is None:
        return ""
    return value


def export_rows(spec: RegisterSpec, items: Iterable[models.Model]) -> tuple[list[str], Iterable]:
    """The header and the rows (Python values: dates stay dates) of one register."""
    columns = columns_for(spec)
    header = [c.label for c in columns] + [VERSION_LABEL]

    def rows():
        for item in items:
            yield [neutralise(_cell(c, item)) for c in columns] + [item.version]

    return header, rows()


def export_csv(spec: RegisterSpec, queryset: models.QuerySet) -> bytes:
    """UTF-8 with a byte order mark, so Excel reads accents right when it opens the file."""
    header, rows = export_rows(spec, export_queryset(spec, queryset))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _add_sheet(workbook, spec: RegisterSpec, queryset: models.QuerySet) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(sheet_title(spec))
    header, rows = export_rows(spec, export_queryset(spec, queryset))
    columns = columns_for(spec)
    for index, column in enumerate([*columns, None], 1):
        wide = column is not None and column.kind in (Kind.TEXT, Kind.REFS)
        sheet.column_dimensions[get_column_letter(index)].width = 32 if wide else 16
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)


def export_xlsx(sheets: list[tuple[RegisterSpec, models.QuerySet]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for spec, queryset in sheets:
        _add_sheet(workbook, spec, queryset)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_project_xlsx(project: Project) -> bytes:
    """The whole project in one workbook: owners, systems, then one sheet per register."""
    return export_xlsx(
        [(spec, spec.model.objects.filter(project=project)) for spec in transferable_specs()]
    )
