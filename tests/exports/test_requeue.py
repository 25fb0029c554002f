"""An upload made while the broker is down: told honestly, then requeued (no second upload)."""

from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command

from exports.models import ImportBatch
from exports.series import series_sync
from tests.exports.test_views import RAREGATE_CSV, needs_parsers, upload

# Transactional: on_commit runs as the upload commits, as it does outside tests.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _series():
    series_sync()  # an earlier transactional test's flush may have emptied the registry


def broker_down():
    return mock.patch(
        "exports.tasks.import_batch_run.delay", side_effect=ConnectionError("Redis is down")
    )


@needs_parsers
def test_an_upload_while_the_queue_is_down_is_stored_and_the_user_told_so(compliance_client):
    with broker_down():
        response = upload(compliance_client, RAREGATE_CSV, "november.csv")

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PENDING
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == [
        f"Stored as import {batch.pk}; the import queue is unreachable, so it will start "
        "automatically once it is back (checked every few minutes)."
    ]

    out = StringIO()
    call_command("requeue_imports", "--older-than", "0", stdout=out)

    assert f"Enqueued again 1 import batch(es): {batch.pk}." in out.getvalue()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED, (
        batch.message
    )  # eager here: run by the requeue


@needs_parsers
def test_a_queued_upload_still_says_queued(compliance_client):
    with mock.patch("exports.tasks.import_batch_run.delay"):
        response = upload(compliance_client, RAREGATE_CSV, "november.csv")

    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == ["Queued: november.csv will be imported in the background."]


def left_running(batch: ImportBatch, *, minutes_ago: int = 10, attempts: int = 1) -> None:
    from datetime import timedelta

    from django.utils import timezone

    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING,
        attempts=attempts,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def registered(data: bytes = RAREGATE_CSV) -> ImportBatch:
    from django.core.files.base import ContentFile

    from exports.services import import_batch_register

    batch, _ = import_batch_register(
        file=ContentFile(data, name="november.csv"), original_name="november.csv", enqueue=False
    )
    return batch


@needs_parsers
def test_a_batch_left_running_by_a_dead_worker_is_requeued_unless_a_live_one_holds_it():
    from django.db import connection

    from exports.services import import_batches_requeue
    from exports.services.batches import BATCH_LOCK_NAMESPACE

    stuck, held, recent = (
        registered(),
        registered(b"x" + RAREGATE_CSV),
        registered(b"y" + RAREGATE_CSV),
    )
    left_running(stuck)
    left_running(held)
    left_running(recent, minutes_ago=1)
    if connection.vendor != "postgresql":
        pytest.skip("the claim is a PostgreSQL session lock")
    from psycopg import connect

    from tests.apps import suite_database_url

    # A live worker's claim: another session holds the batch's lock.
    with connect(suite_database_url()) as worker:
        worker.execute("SELECT pg_advisory_lock(%s, %s)", [BATCH_LOCK_NAMESPACE, held.pk])
        with mock.patch("exports.tasks.import_batch_run.delay") as delay:
            requeued = import_batches_requeue()

    assert requeued == [stuck.pk]
    delay.assert_called_once_with(stuck.pk)


@needs_parsers
def test_a_failed_batch_runs_again_when_its_bytes_are_uploaded_again(compliance_client):
    from exports.services import import_batch_process

    batch = registered()
    left_running(batch, attempts=3)  # its worker stopped three times
    assert import_batch_process(batch_id=batch.pk).status == ImportBatch.Status.FAILED

    response = upload(compliance_client, RAREGATE_CSV, "november.csv")

    batch.refresh_from_db()
    assert response.status_code == 302
    assert (batch.status, batch.attempts, batch.message) == (ImportBatch.Status.SUCCEEDED, 1, "")
    assert batch.rows_stored > 0


@needs_parsers
def test_compliance_retries_a_failed_batch_from_its_page_and_the_api(compliance_client):
    from exports.services import import_batch_process

    first, second = registered(), registered(RAREGATE_CSV + b"\n")
    for batch in (first, second):
        left_running(batch, attempts=3)
        import_batch_process(batch_id=batch.pk)

    page = compliance_client.post(f"/imports/{first.pk}/retry/")
    api = compliance_client.post(f"/api/v1/imports/{second.pk}/retry/")
    again = compliance_client.post(f"/api/v1/imports/{second.pk}/retry/")

    first.refresh_from_db(), second.refresh_from_db()
    assert page.status_code == 302
    assert first.status == ImportBatch.Status.SUCCEEDED
    assert api.status_code == 202
    assert second.status == ImportBatch.Status.SUCCEEDED
    assert again.status_code == 400  # it has not failed: nothing to retry
    assert "has not failed" in again.json()["status"][0]
