"""The import pipeline through its services: register, process, supersede; all or nothing."""

from __future__ import annotations

import gzip
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import override_settings
from openpyxl import Workbook

from exports.models import ExportRecord, ImportBatch, YearToDateFigure
from exports.selectors import figure_history
from exports.services import import_batch_process, import_batch_register

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "data" / "exports"
SAMPLES = Path(__file__).parent / "samples"
HEADER = "series,period,partner,tonnes,value,value_unit,source_url\n"


def table_counts() -> dict[str, int]:
    return {
        "batches": ImportBatch.objects.count(),
        "records": ExportRecord.objects.count(),
        "year_to_date": YearToDateFigure.objects.count(),
    }


def run(content: bytes, name: str = "upload.csv") -> ImportBatch:
    batch, _ = import_batch_register(
        file=ContentFile(content, name=name), original_name=name, enqueue=False
    )
    return import_batch_process(batch_id=batch.pk)


def gacc_table(month: int, tonnes: float, value: float, year_to_date: float) -> bytes:
    """GACC's table of major export commodities, as an .xlsx in its own layout."""
    book = Workbook()
    sheet = book.active
    sheet.append([f"{2025}年{month}月全国出口重点商品量值表"])
    sheet.append(["金额单位：亿元"])
    sheet.append(["商品名称", "计量单位", f"{month}月", None, f"1至{month}月", None])
    sheet.append([None, None, "数量", "金额", "数量", "金额"])
    sheet.append(["钢材", "万吨", 998.0, 501.2, 10815.0, 5912.3])
    sheet.append(["稀土", "吨", tonnes, value, year_to_date, 51.62])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def current(series: str, period: str, partner: str = "") -> ExportRecord:
    year, month = (int(part) for part in period.split("-"))
    return ExportRecord.objects.get(
        series__code=series,
        period_start=date(year, month, 1),
        period_end=date(year, month, 1),
        partner=partner,
        is_current=True,
    )


def test_it_imports_the_gacc_csv_and_keeps_the_source_of_each_figure():
    batch = run((DATA / "gacc_rare_earths_monthly.csv").read_bytes())

    assert batch.status == ImportBatch.Status.SUCCEEDED, (batch.message, batch.errors[:3])
    assert batch.format == ImportBatch.Format.RAREGATE_CSV
    assert batch.rows_stored == batch.rows_read == 31
    november = current("gacc-rare-earths", "2025-11")
    assert november.tonnes == Decimal("5493.873")
    assert (november.value, november.value_unit) == (Decimal("3.497"), "CNY_100M")
    assert november.source_url.startswith("https://github.com/Ex-Caliburn/")
    span = ExportRecord.objects.get(period_start=date(2025, 1, 1), period_end=date(2025, 2, 1))
    assert span.tonnes == Decimal("8511.325")


def test_the_gacc_table_for_november_stores_the_figure_once_and_a_revision_supersedes_it():
    run((DATA / "gacc_rare_earths_monthly.csv").read_bytes())

    same = run(gacc_table(11, 5493.873, 3.497, 58193.0), name="2025-11.xlsx")

    assert same.status == ImportBatch.Status.SUCCEEDED, (same.message, same.errors[:3])
    assert same.format == ImportBatch.Format.GACC_TABLE
    assert (same.rows_stored, same.rows_unchanged, same.rows_superseding) == (0, 1, 0)
    assert same.skipped_reasons  # the steel row
    history = figure_history(
        series="gacc-rare-earths", period_start=date(2025, 11, 1), period_end=date(2025, 11, 1)
    )
    assert history.count() == 1

    revised = run(gacc_table(11, 5501.2, 3.51, 58200.327), name="2025-11-revised.xlsx")

    assert (revised.rows_stored, revised.rows_superseding) == (1, 1)
    versions = list(history.all())
    assert [(v.tonnes, v.is_current) for v in versions] == [
        (Decimal("5493.873"), False),
        (Decimal("5501.200"), True),
    ]
    assert versions[0].superseded_by_batch == revised
    assert current("gacc-rare-earths", "2025-11").batch == revised


def test_the_same_bytes_again_return_the_first_batch_and_write_nothing():
    content = (DATA / "gacc_ndfeb_magnets_monthly.csv").read_bytes()
    first = run(content)
    before = table_counts()

    again, created = import_batch_register(
        file=ContentFile(content, name="copy.csv"), original_name="copy.csv", enqueue=False
    )

    assert (again, created) == (first, False)
    assert table_counts() == before


def test_a_month_figure_that_disagrees_with_the_cumulative_figures_is_stored_with_a_warning():
    run(gacc_table(10, 4343.473, 4.03, 52699.127))

    batch = run(gacc_table(11, 5000.0, 3.497, 58193.0))

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert current("gacc-rare-earths", "2025-11").tonnes == Decimal("5000.000")
    assert len(batch.warnings) == 1
    assert "5,000.000 t differs from January–November (58,193.000 t)" in batch.warnings[0]
    assert "minus January–October (52,699.127 t) = 5,493.873 t" in batch.warnings[0]


def test_a_month_figure_that_agrees_with_the_cumulative_figures_raises_no_warning():
    run(gacc_table(10, 4343.473, 4.03, 52699.127))

    batch = run(gacc_table(11, 5493.873, 3.497, 58193.0))

    assert batch.warnings == []


def test_a_file_with_any_row_error_stores_nothing_and_lists_every_error():
    run((DATA / "gacc_rare_earths_monthly.csv").read_bytes())
    before = table_counts()
    bad = (
        HEADER
        + "gacc-rare-earths,2025-12,,4400.5,,,\n"
        + "no-such-series,2025-12,,1,,,\n"
        + "gacc-rare-earths,2025-13,,1,,,\n"
        + "gacc-rare-earths,2025-09,,-5,,,\n"
        + "gacc-rare-earths,2025-08,XXX,5,,,\n"
    )

    batch = run(bad.encode())

    assert batch.status == ImportBatch.Status.FAILED
    assert batch.rows_in_error == 4
    assert [error["line"] for error in batch.errors] == [3, 4, 5, 6]
    assert {error["column"] for error in batch.errors} == {"series", "period", "tonnes", "partner"}
    assert table_counts() == {**before, "batches": before["batches"] + 1}
    assert not ExportRecord.objects.filter(batch=batch).exists()


def test_a_span_beside_a_stored_january_figure_is_a_row_error():
    run((HEADER + "comtrade-850511,2024-01,USA,10,,,\n").encode())
    before = table_counts()

    batch = run((HEADER + "comtrade-850511,2024-01/2024-02,USA,25,,,\n").encode())

    assert batch.status == ImportBatch.Status.FAILED
    assert batch.errors == [
        {
            "line": 2,
            "column": "period",
            "message": "comtrade-850511 2024: a January or February figure is already stored, "
            "so a combined January–February span cannot be added beside it.",
        }
    ]
    assert table_counts() == {**before, "batches": before["batches"] + 1}


def test_a_file_of_no_known_layout_fails_with_a_message_and_stores_nothing():
    before = table_counts()

    batch = run(b"hello,world\n1,2\n")

    assert batch.status == ImportBatch.Status.FAILED
    assert batch.message
    assert table_counts() == {**before, "batches": before["batches"] + 1}


def test_the_comtrade_sample_of_imports_of_hs_8542_has_no_row_in_scope():
    batch = run((SAMPLES / "comtrade_api_china_imports_8542.csv").read_bytes())

    assert batch.status == ImportBatch.Status.FAILED
    assert "none in scope" in batch.message or "no row in scope" in batch.message.lower()
    assert ExportRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"x" * 11, "the limit is 10\xa0bytes")],
)
@override_settings(IMPORT_MAX_BYTES=10)
def test_an_empty_or_too_large_upload_is_refused_before_anything_is_stored(content, message):
    with pytest.raises(ValidationError) as error:
        import_batch_register(
            file=ContentFile(content, name="x.csv"), original_name="x.csv", enqueue=False
        )

    assert message in error.value.message_dict["file"][0]
    assert table_counts() == {"batches": 0, "records": 0, "year_to_date": 0}


def test_a_truncated_gzip_fails_with_a_message():
    packed = gzip.compress((DATA / "gacc_rare_earths_monthly.csv").read_bytes())

    batch = run(packed[: len(packed) // 2], name="cut.csv.gz")

    assert batch.status == ImportBatch.Status.FAILED
    assert "truncated or corrupt" in batch.message
    assert ExportRecord.objects.count() == 0


def test_processing_a_finished_batch_again_changes_nothing():
    batch = run((DATA / "gacc_rare_earths_monthly.csv").read_bytes())
    before = table_counts()

    again = import_batch_process(batch_id=batch.pk)

    assert again.status == ImportBatch.Status.SUCCEEDED
    assert again.attempts == 1
    assert table_counts() == before


def test_the_revisions_page_shows_both_versions_of_a_revised_figure(analyst_client):
    run((DATA / "gacc_rare_earths_monthly.csv").read_bytes())
    revised = run(gacc_table(11, 5501.2, 3.51, 58200.327), name="2025-11-revised.xlsx")
    record = current("gacc-rare-earths", "2025-11")

    page = analyst_client.get(f"/imports/figures/{record.pk}/").content.decode()

    assert "5,493.873" in page or "5493.873" in page
    assert "5,501.2" in page or "5501.2" in page
    assert f'Superseded by <a href="/imports/{revised.pk}/">import {revised.pk}</a>' in page
