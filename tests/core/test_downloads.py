"""CSV downloads: cells a spreadsheet would run are quoted; numbers stay numbers."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from core.downloads import (
    XLSX_TYPE,
    Table,
    csv_cell,
    download_format,
    sheet_title,
    spreadsheet_safe,
    table_download,
    xlsx_download,
)


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("tonnes", "tonnes"),
        ("a=b", "a=b"),
        (12, "12"),
        (None, ""),
    ],
)
def test_spreadsheet_safe_neutralises_cells_a_spreadsheet_would_run(cell, safe):
    assert spreadsheet_safe(cell) == safe


# Excel workbooks: the same cell rules, with dates as dates and numbers as numbers.


def workbook_of(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_an_xlsx_download_keeps_dates_and_numbers_and_neutralises_formulas():
    response = xlsx_download(
        "list.xlsx",
        ["Text", "Day", "Tonnes", "Count", "Flag", "Empty"],
        [
            ['=HYPERLINK("http://x")', date(2026, 12, 1), Decimal("4446.5"), 3, True, None],
            ["+33 1 23\x07", date(2025, 4, 4), -2.5, 0, False, ""],
        ],
        title="Licences as of 1 December 2026",
        sheet="Licences 1 Dec 2026",
    )

    assert response["Content-Type"] == XLSX_TYPE
    assert 'filename="list.xlsx"' in response["Content-Disposition"]
    workbook = workbook_of(response)
    assert workbook.sheetnames == ["Licences 1 Dec 2026"]
    assert workbook.properties.title == "Licences as of 1 December 2026"
    sheet = workbook.active
    header, first, second = sheet.iter_rows(min_row=1, max_row=3)
    assert [cell.value for cell in header] == ["Text", "Day", "Tonnes", "Count", "Flag", "Empty"]
    assert header[0].font.bold
    assert first[0].value == '\'=HYPERLINK("http://x")'
    assert first[0].data_type == "s"  # text, never a formula
    assert first[1].is_date and first[1].value == datetime(2026, 12, 1)
    assert first[1].number_format == "d mmm yyyy"
    assert first[2].value == 4446.5 and first[2].data_type == "n"
    assert first[3].value == 3 and first[4].value is True
    assert first[5].value is None
    # The control character a workbook cannot hold is dropped, the formula start quoted.
    assert second[0].value == "'+33 1 23"
    assert second[2].value == -2.5 and second[2].data_type == "n"


def test_an_xlsx_download_writes_an_aware_time_in_local_time():
    moment = timezone.make_aware(datetime(2026, 3, 1, 9, 30))
    sheet = workbook_of(xlsx_download("t.xlsx", ["At"], [[moment]])).active

    assert sheet["A2"].value == datetime(2026, 3, 1, 9, 30)


def test_an_xlsx_download_streams_a_generator_of_rows():
    rows = ([number, f"row {number}"] for number in range(2000))
    sheet = workbook_of(xlsx_download("long.xlsx", ["n", "label"], rows)).active

    assert sheet.max_row == 2001
    assert sheet["A2001"].value == 1999 and sheet["B2001"].value == "row 1999"


@pytest.mark.parametrize(
    ("title", "sheet"),
    [
        ("Automakers 1 Dec 2026", "Automakers 1 Dec 2026"),
        ("What: [a/b]*?", "What   a b"),
        ("x" * 40, "x" * 31),
        ("///", "Sheet"),
    ],
)
def test_a_sheet_title_is_one_excel_accepts(title, sheet):
    assert sheet_title(title) == sheet


def test_csv_cells_write_dates_in_iso_form_and_numbers_as_numbers():
    assert csv_cell(date(2026, 12, 1)) == "2026-12-01"
    assert csv_cell(Decimal("-2.5")) == Decimal("-2.5")
    assert csv_cell("-2") == "'-2"


@pytest.mark.parametrize(("query", "format"), [("csv", "csv"), ("xlsx", "xlsx"), ("pdf", "")])
def test_a_list_downloads_only_in_the_formats_it_knows(rf, query, format):
    assert download_format(rf.get("/", {"format": query})) == format


def test_a_table_downloads_as_csv_or_as_a_workbook():
    def table() -> Table:
        return Table(name="things", title="Things", sheet="Things", header=["a"], rows=[["=x"]])

    as_csv = table_download(table(), "csv")
    as_xlsx = table_download(table(), "xlsx")

    assert as_csv.content.decode("utf-8-sig").splitlines() == ["a", "'=x"]
    assert workbook_of(as_xlsx).active["A2"].value == "'=x"
