"""A real Celery worker on Redis, importing into the test database on PostgreSQL.

These tests need PostgreSQL and Redis (DATABASE_URL and REDIS_URL). Outside CI they are
skipped when either is missing; in CI a missing service fails them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from config.celery import app as celery_app
from exports.models import ExportRecord, ImportBatch
from exports.series import series_sync
from exports.services import import_batch_progress, import_batch_register
from tests.apps import suite_database_url

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
VISIBILITY_TIMEOUT = 5  # seconds before a dead worker's unacknowledged task is delivered again


def services_or_skip() -> None:
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL)")
    if not settings.REDIS_URL:
        missing.append("Redis (REDIS_URL)")
    if missing:
        reason = f"needs {' and '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide the services: {reason}")
        pytest.skip(reason)


def rows_csv(count: int) -> bytes:
    """A RareGate CSV with `count` distinct figures (partners × months of many years)."""
    partners = [
        "USA",
        "DEU",
        "JPN",
        "KOR",
        "FRA",
        "ITA",
        "IND",
        "GBR",
        "NLD",
        "VNM",
        "THA",
        "MYS",
        "IDN",
        "MEX",
        "BRA",
        "CAN",
        "AUS",
        "ESP",
        "POL",
        "TUR",
        "SWE",
        "AUT",
        "BEL",
        "CHE",
    ]
    lines = ["series,period,partner,tonnes,value,value_unit,source_url"]
    year, month, index = 1900, 1, 0
    while len(lines) <= count:
        for partner in partners:
            lines.append(
                f"comtrade-850511,{year}-{month:02d},{partner},{index % 997}.125,{index},USD,"
            )
            index += 1
            if len(lines) > count:
                break
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return ("\n".join(lines) + "\n").encode()


class Worker:
    """`celery worker` in a subprocess, pointed at the test database and the test media, and at
    the suite's Redis unless given another one (a test's private redis-server)."""

    def __init__(self, redis_url: str | None = None, *, beat: bool = False) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": suite_database_url(),
            "REDIS_URL": redis_url or settings.REDIS_URL,
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "RAREGATE_TASK_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            # The suite's own cache keys: the worker's progress reports are read by the tests.
            "RAREGATE_CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
        }
        if redis_url:  # a private Redis holds the cache too
            env.pop("RAREGATE_CACHE_URL", None)
        log_path = Path(tempfile.gettempdir()) / f"raregate-test-worker-{os.getpid()}.log"
        self.log = open(log_path, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                # With beat inside (-B): the schedule of config/settings, its state in a file of
                # its own.
                *(["-B", f"--schedule={log_path.with_suffix('.beat')}"] if beat else []),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@pytest.fixture
def real_worker():
    services_or_skip()
    series_sync()  # an earlier transactional test's flush may have emptied the registry
    celery_app.conf.task_always_eager = False
    workers: list[Worker] = []

    def start(redis_url: str | None = None, *, beat: bool = False) -> Worker:
        workers.append(Worker(redis_url, beat=beat))
        return workers[-1]

    yield start
    celery_app.conf.task_always_eager = True
    for worker in workers:
        worker.stop()


def wait_for(predicate, timeout: float, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s")


def writing(batch_id: int) -> bool:
    progress = import_batch_progress(batch_id) or {}
    return progress.get("stage") == "writing" and batch_status(batch_id) == "running"


def batch_status(batch_id: int) -> str:
    return ImportBatch.objects.values_list("status", flat=True).get(pk=batch_id)


def test_an_upload_goes_from_pending_to_succeeded_on_a_real_worker(real_worker, compliance):
    from django.test import Client

    from tests.conftest import client_for

    csv = (ROOT / "data" / "exports" / "gacc_rare_earths_monthly.csv").read_bytes()
    client: Client = client_for(compliance)
    real_worker()

    response = client.post("/api/v1/imports/", {"file": ContentFile(csv, name="gacc.csv")})

    assert response.status_code == 202, response.content
    batch_id = response.json()["id"]
    wait_for(lambda: batch_status(batch_id) == "succeeded", timeout=60)
    batch = ImportBatch.objects.get(pk=batch_id)
    assert batch.format == ImportBatch.Format.RAREGATE_CSV
    assert batch.rows_stored == ExportRecord.objects.filter(batch=batch).count() > 30


def test_a_worker_killed_mid_import_leaves_nothing_and_the_next_worker_stores_each_row_once(
    real_worker,
):
    rows = 480_000
    batch, _ = import_batch_register(
        file=ContentFile(rows_csv(rows), name="big.csv"), original_name="big.csv"
    )
    worker = real_worker()

    wait_for(lambda: writing(batch.pk), timeout=120)
    worker.kill()

    assert ExportRecord.objects.count() == 0
    assert batch_status(batch.pk) == "running"

    # A new worker delivers again the messages whose visibility timeout has passed.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    real_worker()
    wait_for(lambda: batch_status(batch.pk) == "succeeded", timeout=180, step=0.5)
    batch.refresh_from_db()
    assert batch.attempts == 2
    assert batch.rows_stored == rows
    assert ExportRecord.objects.count() == rows
    assert ExportRecord.objects.filter(batch=batch, is_current=True).count() == rows


def attempts(batch_id: int) -> int:
    return ImportBatch.objects.values_list("attempts", flat=True).get(pk=batch_id)


def test_an_import_that_stops_its_worker_three_times_fails_and_is_not_claimed_again(real_worker):
    batch, _ = import_batch_register(
        file=ContentFile(rows_csv(480_000), name="big.csv"), original_name="big.csv"
    )
    for claim in (1, 2, 3):
        worker = real_worker()
        wait_for(
            lambda n=claim: attempts(batch.pk) == n and batch_status(batch.pk) == "running", 120
        )
        worker.kill()  # as the kernel's OOM killer would
        time.sleep(VISIBILITY_TIMEOUT + 1)  # then the message is delivered again

    real_worker()
    wait_for(lambda: batch_status(batch.pk) == "failed", timeout=60, step=0.2)
    batch.refresh_from_db()

    assert batch.attempts == 3  # the fourth delivery claimed nothing
    assert batch.message == (
        "The import stopped its worker 3 times: the file is too large or malformed. "
        "Nothing was stored."
    )
    assert ExportRecord.objects.count() == 0
