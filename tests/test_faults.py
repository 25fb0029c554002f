"""Faults on the real services: Redis and PostgreSQL stopped and started, a worker killed.

These tests stop and start the local PostgreSQL cluster and Redis server (pg_ctlcluster,
redis-server), so they need DATABASE_URL and REDIS_URL pointing at local services this process
may control. Outside CI they are skipped when either is missing; in CI a missing one fails.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, connections
from rest_framework.authtoken.models import Token

from dashboards.models import MonthlySummary
from dashboards.services import monthly_summaries_rebuild
from exports.models import ImportBatch
from exports.services import import_batch_process, import_batch_register, import_batches_requeue
from tests.conftest import client_for
from tests.exports import test_worker as worker_tests
from tests.exports.test_worker import batch_status, rows_csv, services_or_skip, wait_for

# A real Celery worker on the test database (the fixture of tests/exports/test_worker.py).
real_worker = worker_tests.real_worker

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
UNAVAILABLE = {"detail": "The service is temporarily unavailable."}


# --- PostgreSQL and Redis, stopped and always started again -----------------------------------


def pg_cluster() -> list[str]:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0


def redis_port() -> int:
    return urlparse(settings.REDIS_URL).port or 6379


def redis_ready() -> bool:
    result = subprocess.run(
        ["redis-cli", "-p", str(redis_port()), "ping"], capture_output=True, check=False
    )
    return result.stdout.strip() == b"PONG"


class Postgres:
    def stop(self) -> None:
        subprocess.run([*pg_cluster(), "stop", "-m", "fast"], check=True)
        assert not pg_ready()

    def start(self) -> None:
        if not pg_ready():
            subprocess.run([*pg_cluster(), "start"], check=False)
        wait_for(pg_ready, timeout=30, step=0.2)
        connections.close_all()  # this process's connections died with the server


class Redis:
    def stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(redis_port()), "shutdown", "nosave"],
            capture_output=True,
            check=False,
        )
        wait_for(lambda: not redis_ready(), timeout=10)

    def start(self) -> None:
        if not redis_ready():
            subprocess.run(
                [
                    "redis-server",
                    "--daemonize",
                    "yes",
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(redis_port()),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                check=True,
            )
        wait_for(redis_ready, timeout=30, step=0.2)


@pytest.fixture
def postgres():
    services_or_skip()
    server = Postgres()
    try:
        yield server
    finally:
        server.start()


@pytest.fixture
def redis_server():
    services_or_skip()
    server = Redis()
    try:
        yield server
    finally:
        server.start()


# --- a. Redis down at upload -------------------------------------------------------------------


def test_an_upload_while_redis_is_down_is_imported_once_redis_is_back(
    real_worker, redis_server, compliance
):
    csv = (ROOT / "data" / "exports" / "gacc_rare_earths_monthly.csv").read_bytes()
    client = client_for(compliance)
    # real_worker has turned eager tasks off; the worker itself starts once Redis is back.
    redis_server.stop()

    response = client.post("/imports/new/", {"file": ContentFile(csv, name="gacc.csv")})

    assert response.status_code == 302, response.content
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PENDING
    page = client.get(response.url).content.decode()
    assert f"Stored as import {batch.pk}; the import queue is unreachable" in page

    redis_server.start()
    assert import_batches_requeue(older_than_seconds=0) == [batch.pk]
    real_worker()

    wait_for(lambda: batch_status(batch.pk) == "succeeded", timeout=60, step=0.2)
    assert ImportBatch.objects.count() == 1
    batch.refresh_from_db()
    assert batch.attempts == 1
    assert batch.rows_stored > 30


# --- b. PostgreSQL restarted while requests run -----------------------------------------------


def test_postgres_down_answers_503_and_the_app_recovers_without_a_restart(
    live_server, postgres, compliance
):
    services_or_skip()
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME,
        client_for(compliance).cookies[settings.SESSION_COOKIE_NAME].value,
    )
    token = Token.objects.create(user=compliance).key
    page, api, health = (
        f"{live_server.url}/imports/",
        f"{live_server.url}/api/v1/imports/",
        f"{live_server.url}/healthz",
    )

    def statuses() -> tuple[int, int, int]:
        return (
            session.get(page, timeout=10).status_code,
            requests.get(api, headers={"Authorization": f"Token {token}"}, timeout=10).status_code,
            requests.get(health, timeout=10).status_code,
        )

    assert statuses() == (200, 200, 200)

    postgres.stop()
    try:
        for _ in range(3):
            response = session.get(page, timeout=10)
            assert response.status_code == 503
            for detail in ("Traceback", "OperationalError", "psycopg", "5432"):
                assert detail not in response.text
            assert "temporarily unavailable" in response.text
            response = requests.get(api, headers={"Authorization": f"Token {token}"}, timeout=10)
            assert response.status_code == 503
            assert response.json() == UNAVAILABLE
            response = requests.get(health, timeout=10)
            assert response.status_code == 503
            assert response.json()["database"] == "failing"
    finally:
        postgres.start()

    started = time.monotonic()
    wait_for(lambda: statuses() == (200, 200, 200), timeout=10, step=0.2)
    assert time.monotonic() - started < 10
    assert requests.get(health, timeout=10).json()["database"] == "ok"


# --- c. a worker killed during a summary rebuild -----------------------------------------------

SUMMARY_ROWS = 300_000
REBUILD_LOCK = 7310002  # dashboards.services.monthly_summaries_rebuild


def rebuild_inserting() -> bool:
    """Another session holds the rebuild's lock and, its DELETE done, runs the INSERT."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks JOIN pg_stat_activity USING (pid) "
            "WHERE locktype = 'advisory' AND granted AND objid = %s "
            "AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE %s",
            # The INSERT's text starts with its CTE; pg_stat_activity cuts it at 1 kB.
            [REBUILD_LOCK, "%WITH base AS%"],
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_during_a_rebuild_leaves_the_previous_summaries(real_worker):
    from dashboards.tasks import monthly_summaries_refresh

    batch, _ = import_batch_register(
        file=ContentFile(rows_csv(SUMMARY_ROWS), name="big.csv"),
        original_name="big.csv",
        enqueue=False,
    )
    import_batch_process(batch_id=batch.pk)
    assert batch_status(batch.pk) == "succeeded"
    before = monthly_summaries_rebuild()
    assert before == SUMMARY_ROWS
    sample = MonthlySummary.objects.order_by("pk").values().first()

    worker = real_worker()
    monthly_summaries_refresh.delay()
    wait_for(rebuild_inserting, timeout=60, step=0.02)
    worker.kill()

    assert MonthlySummary.objects.count() == before
    assert MonthlySummary.objects.order_by("pk").values().first() == sample

    # The dead worker's transaction is rolled back; the next rebuild waits for it and completes.
    connections.close_all()
    assert monthly_summaries_rebuild() == before
    assert MonthlySummary.objects.filter(partner=sample["partner"]).exists()
