"""Files made to cost more than they weigh: refused by the rule that bounds the cost, before it is
paid, with a message saying where; nothing stored but the failed batch."""

from __future__ import annotations

import contextlib
import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from exports.models import ExportRecord, ImportBatch
from exports.parsers import parse_file
from exports.parsers.base import ParseFailure
from exports.parsers.gacc_table import SHEET_MAX_COLUMNS, read_xlsx_sheets
from exports.parsers.raregate_csv import COLUMNS
from exports.services import import_batch_process, import_batch_register
from tests.exports.files import gacc_xlsx, raregate_csv
from tests.exports.test_parsers_gacc_table import gacc_grid

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
GOOD = "gacc-rare-earths,2025-11,,5493.873,3.497,CNY_100M"


def parse_text(data: bytes):
    return parse_file(data, known_series=frozenset(), max_expanded_bytes=10**9)


def sparse_workbook(*cells: str, title: str = "表1") -> bytes:
    """A workbook whose one sheet holds a cell at each of the given places (e.g. "XFD1")."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for place in cells:
        sheet[place] = "x"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rewritten(workbook: bytes, member: str, old: bytes, new: bytes) -> bytes:
    """The workbook with `old` replaced by `new` in one of its parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as copy:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == member:
                assert old in content
                content = content.replace(old, new)
            copy.writestr(item, content)
    return out.getvalue()


def imported(data: bytes, name: str) -> ImportBatch:
    batch, _ = import_batch_register(file=ContentFile(data, name=name), original_name=name)
    return import_batch_process(batch_id=batch.pk)


def peak_mib(function, *args) -> float:
    tracemalloc.start()
    with contextlib.suppress(ParseFailure):  # the refusal is asserted by the caller
        function(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / MIB


def test_a_workbook_with_two_cells_at_opposite_corners_is_refused_before_it_is_read():
    bomb = sparse_workbook("XFD1", "A1048576")
    assert len(bomb) < 10_000  # a few kilobytes that declare 17 billion cells

    batch = imported(bomb, "bomb.xlsx")

    assert batch.status == ImportBatch.Status.FAILED
    assert batch.message == (
        "Sheet '表1' uses the range A1:XFD1048576 (1,048,576 rows × 16,384 columns); a sheet "
        "may use at most 100,000 rows and 200 columns."
    )
    assert ExportRecord.objects.count() == 0
    assert peak_mib(read_xlsx_sheets, bomb) < 300


def test_a_workbook_two_thousand_rows_deep_and_one_cell_too_wide_is_refused():
    too_wide = sparse_workbook("A2000", "GS1")  # GS is column 201

    batch = imported(too_wide, "wide.xlsx")

    assert "uses the range A1:GS2000 (2,000 rows × 201 columns)" in batch.message
    assert peak_mib(read_xlsx_sheets, too_wide) < 300


def test_a_workbook_that_declares_a_small_range_is_measured_by_its_cells():
    """The size a sheet declares is not trusted: its cells are measured."""
    data = sparse_workbook("A1", f"{openpyxl.utils.get_column_letter(SHEET_MAX_COLUMNS + 5)}3")
    lying = rewritten(data, "xl/worksheets/sheet1.xml", b'ref="A1:GW3"', b'ref="A1:A1"')

    batch = imported(lying, "lying.xlsx")

    assert "uses the range A1:GW3 (3 rows × 205 columns)" in batch.message


def test_a_gacc_table_at_the_limits_of_its_sheet_is_still_read():
    grid = gacc_grid()
    workbook = gacc_xlsx(("表1", grid))

    sheets = read_xlsx_sheets(workbook)

    assert [cell for cell in sheets["表1"][0] if cell] == [cell for cell in grid[0] if cell]


def test_a_batch_whose_worker_stopped_three_times_is_failed_without_running_again():
    batch, _ = import_batch_register(
        file=ContentFile(gacc_xlsx(("表1", gacc_grid())), name="t.xlsx"), original_name="t.xlsx"
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, attempts=3, started_at=timezone.now()
    )

    batch = import_batch_process(batch_id=batch.pk)

    assert batch.status == ImportBatch.Status.FAILED
    assert batch.attempts == 3
    assert "stopped its worker 3 times" in batch.message
    assert ExportRecord.objects.count() == 0


def test_attempts_that_ended_in_a_temporary_error_do_not_count_as_stopped_workers():
    batch, _ = import_batch_register(
        file=ContentFile(gacc_xlsx(("表1", gacc_grid())), name="t.xlsx"), original_name="t.xlsx"
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, attempts=3, started_at=timezone.now()
    )

    batch = import_batch_process(batch_id=batch.pk, retries=2)  # two retried, one stopped

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.attempts == 4


# Row values the stored columns cannot hold: row errors with line and column, nothing written.
OUT_OF_RANGE = [
    ("javascript:alert(document.domain)", "source_url", "is not an http or https link"),
    ("https://example.org/" + "a" * 490, "source_url", "is 510 characters long: at most 500"),
    ("https://example.org/a\x00b", "source_url", "holds a NUL character"),
]


@pytest.mark.parametrize(("url", "column", "message"), OUT_OF_RANGE)
def test_a_source_url_that_is_not_a_short_http_link_is_a_row_error(url, column, message):
    batch = imported(raregate_csv(f"{GOOD},{url}"), "urls.csv")

    assert batch.status == ImportBatch.Status.FAILED
    (error,) = batch.errors
    assert (error["line"], error["column"]) == (2, column)
    assert message in error["message"]
    assert ExportRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("gacc-rare-earths,2025-10,,1000000000000000,,,", "tonnes", "tonnes is too large"),
        ("gacc-rare-earths,2025-10,,1,1e19,USD,", "value", "value is too large"),
        ("gacc-rare-earths,0000-01,,1,,,", "period", "has the year 0000"),
        ("gacc-rare-\x00earths,2025-10,,1,,,", "series", "unknown series 'gacc-rare-\\x00earths'"),
    ],
)
def test_a_figure_or_period_the_database_cannot_hold_is_a_row_error(row, column, message):
    batch = imported(raregate_csv(row), "range.csv")

    assert batch.status == ImportBatch.Status.FAILED
    (error,) = batch.errors
    assert (error["line"], error["column"]) == (2, column)
    assert message in error["message"]
    assert ExportRecord.objects.count() == 0


def test_a_header_of_a_million_columns_is_refused_before_it_is_read():
    header = ",".join(f"c{number}" for number in range(1_000_000)).encode()

    batch = imported(header + b"\n1,2\n", "wide.csv")

    assert batch.message.startswith("Line 1 has more than ")
    assert batch.message.endswith("columns; a customs file has at most 50.")
    assert len(batch.message) < 200
    assert peak_mib(parse_text, header) < 300


def test_a_json_file_nested_too_deep_or_too_wide_is_refused():
    deep = imported(b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "deep.json")
    wide_record = "{" + ",".join(f'"f{number}": 1' for number in range(60)) + "}"
    wide = imported(f'{{"data": [{wide_record}]}}'.encode(), "wide.json")

    assert "nests its arrays or objects too deeply" in deep.message
    assert "records have 60 different fields; a customs file has at most 50 columns" in wide.message


def test_a_warning_lists_a_few_ignored_columns_and_counts_the_rest():
    extra = [f"x{number}" for number in range(40)]
    data = (",".join([*COLUMNS, *extra]) + "\n" + GOOD + "," * 40 + "\n").encode()

    batch = imported(data, "extra.csv")

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.warnings == [f"Ignored column(s) {', '.join(extra[:10])} … and 30 more."]


def test_a_stored_link_that_is_not_http_is_never_rendered_as_a_link(analyst_client):
    """Whatever wrote it (COPY skips model validation, raw SQL skips everything), a javascript:
    link on record is shown as no link at all."""
    batch = imported(raregate_csv(f"{GOOD},https://example.org/gacc"), "good.csv")
    record = ExportRecord.objects.get(batch=batch)
    ExportRecord.objects.filter(pk=record.pk).update(source_url="javascript:alert(1)")

    page = analyst_client.get(f"/imports/figures/{record.pk}/").content.decode()

    assert "javascript:" not in page


def test_an_xls_workbook_with_cells_far_apart_is_refused_before_its_rows_are_kept():
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    sheet.write(0, 250, "x")  # column IQ
    sheet.write(60_000, 0, "y")
    out = io.BytesIO()
    book.save(out)

    batch = imported(out.getvalue(), "far.xls")

    assert batch.status == ImportBatch.Status.FAILED
    assert batch.message.startswith(
        "Sheet 'Sheet1' uses the range A1:IQ60001 (60,001 rows × 251 columns)"
    )
    assert peak_mib(parse_text, out.getvalue()) < 300
