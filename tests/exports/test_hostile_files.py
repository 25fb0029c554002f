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
from exports.parsers.base import ParseFailure
from exports.parsers.gacc_table import SHEET_MAX_COLUMNS, read_xlsx_sheets
from exports.services import import_batch_process, import_batch_register
from tests.exports.files import gacc_xlsx
from tests.exports.test_parsers_gacc_table import gacc_grid

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024


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
