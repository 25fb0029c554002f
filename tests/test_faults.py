"""Faults on real services: Redis and PostgreSQL stopped and started again, a worker killed.

Every server stopped here is one the test started for itself (tests/servers.py): a private
redis-server or PostgreSQL cluster on a free port, in front of the app run as production runs it
(tests/apps.py: gunicorn, manage.py; a Celery worker). The shared servers that DATABASE_URL and
REDIS_URL name are never stopped; the suite checks that they are still the same servers at its
end (tests/conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, connections

from config.celery import app as celery_app
from dashboards.models import MonthlySummary
from dashboards.services import monthly_summaries_rebuild
from exports.models import ExportRecord, ImportBatch
from exports.services import import_batch_process, import_batch_register
from tests.apps import app_environment, manage, suite_database_url
from tests.conftest import client_for
from tests.exports import test_worker as worker_tests
from tests.exports.test_worker import batch_status, rows_csv, services_or_skip, wait_for

# A real Celery worker on the test database (the fixture of tests/exports/test_worker.py).
real_worker = worker_tests.real_worker

ROOT = Path(settings.BASE_DIR)
UNAVAILABLE = {"detail": "The service is temporarily unavailable."}


def browser_for(user) -> requests.Session:
    """A requests session logged in as `user` (a session of the suite's test database)."""
    browser = requests.Session()
    browser.cookies.set(
        settings.SESSION_COOKIE_NAME,
        client_for(user).cookies[settings.SESSION_COOKIE_NAME].value,
    )
    return browser


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


# --- a. Redis down at upload -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_upload_while_redis_is_down_is_imported_once_redis_is_back(
    real_worker, private_redis, web_app, compliance
):
    services_or_skip()
    csv = (ROOT / "data" / "exports" / "gacc_rare_earths_monthly.csv").read_bytes()
    # The web app, the requeue command and the worker all have the private Redis as broker.
    env = app_environment(
        database_url=suite_database_url(),
        redis_url=private_redis.url(0),
        media_root=Path(settings.MEDIA_ROOT),
    )
    app = web_app(env)
    browser = browser_for(compliance)
    form = browser.get(app.url("/imports/new/"), timeout=10)
    assert form.status_code == 200
    private_redis.stop()

    response = browser.post(
        app.url("/imports/new/"),
        data={"csrfmiddlewaretoken": csrf_token(form.text)},
        files={"file": ("gacc.csv", csv, "text/csv")},
        allow_redirects=False,
        timeout=30,
    )

    assert response.status_code == 302, response.text
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PENDING
    page = browser.get(urljoin(response.url, response.headers["Location"]), timeout=10)
    assert f"Stored as import {batch.pk}; the import queue is unreachable" in page.text

    private_redis.start()  # the same port: the app's broker is back
    requeued = manage(env, "requeue_imports", "--older-than", "0")
    assert f"Enqueued again 1 import batch(es): {batch.pk}." in requeued
    real_worker(private_redis.url(0))

    wait_for(lambda: batch_status(batch.pk) == "succeeded", timeout=60, step=0.2)
    assert ImportBatch.objects.count() == 1
    batch.refresh_from_db()
    assert batch.attempts == 1
    assert batch.rows_stored > 30
    assert ExportRecord.objects.filter(batch=batch).count() == batch.rows_stored


@pytest.mark.django_db(transaction=True)
def test_an_import_committed_while_redis_is_down_is_summarised_within_a_minute_of_its_return(
    real_worker, private_redis
):
    """The import commits, its rebuild cannot be sent: it is owed in the database, and the
    worker's beat settles it once Redis is back, with no new upload."""
    services_or_skip()
    env = app_environment(
        database_url=suite_database_url(),
        redis_url=private_redis.url(0),
        media_root=Path(settings.MEDIA_ROOT),
    )
    private_redis.stop()

    manage(env, "import_exports", str(ROOT / "data" / "exports" / "gacc_rare_earths_monthly.csv"))

    batch = ImportBatch.objects.get()
    assert (batch.status, batch.summaries_owed) == (ImportBatch.Status.SUCCEEDED, True)
    assert MonthlySummary.objects.count() == 0
    private_redis.start()  # the same port: the broker is back
    real_worker(private_redis.url(0), beat=True)

    wait_for(lambda: not ImportBatch.objects.get().summaries_owed, timeout=90, step=0.5)
    assert (
        MonthlySummary.objects.filter(series__code="gacc-rare-earths").count() == batch.rows_stored
    )


# --- b. PostgreSQL stopped and started while the app runs --------------------------------------

# Run in the private database by `manage.py shell`: migrate, then a Compliance user with a
# session and an API token (printed).
PREPARE = """
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.conftest import COMPLIANCE, user_with_role

call_command("migrate", verbosity=0)
user = user_with_role("cora", COMPLIANCE)
client = Client()
client.force_login(user)
print(client.cookies[settings.SESSION_COOKIE_NAME].value, Token.objects.create(user=user).key)
"""


def gunicorn_workers(app) -> set[str]:
    """The PIDs of the gunicorn master's worker processes."""
    pid = app.process.pid
    return set(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())


def test_postgres_down_answers_503_and_the_app_recovers_without_a_restart(
    private_postgres, private_redis, web_app, tmp_path
):
    private_postgres.create_database("raregate")
    env = app_environment(
        database_url=private_postgres.url("raregate"),
        redis_url=private_redis.url(0),
        media_root=tmp_path / "media",
    )
    session_key, token = manage(env, "shell", "-c", PREPARE).split()[-2:]
    app = web_app(env)
    browser = requests.Session()
    browser.cookies.set(settings.SESSION_COOKIE_NAME, session_key)
    api_headers = {"Authorization": f"Token {token}"}
    page, api, health = app.url("/imports/"), app.url("/api/v1/imports/"), app.url("/healthz")

    def statuses() -> tuple[int, int, int]:
        return (
            browser.get(page, timeout=10).status_code,
            requests.get(api, headers=api_headers, timeout=10).status_code,
            requests.get(health, timeout=10).status_code,
        )

    assert statuses() == (200, 200, 200)
    workers = gunicorn_workers(app)

    private_postgres.stop()  # pg_ctl stop -m fast, on the private cluster's data folder

    for _ in range(3):
        response = browser.get(page, timeout=10)
        assert response.status_code == 503
        for detail in ("Traceback", "OperationalError", "psycopg", str(private_postgres.port)):
            assert detail not in response.text
        assert "temporarily unavailable" in response.text
        response = requests.get(api, headers=api_headers, timeout=10)
        assert response.status_code == 503
        assert response.json() == UNAVAILABLE
        response = requests.get(health, timeout=10)
        assert response.status_code == 503
        assert response.json()["database"] == "failing"

    private_postgres.start()  # the same port and data folder

    wait_for(lambda: statuses() == (200, 200, 200), timeout=10, step=0.2)
    assert requests.get(health, timeout=10).json()["database"] == "ok"
    assert app.running()
    assert gunicorn_workers(app) == workers  # the same worker process answered throughout


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


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_during_a_rebuild_leaves_the_previous_summaries(private_redis, request):
    from dashboards.tasks import monthly_summaries_refresh

    services_or_skip()
    batch, _ = import_batch_register(
        file=ContentFile(rows_csv(SUMMARY_ROWS), name="big.csv"),
        original_name="big.csv",
        enqueue=False,
    )
    import_batch_process(batch_id=batch.pk)  # tasks it enqueues still run eagerly, here
    assert batch_status(batch.pk) == "succeeded"
    before = monthly_summaries_rebuild()
    assert before == SUMMARY_ROWS
    sample = MonthlySummary.objects.order_by("pk").values().first()

    # From here tasks go to a broker: the private Redis, with the worker. The message that the
    # killed worker leaves unacknowledged goes with that server.
    real_worker = request.getfixturevalue("real_worker")
    worker = real_worker(private_redis.url(0))
    with celery_app.connection_for_write(private_redis.url(0)) as broker:
        monthly_summaries_refresh.apply_async(connection=broker)
    wait_for(rebuild_inserting, timeout=60, step=0.02)
    worker.kill()  # SIGKILL to the worker this test started

    assert MonthlySummary.objects.count() == before
    assert MonthlySummary.objects.order_by("pk").values().first() == sample

    # The dead worker's transaction is rolled back; the next rebuild waits for it and completes.
    connections.close_all()
    assert monthly_summaries_rebuild() == before
    assert MonthlySummary.objects.filter(partner=sample["partner"]).exists()
