"""Preview, then commit: what an import would add, revise and leave unchanged, storing nothing;
then "Import this file" from the bytes kept, without uploading them again."""

from __future__ import annotations

import os
import re
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from exports import tasks
from exports.models import ExportRecord, ImportBatch, YearToDateFigure
from exports.services import import_batch_process, import_batch_register, import_preview
from exports.services.preview import PREVIEW_SHOWN, rounded_from
from exports.services.staging import FOLDER
from tests.conftest import client_for
from tests.exports.test_views import html

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "data" / "exports"
HEADER = "series,period,partner,tonnes,value,value_unit,source_url\n"
SOURCE = "https://example.org/customs"
# Against the shipped GACC figures (to December 2025): November revised to fewer decimals (its
# tonnes and value both the stored ones rounded), October equal (its value given in CNY 10,000),
# and January–February 2026 new.
REVISING = (
    HEADER
    + f"gacc-rare-earths,2025-11,,5493.9,3.5,CNY_100M,{SOURCE}\n"
    + f"gacc-rare-earths,2025-10,,4343.473,40343.2375,CNY_10K,{SOURCE}\n"
    + f"gacc-rare-earths,2026-01/2026-02,,10468.3,,,{SOURCE}\n"
).encode()


def imported(content: bytes, name: str = "upload.csv") -> ImportBatch:
    batch, _ = import_batch_register(
        file=ContentFile(content, name=name), original_name=name, enqueue=False
    )
    batch = import_batch_process(batch_id=batch.pk)
    assert batch.status == ImportBatch.Status.SUCCEEDED, (batch.message, batch.errors[:3])
    return batch


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def stored_counts() -> dict[str, int]:
    return {
        "batches": ImportBatch.objects.count(),
        "records": ExportRecord.objects.count(),
        "current": ExportRecord.objects.filter(is_current=True).count(),
        "year_to_date": YearToDateFigure.objects.count(),
    }


@pytest.fixture
def gacc() -> ImportBatch:
    """China customs' rare-earth exports, March 2023 to December 2025."""
    return imported((DATA / "gacc_rare_earths_monthly.csv").read_bytes(), "gacc.csv")


# The service


def test_the_preview_stores_nothing(gacc):
    before, files = stored_counts(), media_files()

    preview = import_preview(data=REVISING, file_name="revising.csv")

    assert preview.revisions_total == 1
    assert stored_counts() == before
    assert media_files() == files
    november = ExportRecord.objects.get(period_start=date(2025, 11, 1), is_current=True)
    assert november.tonnes == Decimal("5493.873")


def test_it_lists_what_it_adds_revises_and_leaves_unchanged(gacc):
    preview = import_preview(data=REVISING, file_name="revising.csv")

    assert preview.format == ImportBatch.Format.RAREGATE_CSV
    assert (preview.rows_read, preview.unchanged) == (3, 1)
    assert preview.additions_total == len(preview.additions) == 1
    added = preview.additions[0]
    assert (added.period_start, added.period_end, added.partner) == (
        date(2026, 1, 1),
        date(2026, 2, 1),
        "",
    )
    assert (added.tonnes, added.value, added.line) == (Decimal("10468.3"), None, 4)
    assert preview.revisions_total == len(preview.revisions) == 1
    revision = preview.revisions[0]
    assert revision.old.period_start == revision.new.period_start == date(2025, 11, 1)
    assert (revision.old.tonnes, revision.new.tonnes) == (Decimal("5493.873"), Decimal("5493.9"))
    assert (revision.old.value, revision.old.value_unit) == (Decimal("3.497"), "CNY_100M")
    assert (revision.new.value, revision.new.value_unit) == (Decimal("3.5"), "CNY_100M")
    assert revision.old.batch_id == gacc.pk
    assert (
        revision.old.record_id
        == ExportRecord.objects.get(batch=gacc, period_start=date(2025, 11, 1)).pk
    )
    assert revision.new.line == 2
    assert revision.tonnes_less_precise and revision.value_less_precise
    assert preview.less_precise_total == 1
    assert preview.committable
    assert preview.existing is None


def test_the_preview_agrees_with_the_import_it_previews(gacc):
    preview = import_preview(data=REVISING, file_name="revising.csv")

    batch = imported(REVISING, "revising.csv")

    assert batch.rows_superseding == preview.revisions_total
    assert batch.rows_unchanged == preview.unchanged
    assert batch.rows_stored == preview.revisions_total + preview.additions_total


def test_a_revision_that_changes_the_figure_is_not_flagged_less_precise(gacc):
    content = (
        HEADER
        + f"gacc-rare-earths,2025-11,,5500.001,3.49715915,CNY_100M,{SOURCE}\n"  # more decimals
        + f"gacc-rare-earths,2025-10,,4343.6,,,{SOURCE}\n"  # fewer decimals, not a rounding
    ).encode()

    preview = import_preview(data=content, file_name="changed.csv")

    assert preview.revisions_total == 2
    assert not any(revision.less_precise for revision in preview.revisions)
    assert preview.less_precise_total == 0


@pytest.mark.parametrize(
    ("old", "new", "flagged"),
    [
        ("5493.873", "5493.9", True),
        ("5493.873", "5494", True),
        ("5493.873", "5493.8", False),  # fewer decimals, but not the old rounded
        ("5493.9", "5493.873", False),  # more decimals
        ("5493.873", "5493.87", True),
        ("5493.873", "5493.870", True),  # trailing zeros say nothing: a number has no more
        ("8511.325", "8511.33", True),
        ("4392.1", "4392.1", False),
    ],
)
def test_less_precise_means_fewer_decimals_and_the_old_figure_rounded(old, new, flagged):
    assert rounded_from(Decimal(old), Decimal(new)) is flagged


def test_a_value_given_in_another_scale_is_compared_in_one_currency(gacc):
    # 3.497 CNY 100M is 34,970 CNY 10,000: 35,000 is not fewer decimals, 3.5 CNY 100M is.
    content = HEADER + f"gacc-rare-earths,2025-11,,5493.873,35000,CNY_10K,{SOURCE}\n"

    preview = import_preview(data=content.encode(), file_name="scale.csv")

    revision = preview.revisions[0]
    assert not revision.tonnes_less_precise
    assert not revision.value_less_precise


def test_it_warns_that_the_file_revises_the_headline_series_latest_month(gacc):
    imported(HEADER.encode() + f"gacc-rare-earths,2026-01/2026-02,,10468.3,,,{SOURCE}\n".encode())
    test_file = HEADER + f"gacc-rare-earths,2026-01/2026-02,,8900,,,{SOURCE}\n"

    preview = import_preview(data=test_file.encode(), file_name="test.csv")

    assert preview.warnings[0] == (
        "This file revises the headline series' latest month (Jan–Feb 2026 of "
        "gacc-rare-earths to all destinations): 10,468.3 t → 8,900 t."
    )


def test_it_warns_that_the_file_adds_a_month_after_the_headline_series_latest(gacc):
    preview = import_preview(data=REVISING, file_name="revising.csv")

    assert preview.warnings == [
        "This file adds a month after the headline series' latest (Jan–Feb 2026 after Dec 2025 "
        "of gacc-rare-earths to all destinations): 10,468.3 t becomes the headline."
    ]


def test_revising_an_older_headline_month_or_another_series_is_no_headline_warning(gacc):
    content = (
        HEADER
        + f"gacc-rare-earths,2025-11,,5600,,,{SOURCE}\n"
        + f"gacc-ndfeb-magnets,2025-12,,5000,,,{SOURCE}\n"
    )

    preview = import_preview(data=content.encode(), file_name="older.csv")

    assert preview.revisions_total == 1
    assert preview.warnings == []


def test_row_errors_are_shown_as_the_failed_import_would_show_them(gacc):
    content = (
        HEADER
        + f"gacc-rare-earths,2025-11,,lots,,,{SOURCE}\n"
        + f"no-such-series,2025-11,,5,,,{SOURCE}\n"
    ).encode()

    preview = import_preview(data=content, file_name="broken.csv")
    batch, _ = import_batch_register(
        file=ContentFile(content, name="broken.csv"), original_name="broken.csv", enqueue=False
    )
    failed = import_batch_process(batch_id=batch.pk)

    assert failed.status == ImportBatch.Status.FAILED
    assert preview.errors == failed.errors
    assert preview.errors_total == 2
    assert preview.message == "2 row error(s): nothing would be stored."
    assert not preview.additions and not preview.revisions
    assert not preview.readable and not preview.committable


def test_a_file_that_cannot_be_read_says_why(db):
    preview = import_preview(data=b"\x00\x01 not a customs file", file_name="junk.bin")

    assert preview.message
    assert not preview.committable
    assert ImportBatch.objects.count() == 0


@override_settings(IMPORT_MAX_BYTES=10)
def test_the_import_size_limit_applies_to_a_preview(db):
    with pytest.raises(ValidationError) as refused:
        import_preview(data=REVISING, file_name="big.csv")

    assert refused.value.message_dict == {
        "file": [f"big.csv is {len(REVISING)}\xa0bytes; the limit is 10\xa0bytes."]
    }


def test_the_lists_are_capped_and_their_totals_counted(db):
    months = [(year, month) for year in range(2000, 2021) for month in range(1, 13)][:250]
    content = HEADER + "".join(
        f"gacc-ndfeb-magnets,{year}-{month:02d},,{100 + month},,,{SOURCE}\n"
        for year, month in months
    )

    preview = import_preview(data=content.encode(), file_name="many.csv")

    assert preview.additions_total == 250
    assert len(preview.additions) == PREVIEW_SHOWN == 200


def test_a_file_already_imported_says_which_import_it_is(gacc):
    preview = import_preview(
        data=(DATA / "gacc_rare_earths_monthly.csv").read_bytes(), file_name="again.csv"
    )

    assert preview.existing == gacc
    assert preview.unchanged == gacc.rows_stored
    assert not preview.committable


# The pages


def preview_upload(client, content: bytes = REVISING, name: str = "revising.csv"):
    return client.post("/imports/preview/", {"file": SimpleUploadedFile(name, content)})


@pytest.fixture(autouse=True)
def _no_staged_files():
    """Each test starts and ends without previewed files kept (the media folder is shared)."""
    for name in staged():
        default_storage.delete(f"{FOLDER}/{name}")
    yield
    for name in staged():
        default_storage.delete(f"{FOLDER}/{name}")


def staged() -> list[str]:
    try:
        return default_storage.listdir(FOLDER)[1]
    except FileNotFoundError:
        return []


def token_in(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_the_upload_page_offers_a_preview_beside_the_import(compliance_client):
    page = html(compliance_client.get("/imports/new/"))

    assert "Upload and import" in page
    assert 'formaction="/imports/preview/"' in page
    assert 'action="/imports/new/"' in page


def test_the_preview_page_shows_the_changes_and_stores_no_batch(compliance_client, gacc):
    before = stored_counts()

    response = preview_upload(compliance_client)

    page = html(response)
    assert response.status_code == 200
    assert "Preview: revising.csv" in page
    assert "nothing has been stored yet." in page
    assert "Figures it would revise: 1" in page
    assert "5,493.873 → 5,493.9" in page
    assert "CNY 349.7 million → CNY 350 million" in page
    assert "less precise" in page
    november = ExportRecord.objects.get(batch=gacc, period_start=date(2025, 11, 1))
    assert f'href="/imports/figures/{november.pk}/">import {gacc.pk}</a>' in page
    assert "New figures: 1" in page
    assert "10,468.3" in page
    assert "This file adds a month after the headline series&#x27; latest" in page
    assert "Import this file" in page
    assert "CNY_100M" not in page
    assert stored_counts() == before
    assert ImportBatch.objects.count() == 1  # the shipped figures only


def test_import_this_file_commits_the_previewed_bytes_without_a_new_upload(
    compliance_client, compliance, gacc, django_capture_on_commit_callbacks
):
    page = html(preview_upload(compliance_client))
    assert len(staged()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = compliance_client.post("/imports/preview/import/", {"token": token_in(page)})

    batch = ImportBatch.objects.exclude(pk=gacc.pk).get()
    assert response.status_code == 302
    assert response.url == f"/imports/{batch.pk}/"
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert (batch.original_name, batch.uploaded_by) == ("revising.csv", compliance)
    assert (batch.rows_stored, batch.rows_superseding, batch.rows_unchanged) == (2, 1, 1)
    assert staged() == []
    assert batch.file.read() == REVISING


def test_a_preview_token_commits_only_for_the_user_who_previewed(compliance_client, gacc):
    from core.roles import COMPLIANCE
    from tests.conftest import user_with_role

    page = html(preview_upload(compliance_client))
    other = client_for(user_with_role("colleague", COMPLIANCE))

    response = other.post("/imports/preview/import/", {"token": token_in(page)}, follow=True)

    assert "This preview was made by someone else" in html(response)
    assert ImportBatch.objects.count() == 1


def test_a_tampered_or_expired_preview_token_is_refused(compliance_client, gacc):
    token = token_in(html(preview_upload(compliance_client)))

    tampered = compliance_client.post(
        "/imports/preview/import/", {"token": token[:-2] + "xx"}, follow=True
    )
    with time_machine.travel(time.time() + 3601):
        expired = compliance_client.post("/imports/preview/import/", {"token": token}, follow=True)

    assert "This preview cannot be read" in html(tampered)
    assert "This preview is over an hour old" in html(expired)
    assert ImportBatch.objects.count() == 1


def test_a_file_with_row_errors_is_previewed_but_not_offered_for_import(compliance_client, db):
    response = preview_upload(
        compliance_client, (HEADER + f"gacc-rare-earths,2025-11,,lots,,,{SOURCE}\n").encode()
    )

    page = html(response)
    assert "Importing this file would store nothing." in page
    assert "1 row error" in page
    assert "Import this file" not in page
    assert staged() == []


@override_settings(IMPORT_MAX_BYTES=10)
def test_a_preview_over_the_size_limit_is_refused_by_its_field(compliance_client, db):
    files = media_files()

    response = preview_upload(compliance_client)

    assert response.status_code == 200
    assert f"revising.csv is {len(REVISING)}\xa0bytes; the limit is 10\xa0bytes." in html(response)
    assert media_files() == files


def test_analysts_and_managers_may_not_preview_or_commit(analyst_client, manager_client, db):
    for client in (analyst_client, manager_client):
        assert preview_upload(client).status_code == 403
        assert client.post("/imports/preview/import/", {"token": "x"}).status_code == 403
    assert staged() == []


def test_previewed_files_never_imported_are_removed_after_a_day(compliance_client, gacc):
    preview_upload(compliance_client)
    preview_upload(compliance_client, REVISING.replace(b"5493.9", b"5493.8"), "other.csv")
    old, fresh = sorted(staged())
    a_day_ago = time.time() - 86_400 - 60
    os.utime(default_storage.path(f"{FOLDER}/{old}"), (a_day_ago, a_day_ago))

    tasks.import_batches_requeue()

    assert staged() == [fresh]


# The API


def test_the_api_previews_a_file_and_stores_nothing(compliance_client, gacc):
    before, files = stored_counts(), media_files()

    response = compliance_client.post(
        "/api/v1/imports/preview/", {"file": SimpleUploadedFile("revising.csv", REVISING)}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["additions_count"], body["revisions_count"], body["unchanged_count"]) == (1, 1, 1)
    assert body["additions"][0]["period"] == "2026-01/2026-02"
    assert body["additions"][0]["tonnes"] == "10468.3"
    revision = body["revisions"][0]
    assert (revision["old"]["tonnes"], revision["new"]["tonnes"]) == ("5493.873", "5493.9")
    assert revision["old"]["batch"] == gacc.pk
    assert revision["less_precise"] is True
    assert body["errors"] == [] and body["errors_count"] == 0
    assert body["warnings"][0].startswith("This file adds a month after the headline series'")
    assert body["existing_batch"] is None
    assert stored_counts() == before
    assert media_files() == files


def test_analysts_may_not_preview_through_the_api(analyst_client, db):
    response = analyst_client.post(
        "/api/v1/imports/preview/", {"file": SimpleUploadedFile("revising.csv", REVISING)}
    )

    assert response.status_code == 403
