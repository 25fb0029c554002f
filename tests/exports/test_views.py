from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date, timedelta
from pathlib import Path

import factory
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exports.models import ExportRecord, ImportBatch, Series
from tests.factories import UserFactory

DATA = Path(settings.BASE_DIR) / "data" / "exports"
RAREGATE_CSV = (
    b"series,period,partner,tonnes,value,value_unit,source_url\n"
    b"gacc-rare-earths,2025-11,,5493.873,,,https://example.org/november\n"
)


def parsers_ready() -> bool:
    try:
        from exports.parsers import parse_file  # noqa: F401
    except ImportError:
        return False
    return True


needs_parsers = pytest.mark.skipif(
    not parsers_ready(),
    reason="exports.parsers.parse_file cannot be imported yet: the parsers are being written",
)


class ImportBatchFactory(factory.django.DjangoModelFactory):
    """A batch made directly, in whatever state a test needs."""

    class Meta:
        model = ImportBatch

    original_name = factory.Sequence(lambda n: f"customs-{n}.csv")
    file = factory.LazyAttribute(lambda batch: ContentFile(RAREGATE_CSV, name=batch.original_name))
    sha256 = factory.Sequence(lambda n: hashlib.sha256(f"batch {n}".encode()).hexdigest())
    size = len(RAREGATE_CSV)
    format = ImportBatch.Format.RAREGATE_CSV
    status = ImportBatch.Status.SUCCEEDED
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(seconds=3))
    finished_at = factory.LazyFunction(timezone.now)


def batch_failed_with(count: int) -> ImportBatch:
    errors = [
        {"line": line, "column": "tonnes", "message": f"line {line}: not a number"}
        for line in range(2, count + 2)
    ]
    errors[0] = {"line": 2, "column": "tonnes", "message": '=HYPERLINK("http://evil")'}
    return ImportBatchFactory(
        status=ImportBatch.Status.FAILED,
        message=f"{count} row error(s): nothing was stored.",
        rows_read=count,
        rows_in_error=count,
        errors=errors,
    )


def record(batch: ImportBatch, month: int, **fields) -> ExportRecord:
    return ExportRecord.objects.create(
        series=Series.objects.get(code=fields.pop("series", "gacc-rare-earths")),
        period_start=date(2025, month, 1),
        period_end=date(2025, month, 1),
        tonnes=fields.pop("tonnes", 5000),
        batch=batch,
        **fields,
    )


def html(response) -> str:
    return response.content.decode()


def rows(page: str, table_id: str | None = None) -> list[str]:
    if table_id:
        page = re.search(rf'id="{table_id}".*?</table>', page, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    return re.findall(r"<tr\b.*?</tr>", body, re.S)


def cells(row: str) -> list[str]:
    """The text of each cell of a table row."""
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", row, re.S)]


def field_errors(page: str, name: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


def stored_files() -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return {path.name for path in folder.iterdir()} if folder.is_dir() else set()


def upload(client, content: bytes = RAREGATE_CSV, name: str = "november.csv", **kwargs):
    return client.post(
        "/imports/new/", {"file": SimpleUploadedFile(name, content, "text/csv")}, **kwargs
    )


# Upload


def test_the_upload_page_lists_the_accepted_formats_and_the_size_limit(compliance_client):
    page = html(compliance_client.get("/imports/new/"))

    assert 'enctype="multipart/form-data"' in page
    for accepted in ("RareGate CSV", "GACC", ".xlsx", ".xls", "UN Comtrade API", "JSON", ".gz"):
        assert accepted in page
    assert "At most 100.0\xa0MB" in page


def test_it_stores_an_upload_as_a_pending_batch_and_redirects_to_it(compliance_client, compliance):
    before = stored_files()

    response = upload(compliance_client)

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == f"/imports/{batch.pk}/"
    assert batch.status == ImportBatch.Status.PENDING  # the task is enqueued at commit
    assert batch.original_name == "november.csv"
    assert batch.uploaded_by == compliance
    assert batch.sha256 == hashlib.sha256(RAREGATE_CSV).hexdigest()
    assert len(stored_files() - before) == 1
    page = html(compliance_client.get(response.url))
    assert "Queued: november.csv will be imported in the background." in page


@needs_parsers
def test_it_imports_the_upload_once_the_upload_is_committed(
    compliance_client, django_capture_on_commit_callbacks
):
    content = (DATA / "gacc_rare_earths_monthly.csv").read_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(compliance_client, content, "gacc_rare_earths_monthly.csv")

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert batch.format == ImportBatch.Format.RAREGATE_CSV
    assert batch.rows_stored == ExportRecord.objects.filter(batch=batch).count() > 0
    page = html(compliance_client.get(response.url))
    assert "Succeeded" in page
    assert "data-refresh" not in page


def test_analysts_may_not_upload(analyst_client):
    assert analyst_client.get("/imports/new/").status_code == 403
    assert upload(analyst_client).status_code == 403
    assert not ImportBatch.objects.exists()


@override_settings(IMPORT_MAX_BYTES=10)
def test_a_file_over_the_limit_is_refused_by_its_field_and_nothing_is_stored(compliance_client):
    before = stored_files()

    response = upload(compliance_client)

    assert response.status_code == 200
    limit = f"november.csv is {len(RAREGATE_CSV)}\xa0bytes; the limit is 10\xa0bytes."
    assert limit in field_errors(html(response), "file")
    assert "Nothing was stored." in html(response)
    assert ImportBatch.objects.count() == 0
    assert ExportRecord.objects.count() == 0
    assert stored_files() == before


def test_an_empty_file_is_refused_by_its_field_and_nothing_is_stored(compliance_client):
    before = stored_files()

    response = upload(compliance_client, b"", "empty.csv")

    assert response.status_code == 200
    assert "empty.csv is empty." in field_errors(html(response), "file")
    assert ImportBatch.objects.count() == 0
    assert ExportRecord.objects.count() == 0
    assert stored_files() == before


def test_a_form_without_a_file_asks_for_one(compliance_client):
    response = compliance_client.post("/imports/new/", {})

    assert response.status_code == 200
    assert "This field is required." in field_errors(html(response), "file")
    assert not ImportBatch.objects.exists()


def test_the_same_bytes_uploaded_twice_make_one_batch(compliance_client):
    first = upload(compliance_client, name="november.csv")
    before = stored_files()

    second = upload(compliance_client, name="november-again.csv", follow=True)

    batch = ImportBatch.objects.get()
    assert first.url == f"/imports/{batch.pk}/"
    assert second.redirect_chain == [(f"/imports/{batch.pk}/", 302)]
    told = f"This file was already uploaded as import {batch.pk}: nothing new was stored."
    assert told in html(second)
    assert batch.original_name == "november.csv"
    assert stored_files() == before


# List


def test_the_list_shows_each_batch_newest_first_with_its_counts(analyst_client, compliance):
    older = ImportBatchFactory(
        original_name="gacc-october.xlsx",
        format=ImportBatch.Format.GACC_TABLE,
        rows_read=40,
        rows_stored=3,
        rows_superseding=1,
        rows_unchanged=2,
        rows_skipped=35,
        uploaded_by=compliance,
    )
    newer = batch_failed_with(7)
    ImportBatch.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))

    page = html(analyst_client.get("/imports/"))

    shown = rows(page)
    assert len(shown) == 2
    assert f"Import {newer.pk}" in shown[0]
    assert "Failed" in shown[0]
    texts = cells(shown[1])
    assert texts[:8] == [
        f"gacc-october.xlsxImport {older.pk} · GACC table of major export commodities",
        "Succeeded",
        "40",
        "3",
        "1",
        "2",
        "35",
        "0",
    ]
    assert texts[8].endswith("by cora")
    assert texts[9] == "3.0 s"
    assert "Upload a file" not in page  # analysts may not upload


def test_the_list_filters_by_status(analyst_client):
    ImportBatchFactory(original_name="good.csv")
    batch_failed_with(3)

    page = html(analyst_client.get("/imports/", {"status": "failed"}))

    assert len(rows(page)) == 1
    assert "good.csv" not in page


def test_the_list_runs_as_many_queries_for_many_batches_as_for_one(
    compliance_client, django_assert_max_num_queries
):
    ImportBatchFactory(uploaded_by=UserFactory())
    with CaptureQueriesContext(connection) as one:
        compliance_client.get("/imports/")
    for _ in range(10):
        ImportBatchFactory(uploaded_by=UserFactory())
    batch_failed_with(300)

    with django_assert_max_num_queries(len(one)):
        response = compliance_client.get("/imports/")

    assert len(rows(html(response))) == 12
    assert "Upload a file" in html(response)


def test_managers_may_not_see_imports(manager_client):
    batch = batch_failed_with(2)

    for url in (
        "/imports/",
        f"/imports/{batch.pk}/",
        f"/imports/{batch.pk}/file/",
        f"/imports/{batch.pk}/errors.csv",
        "/imports/new/",
    ):
        assert manager_client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/imports/")

    assert response.status_code == 302
    assert response.url.startswith("/login/")


# Detail


def test_the_detail_shows_the_first_200_of_250_errors_and_their_count(analyst_client):
    batch = batch_failed_with(250)

    page = html(analyst_client.get(f"/imports/{batch.pk}/"))

    assert "250 row errors" in page
    assert "Showing the first 200 of 250." in page
    assert "250 row error(s): nothing was stored." in page
    errors = rows(page, "errors")
    assert len(errors) == 200
    assert '<td class="num">2</td>' in errors[0]
    assert "line 201: not a number" in errors[-1]
    assert "line 202: not a number" not in page
    assert f'href="/imports/{batch.pk}/errors.csv"' in page


def test_the_errors_csv_has_every_error_with_formulas_neutralised(analyst_client):
    batch = batch_failed_with(250)

    response = analyst_client.get(f"/imports/{batch.pk}/errors.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="import-{batch.pk}-errors.csv"'
    )
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ["line", "column", "message"]
    assert len(table) == 1 + 250
    assert table[1] == ["2", "tonnes", '\'=HYPERLINK("http://evil")']
    assert table[-1] == ["251", "tonnes", "line 251: not a number"]


def test_the_detail_shows_counts_skipped_reasons_and_warnings(analyst_client):
    batch = ImportBatchFactory(
        format=ImportBatch.Format.COMTRADE_BULK,
        rows_read=120,
        rows_stored=20,
        rows_skipped=100,
        skipped_reasons={"reporter is not China": 70, "flow is not export": 30},
        warnings=["gacc-rare-earths 2025-11: the month figure differs."],
    )

    page = html(analyst_client.get(f"/imports/{batch.pk}/"))

    assert "UN Comtrade bulk file" in page
    assert "reporter is not China" in page
    assert '<td class="num">70</td>' in page
    assert "1 warning" in page
    assert "the month figure differs." in page
    assert "took 3.0 s" in page
    assert "data-refresh" not in page
    assert "refresh.js" not in page


def test_the_detail_shows_the_records_stored_and_those_revised(analyst_client):
    first = ImportBatchFactory()
    second = ImportBatchFactory()
    revised = record(first, 10, tonnes="4100.5")
    record(first, 11, partner="USA", value="1234567.5", value_unit="USD")
    ExportRecord.objects.filter(pk=revised.pk).update(is_current=False, superseded_by_batch=second)
    record(second, 10, tonnes="4200")

    first_page = html(analyst_client.get(f"/imports/{first.pk}/"))
    second_page = html(analyst_client.get(f"/imports/{second.pk}/"))

    stored = rows(first_page, "records")
    assert len(stored) == 2
    october = next(r for r in stored if "Oct 2025" in r)
    assert "all destinations" in october
    assert "4,100.5 t" in october
    assert f'superseded by <a href="/imports/{second.pk}/">import {second.pk}</a>' in october
    november = next(r for r in stored if "Nov 2025" in r)
    assert "USA" in november
    # A value in another currency than its series' is never converted: shown in its own unit.
    assert "1,234,567.5" in november
    assert "Value (USD)" in first_page
    assert "current" in november
    assert "This import revised no stored figure." in first_page
    assert "Records it revised: 1" in second_page
    assert f"import {first.pk}" in rows(second_page, "superseded")[0]


def test_the_records_are_shown_in_their_series_unit_named_in_words(analyst_client):
    gacc = ImportBatchFactory()
    record(gacc, 10, value="3.497", value_unit="CNY_100M")
    record(gacc, 11, value="34971.6", value_unit="CNY_10K")
    mixed = ImportBatchFactory()
    record(mixed, 12, value="3.497", value_unit="CNY_100M")
    record(mixed, 10, series="comtrade-850511", partner="USA", value="1234", value_unit="USD")

    one_series = html(analyst_client.get(f"/imports/{gacc.pk}/"))
    two_series = html(analyst_client.get(f"/imports/{mixed.pk}/"))

    # One series: converted to its one unit (CNY million), the heading naming it in words.
    assert "Value (CNY million)" in one_series
    values = sorted(cells(row)[4] for row in rows(one_series, "records"))
    assert values == ["349.7", "349.716"]
    # Two series in two currencies: each cell names its own unit, in words, the number inside.
    assert "Value (" not in two_series
    values = sorted(cells(row)[4] for row in rows(two_series, "records"))
    assert values == ["CNY 349.7 million", "USD 1.234 thousand"]


def test_no_page_of_the_imports_shows_a_raw_unit_code(analyst_client):
    batch = ImportBatchFactory()
    october = record(batch, 10, value="3.497", value_unit="CNY_100M")
    record(batch, 11, value="34971.6", value_unit="CNY_10K")
    record(batch, 10, series="comtrade-850511", partner="USA", value="1234.5", value_unit="USD_1K")

    for url in ("/imports/", f"/imports/{batch.pk}/", f"/imports/figures/{october.pk}/"):
        page = html(analyst_client.get(url))
        assert not re.search(r"\b(CNY|USD)_\w+", page), url


def test_the_detail_pages_through_the_records(analyst_client):
    batch = ImportBatchFactory()
    for month in range(1, 13):
        for partner in ("USA", "JPN", "DEU", "KOR", "IND"):
            record(batch, month, partner=partner)

    first = html(analyst_client.get(f"/imports/{batch.pk}/"))
    second = html(analyst_client.get(f"/imports/{batch.pk}/", {"page": 2}))

    assert "Records stored: 60" in first
    assert len(rows(first, "records")) == 50
    assert len(rows(second, "records")) == 10
    assert 'href="?page=2#records"' in first


def test_a_running_batch_shows_its_progress_and_refreshes_itself(analyst_client):
    from exports.services.batches import progress_key

    batch = ImportBatchFactory(status=ImportBatch.Status.RUNNING, finished_at=None, format="")
    cache.set(progress_key(batch.pk), {"stage": "writing", "rows": 12345})

    page = html(analyst_client.get(f"/imports/{batch.pk}/"))

    assert "Running" in page
    assert 'data-refresh="2"' in page
    assert "js/refresh.js" in page
    assert "steps__step--done" in page
    assert 'aria-current="step"' in page
    assert "12,345 rows" in page
    assert "<script>" not in page  # no inline script: a strict CSP is coming


def test_a_pending_batch_waits_and_refreshes_itself(analyst_client):
    batch = ImportBatchFactory(
        status=ImportBatch.Status.PENDING, started_at=None, finished_at=None, format=""
    )

    page = html(analyst_client.get(f"/imports/{batch.pk}/"))

    assert "Waiting to start" in page
    assert 'data-refresh="2"' in page
    assert "Format not yet recognised" in page


def test_the_original_file_downloads_as_an_attachment_named_as_uploaded(analyst_client):
    batch = ImportBatchFactory(original_name="海关 2025年11月.csv")

    response = analyst_client.get(f"/imports/{batch.pk}/file/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E6%B5%B7%E5%85%B3%202025" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == RAREGATE_CSV


def test_a_missing_stored_file_is_a_404(analyst_client):
    batch = ImportBatchFactory()
    batch.file.delete(save=False)

    assert analyst_client.get(f"/imports/{batch.pk}/file/").status_code == 404


# Admin


def test_the_admin_shows_the_exports_data_read_only(admin_client):
    batch = ImportBatchFactory()
    record(batch, 11)

    for model in ("series", "importbatch", "exportrecord", "yeartodatefigure"):
        changelist = admin_client.get(f"/admin/exports/{model}/")
        assert changelist.status_code == 200, model
        assert f"/admin/exports/{model}/add/" not in html(changelist)
        assert admin_client.get(f"/admin/exports/{model}/add/").status_code == 403
    detail = html(admin_client.get(f"/admin/exports/importbatch/{batch.pk}/change/"))
    assert batch.original_name in detail
    assert "Save" not in detail
