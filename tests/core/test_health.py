"""/healthz and the 503 answered while the database is down (simulated; see test_faults.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client, override_settings

from core.tasks import HEARTBEAT_KEY, worker_heartbeat

pytestmark = pytest.mark.django_db


def health(client: Client | None = None):
    response = (client or Client()).get("/healthz")
    return response.status_code, response.json()


@override_settings(REDIS_URL="")
def test_healthz_needs_no_login_and_reports_each_component():
    status, body = health()

    assert status == 200
    assert body == {
        "database": "ok",
        "redis": "not configured",
        "worker": "unknown",
        "worker_last_beat_seconds": None,
    }


@override_settings(REDIS_URL="")
def test_healthz_answers_503_without_detail_when_the_database_fails():
    with mock.patch(
        "core.health.connection.cursor", side_effect=OperationalError("secret host detail")
    ):
        response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "failing"
    assert b"secret" not in response.content


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_reports_an_unreachable_redis_as_failing_and_stays_200():
    status, body = health()

    assert status == 200
    assert body["redis"] == "failing"


def test_the_worker_is_ok_after_a_heartbeat_and_stale_after_three_minutes():
    worker_heartbeat()
    _, body = health()
    assert body["worker"] == "ok"
    assert body["worker_last_beat_seconds"] == 0

    cache.set(HEARTBEAT_KEY, time.time() - 200, timeout=None)
    _, body = health()
    assert body["worker"] == "stale"
    assert body["worker_last_beat_seconds"] == 200


def test_the_heartbeat_is_on_the_beat_schedule_and_imported_by_the_worker():
    from django.conf import settings

    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule["core.tasks.worker_heartbeat"] == 60
    assert "core.tasks.worker_heartbeat" in worker_tasks()


def worker_tasks() -> str:
    """The tasks a worker process registers: autodiscovery alone, no URLconf imported."""
    script = (
        "import django; django.setup()\n"
        "from config.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(sorted(app.tasks))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    return done.stdout


def test_a_page_that_loses_the_database_answers_a_plain_503(compliance_client):
    with mock.patch(
        "exports.views.ImportBatchListView.get",
        side_effect=OperationalError("connection to server at 10.0.0.5 failed"),
    ):
        response = compliance_client.get("/imports/")

    assert response.status_code == 503
    body = response.content.decode()
    assert "temporarily unavailable" in body
    for detail in ("10.0.0.5", "Traceback", "OperationalError"):
        assert detail not in body


def test_the_api_answers_a_json_503_when_the_database_is_lost(compliance_client):
    with mock.patch(
        "exports.api.views.ImportBatchViewSet.list",
        side_effect=OperationalError("connection to server at 10.0.0.5 failed"),
    ):
        response = compliance_client.get("/api/v1/imports/")

    assert response.status_code == 503
    assert response.json() == {"detail": "The service is temporarily unavailable."}


def test_a_database_error_outside_a_view_is_a_503_too(rf):
    from core.middleware import server_error

    request = rf.get("/imports/")
    try:
        raise OperationalError("lost while loading the session")
    except OperationalError:
        response = server_error(request)

    assert response.status_code == 503
    assert b"lost while" not in response.content
