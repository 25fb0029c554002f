"""Downloads of lists that a spreadsheet opens as they are meant: CSV in UTF-8 and Excel
workbooks with dates as dates and numbers as numbers, and no cell ever run as a formula."""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# What a spreadsheet would run as a formula when it starts a cell (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "d mmm yyyy"  # the app's own date style ("1 Dec 2026"), kept a real date
DATETIME_FORMAT = "d mmm yyyy hh:mm"
# A sheet title: at most 31 characters, none of these.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_LENGTH = 31
# Past this size the workbook being written moves from memory to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


def spreadsheet_safe(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text instead of running it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> Any:
    """Numbers stay numbers (a minus sign included); text that a spreadsheet would run is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value.isoformat()
    return spreadsheet_safe(value)


def csv_download(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """An attachment of `rows` under `header`, each cell made safe by csv_cell."""
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    # The byte-order mark makes spreadsheets read the file as UTF-8 (messages quote Chinese).
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return response


def xlsx_value(value: Any) -> Any:
    """A cell's value as Excel should hold it: numbers, booleans and dates as themselves (an
    aware time in local time, as Excel has no time zones), text made safe as in CSV and
    stripped of the control characters a workbook cannot hold."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        return timezone.make_naive(value) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", spreadsheet_safe(value))


def xlsx_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    """One cell of a write-only sheet (xlsx_value): text is typed as text, so that Excel never
    reads it as a formula, and dates are shown in the app's style."""
    value = xlsx_value(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def sheet_title(title: str) -> str:
    """A title Excel accepts for a sheet: no []:*?/\\, at most 31 characters."""
    cleaned = SHEET_TITLE_FORBIDDEN.sub(" ", title).strip()
    return cleaned[:SHEET_TITLE_LENGTH].strip() or "Sheet"


def xlsx_download(
    filename: str,
    header: list[str],
    rows: Iterable[Iterable[Any]],
    *,
    title: str = "",
    sheet: str = "",
) -> FileResponse:
    """An Excel attachment of `rows` under a bold, frozen `header`, each cell made by xlsx_cell.

    The workbook carries `title` (what the list is and as of when) and its sheet is named
    `sheet` (at most 31 characters: a short form of the title). The workbook
    is write-only (openpyxl streams each row out as it comes) and is saved to a temporary file
    that stays in memory only while small.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(sheet or title or filename.rsplit(".", 1)[0]))
    sheet.freeze_panes = "A2"
    if title:
        workbook.properties.title = title
    workbook.properties.creator = "RareGate"
    bold = Font(bold=True)
    heading = []
    for label in header:
        cell = xlsx_cell(sheet, label)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    # Not a context manager: the response closes the file once it is sent.
    handle = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


@dataclass
class Table:
    """A list as a download: its file name without extension, a title that says what it is and
    as of when, its header and its rows (an iterable that may be read only once)."""

    name: str
    title: str
    sheet: str  # the sheet's name in a workbook: at most 31 characters
    header: list[str]
    rows: Iterable[Iterable[Any]]


FORMATS = ("csv", "xlsx")


def download_format(request: HttpRequest) -> str:
    """The download a list's query asks for (?format=csv or xlsx); "" for the page itself."""
    asked = request.GET.get("format", "")
    return asked if asked in FORMATS else ""


def table_download(table: Table, format: str) -> HttpResponse:
    """The table as a CSV or Excel attachment."""
    if format == "xlsx":
        return xlsx_download(
            f"{table.name}.xlsx", table.header, table.rows, title=table.title, sheet=table.sheet
        )
    return csv_download(f"{table.name}.csv", table.header, table.rows)


class FilterDownloadMixin:
    """A django-filter list page whose ?format=csv or xlsx is a download of every row its
    filters select (`table(queryset)`), not only the page shown. Filters that do not validate
    give the page with their errors rather than a file of nothing."""

    def table(self, queryset: Any) -> Table:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        format = download_format(request)
        if format:
            filterset = self.get_filterset(self.get_filterset_class())
            if filterset.is_valid():
                return table_download(self.table(filterset.qs), format)
        return super().get(request, *args, **kwargs)
