"""Export records keep their references in the database: checked at commit, imports unhurt."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction

from exports.models import ExportRecord, ImportBatch, Series
from exports.series import series_sync
from exports.services import import_batch_process, import_batch_register

# Transactional: the foreign keys are deferred, so only a real commit checks them.
pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "series,period,partner,tonnes,value,value_unit,source_url\n"
MISSING = 987_654_321


@pytest.fixture(autouse=True)
def _series():
    series_sync()  # an earlier transactional test's flush may have emptied the registry


def import_csv(lines: list[str], name: str) -> ImportBatch:
    content = (HEADER + "".join(lines)).encode()
    batch, _ = import_batch_register(
        file=ContentFile(content, name=name), original_name=name, enqueue=False
    )
    return import_batch_process(batch_id=batch.pk)


def a_batch(name: str = "file.csv", **fields) -> ImportBatch:
    return ImportBatch.objects.create(
        original_name=name, sha256=name.ljust(64, "0"), size=1, file=f"imports/{name}", **fields
    )


def record(**references) -> ExportRecord:
    return ExportRecord(
        period_start=date(2025, 11, 1),
        period_end=date(2025, 11, 1),
        partner="",
        tonnes="5493.900",
        **references,
    )


@pytest.mark.parametrize(
    "references",
    [
        pytest.param({"series_id": MISSING}, id="series"),
        pytest.param({"batch_id": MISSING}, id="batch"),
        pytest.param({"superseded_by_batch_id": MISSING, "is_current": False}, id="superseding"),
    ],
)
def test_it_refuses_at_commit_a_record_that_refers_to_nothing(references):
    valid = {"series": Series.objects.get(code="gacc-rare-earths"), "batch": a_batch()}
    if "superseded_by_batch_id" not in references:
        valid["superseded_by_batch"] = None
    for name in references:
        valid.pop(name.removesuffix("_id"), None)

    with pytest.raises(IntegrityError, match="foreign key"), transaction.atomic():
        record(**valid, **references).save()

    assert not ExportRecord.objects.exists()


def test_it_checks_references_at_commit_not_at_each_row():
    series = Series.objects.get(code="gacc-rare-earths")

    with transaction.atomic():
        record(series=series, batch_id=MISSING).save()
        # Made after the record that refers to it, inside the same transaction: the check waits.
        later = a_batch("later.csv", pk=MISSING)

    assert ExportRecord.objects.get().batch == later


def test_a_batch_with_records_cannot_be_deleted_even_by_sql():
    batch = import_csv(["gacc-rare-earths,2025-11,,5493.9,,,\n"], "november.csv")

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ImportBatch._meta.db_table} WHERE id = %s", [batch.pk])

    assert ExportRecord.objects.get().batch_id == batch.pk


def test_it_imports_and_revises_through_copy_with_the_constraints_checked_at_commit():
    first = import_csv(
        [f"gacc-rare-earths,2025-{month:02d},,{1000 + month},,,\n" for month in range(3, 13)],
        "2025.csv",
    )
    revision = import_csv(
        ["gacc-rare-earths,2025-11,,5493.9,,,\n", "gacc-rare-earths,2025-12,,4392.1,,,\n"],
        "revision.csv",
    )

    assert first.status == revision.status == ImportBatch.Status.SUCCEEDED
    assert (revision.rows_stored, revision.rows_superseding) == (2, 2)
    superseded = ExportRecord.objects.filter(is_current=False)
    assert set(superseded.values_list("superseded_by_batch", flat=True)) == {revision.pk}
    assert set(superseded.values_list("batch", flat=True)) == {first.pk}
    assert ExportRecord.objects.filter(is_current=True).count() == 10
