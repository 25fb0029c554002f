"""Every kind of bad input, through the service and through the API: a clear message, and
nothing stored but the failed batch that reports it."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from exports.models import ExportRecord, ImportBatch, YearToDateFigure
from exports.services import import_batch_process, import_batch_register
from tests.exports.files import DATA, comtrade_api_csv, comtrade_record, gacc_xlsx, raregate_csv

pytestmark = pytest.mark.django_db

GOOD = "gacc-rare-earths,2025-11,,5493.873,3.497,CNY_100M,https://example.org/gacc"

# (case, file bytes, where the message is ("errors" with line and column, or "message"), text)
ROW_ERRORS = [
    ("unknown series", raregate_csv(GOOD, "rare-stuff,2025-10,,1,,,"), 3, "series", "unknown"),
    ("malformed period", raregate_csv(GOOD, "gacc-rare-earths,2025-13,,1,,,"), 3, "period", ""),
    (
        "span other than a month or January–February",
        raregate_csv(GOOD, "gacc-rare-earths,2025-03/2025-05,,1,,,"),
        3,
        "period",
        "",
    ),
    ("unknown partner", raregate_csv(GOOD, "gacc-rare-earths,2025-10,ZZZ,1,,,"), 3, "partner", ""),
    ("negative quantity", raregate_csv(GOOD, "gacc-rare-earths,2025-10,,-4,,,"), 3, "tonnes", ""),
    (
        "non-numeric quantity",
        raregate_csv(GOOD, "gacc-rare-earths,2025-10,,lots,,,"),
        3,
        "tonnes",
        "",
    ),
    (
        "unknown unit",
        raregate_csv(GOOD, "gacc-rare-earths,2025-10,,1,5,EUR_1K,"),
        3,
        "value_unit",
        "",
    ),
    ("same key twice", raregate_csv(GOOD, GOOD), 3, None, "line 2"),
    (
        "January–February span beside January",
        raregate_csv(
            "gacc-rare-earths,2025-01/2025-02,,8511.325,,,", "gacc-rare-earths,2025-01,,4000,,,"
        ),
        3,
        "period",
        "",
    ),
    (
        "unknown Comtrade partner code",
        comtrade_api_csv(comtrade_record(partnerCode="899")),
        2,
        "partnerCode",
        "899",
    ),
]


def zipped(*members: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members:
            archive.writestr(name, content)
    return out.getvalue()


GACC_CSV = (DATA / "gacc_rare_earths_monthly.csv").read_bytes()
FILE_FAILURES = [
    ("truncated gzip", gzip.compress(GACC_CSV)[:200], "truncated or corrupt"),
    ("expands beyond the limit", gzip.compress(b"series" + b" " * 3_000_000), "expands to more"),
    ("unknown layout", b"Reporter;Partner;Year\nChina;World;2025\n", "Unknown file layout"),
    (
        "spreadsheet with no matching sheet",
        gacc_xlsx(("Notes", [["Nothing", "to", "see"], ["here", "", ""]])),
        "No sheet",
    ),
    ("encoding not determined", b"\xff\xfe\x00\x81\x82 not text at all \x90\x91\n", "encoding"),
    ("a zip of two files", zipped(("a.csv", GACC_CSV), ("b.csv", GACC_CSV)), "holds 2 files"),
    (
        "Comtrade file with no row in scope",
        comtrade_api_csv(comtrade_record(flowCode="M")),
        "none in scope",
    ),
]


def data_counts() -> dict[str, int]:
    return {
        "records": ExportRecord.objects.count(),
        "year_to_date": YearToDateFigure.objects.count(),
    }


@pytest.fixture
def stored(db):
    """Something already stored, to prove that a bad file leaves it exactly as it was."""
    batch, _ = import_batch_register(
        file=ContentFile(GACC_CSV, name="gacc.csv"), original_name="gacc.csv", enqueue=False
    )
    import_batch_process(batch_id=batch.pk)
    return data_counts()


def through_service(content: bytes) -> ImportBatch:
    batch, created = import_batch_register(
        file=ContentFile(content, name="bad.csv"), original_name="bad.csv", enqueue=False
    )
    assert created
    return import_batch_process(batch_id=batch.pk)


def through_api(client, capture, content: bytes) -> dict:
    with capture(execute=True):
        response = client.post("/api/v1/imports/", {"file": ContentFile(content, name="bad.csv")})
    assert response.status_code == 202, response.content
    return client.get(response["Location"]).json()


@pytest.mark.parametrize(("case", "content", "line", "column", "text"), ROW_ERRORS)
def test_a_row_error_through_the_service_names_line_and_column_and_stores_nothing(
    stored, case, content, line, column, text
):
    batch = through_service(content)

    assert batch.status == ImportBatch.Status.FAILED, case
    errors = [e for e in batch.errors if e["line"] == line]
    assert errors, batch.errors
    assert column is None or errors[0]["column"] == column
    assert text in errors[0]["message"]
    assert data_counts() == stored


@override_settings(IMPORT_MAX_EXPANDED_BYTES=1_000_000)
@pytest.mark.parametrize(("case", "content", "text"), FILE_FAILURES)
def test_a_bad_file_through_the_service_fails_with_a_message_and_stores_nothing(
    stored, case, content, text
):
    batch = through_service(content)

    assert batch.status == ImportBatch.Status.FAILED, case
    assert text in batch.message
    assert data_counts() == stored


@pytest.mark.parametrize(("case", "content", "line", "column", "text"), ROW_ERRORS)
def test_a_row_error_through_the_api_is_reported_on_the_batch_and_stores_nothing(
    stored, compliance_client, django_capture_on_commit_callbacks, case, content, line, column, text
):
    detail = through_api(compliance_client, django_capture_on_commit_callbacks, content)

    assert detail["status"] == "failed", case
    errors = [e for e in detail["errors"] if e["line"] == line]
    assert errors, detail["errors"]
    assert column is None or errors[0]["column"] == column
    assert text in errors[0]["message"]
    assert data_counts() == stored


@override_settings(IMPORT_MAX_EXPANDED_BYTES=1_000_000)
@pytest.mark.parametrize(("case", "content", "text"), FILE_FAILURES)
def test_a_bad_file_through_the_api_is_reported_on_the_batch_and_stores_nothing(
    stored, compliance_client, django_capture_on_commit_callbacks, case, content, text
):
    detail = through_api(compliance_client, django_capture_on_commit_callbacks, content)

    assert detail["status"] == "failed", case
    assert text in detail["message"]
    assert data_counts() == stored
