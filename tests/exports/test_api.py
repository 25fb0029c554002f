from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from exports.models import ExportRecord, ImportBatch
from tests.exports.test_views import (
    DATA,
    RAREGATE_CSV,
    ImportBatchFactory,
    batch_failed_with,
    needs_parsers,
    stored_files,
)

IMPORTS = "/api/v1/imports/"


def post_file(client, content: bytes = RAREGATE_CSV, name: str = "november.csv", **extra):
    return client.post(IMPORTS, {"file": SimpleUploadedFile(name, content)}, **extra)


# Upload


def test_an_upload_is_accepted_with_the_batch_and_its_location(compliance_client, compliance):
    response = post_file(compliance_client)

    batch = ImportBatch.objects.get()
    assert response.status_code == 202
    body = response.json()
    assert body["id"] == batch.pk
    assert body["url"] == f"http://testserver{IMPORTS}{batch.pk}/"
    assert response["Location"] == body["url"]
    assert body["status"] == "pending"  # enqueued at commit
    assert body["original_name"] == "november.csv"
    assert body["sha256"] == hashlib.sha256(RAREGATE_CSV).hexdigest()
    assert body["uploaded_by"] == "cora"
    assert body["errors"] == []
    assert batch.uploaded_by == compliance


def test_the_same_bytes_again_answer_200_with_the_first_batch(compliance_client):
    first = post_file(compliance_client, name="november.csv")

    second = post_file(compliance_client, name="copy-of-november.csv")

    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["original_name"] == "november.csv"
    assert ImportBatch.objects.count() == 1


@needs_parsers
def test_an_upload_is_imported_once_committed(
    compliance_client, django_capture_on_commit_callbacks
):
    content = (DATA / "gacc_rare_earths_monthly.csv").read_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(compliance_client, content, "gacc_rare_earths_monthly.csv")

    assert response.status_code == 202
    detail = compliance_client.get(response["Location"]).json()
    assert detail["status"] == "succeeded", detail["message"]
    assert detail["format"] == "raregate_csv"
    assert detail["rows_stored"] == ExportRecord.objects.count() > 0
    assert detail["progress"] is None


def test_an_upload_by_token_is_accepted(compliance):
    token = Token.objects.create(user=compliance)

    response = post_file(Client(), HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 202


@override_settings(IMPORT_MAX_BYTES=10)
def test_a_file_over_the_limit_is_a_400_naming_the_file_field(compliance_client):
    before = stored_files()

    response = post_file(compliance_client)

    assert response.status_code == 400
    assert response.json() == {
        "file": [f"november.csv is {len(RAREGATE_CSV)}\xa0bytes; the limit is 10\xa0bytes."]
    }
    assert ImportBatch.objects.count() == 0
    assert ExportRecord.objects.count() == 0
    assert stored_files() == before


def test_an_empty_file_is_a_400_naming_the_file_field(compliance_client):
    before = stored_files()

    response = post_file(compliance_client, b"", "empty.csv")

    assert response.status_code == 400
    assert response.json() == {"file": ["empty.csv is empty."]}
    assert ImportBatch.objects.count() == 0
    assert stored_files() == before


def test_a_request_without_a_file_is_a_400(compliance_client):
    response = compliance_client.post(IMPORTS, {})

    assert response.status_code == 400
    assert response.json() == {"file": ["No file was submitted."]}


def test_analysts_may_not_upload(analyst_client):
    response = post_file(analyst_client)

    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_anonymous_callers_get_401(client, db):
    assert post_file(client).status_code == 401
    assert client.get(IMPORTS).status_code == 401


def test_managers_may_not_read_imports(manager_client):
    batch = ImportBatchFactory()

    assert manager_client.get(IMPORTS).status_code == 403
    assert manager_client.get(f"{IMPORTS}{batch.pk}/").status_code == 403


# Reads


def test_the_list_filters_by_status_and_format(analyst_client):
    gacc = ImportBatchFactory(format=ImportBatch.Format.GACC_TABLE)
    ImportBatchFactory(format=ImportBatch.Format.COMTRADE_API_CSV)
    failed = batch_failed_with(3)

    by_status = analyst_client.get(IMPORTS, {"status": "failed"}).json()
    by_format = analyst_client.get(IMPORTS, {"file_format": "gacc_table"}).json()

    assert [row["id"] for row in by_status["results"]] == [failed.pk]
    assert [row["id"] for row in by_format["results"]] == [gacc.pk]
    assert "errors" not in by_status["results"][0]  # only the detail carries them


def test_the_list_is_newest_first_and_paginated(analyst_client):
    batches = ImportBatchFactory.create_batch(3)

    body = analyst_client.get(IMPORTS).json()

    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == [b.pk for b in reversed(batches)]


def test_the_detail_gives_the_first_200_of_250_errors_and_their_count(analyst_client):
    batch = batch_failed_with(250)

    body = analyst_client.get(f"{IMPORTS}{batch.pk}/").json()

    assert body["status"] == "failed"
    assert body["message"] == "250 row error(s): nothing was stored."
    assert body["errors_count"] == 250
    assert len(body["errors"]) == 200
    assert body["errors"][1] == {"line": 3, "column": "tonnes", "message": "line 3: not a number"}
    assert body["progress"] is None
    assert "file" not in body


def test_the_detail_gives_skipped_reasons_warnings_and_counts(analyst_client):
    batch = ImportBatchFactory(
        rows_read=10,
        rows_stored=4,
        rows_superseding=1,
        rows_unchanged=2,
        rows_skipped=4,
        skipped_reasons={"flow is not export": 4},
        warnings=["a month figure differs"],
    )

    body = analyst_client.get(f"{IMPORTS}{batch.pk}/").json()

    assert body["skipped_reasons"] == {"flow is not export": 4}
    assert body["warnings"] == ["a month figure differs"]
    assert [body[f"rows_{n}"] for n in ("read", "stored", "superseding", "unchanged")] == [
        10,
        4,
        1,
        2,
    ]


def test_a_running_batch_reports_its_progress(analyst_client):
    from exports.services.batches import progress_key

    batch = ImportBatchFactory(status=ImportBatch.Status.RUNNING, finished_at=None)
    cache.set(progress_key(batch.pk), {"stage": "parsing", "size": 2048})

    body = analyst_client.get(f"{IMPORTS}{batch.pk}/").json()

    assert body["progress"] == {"stage": "parsing", "size": 2048}


def test_the_schema_describes_the_upload_as_multipart_with_a_binary_file(tmp_path: Path):
    schema = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))

    text = schema.read_text()
    assert "/api/v1/imports/{id}/:" in text
    assert "Upload a customs file to import (Compliance)" in text
    assert "multipart/form-data" in text
    assert "format: binary" in text
    assert "Location:" in text
