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
