"""Backup and restore as the README does it: pg_dump -Fc, pg_restore into an empty database.

PostgreSQL only: skipped outside CI when DATABASE_URL names another database, failed in CI.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

DATA = Path(settings.BASE_DIR) / "data" / "exports"


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI runs the backup test on PostgreSQL: set DATABASE_URL to it.")
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed")


def _pg_args(settings_dict: dict, name: str) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    environment = {**os.environ}
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = settings_dict["PASSWORD"]
    return [*args, "--dbname", name], environment


def _connect(settings_dict: dict, name: str, **kwargs):
    import psycopg

    return psycopg.connect(
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        dbname=name,
        **kwargs,
    )


@pytest.mark.django_db(transaction=True)
def test_a_dump_restores_into_an_empty_database(postgresql, reference_data, tmp_path):
    from exports.models import ExportRecord, ImportBatch
    from exports.services import import_batch_process, import_batch_register
    from licensing.models import Approval, Licence
    from tests.factories import ApprovalFactory

    name = "gacc_rare_earths_monthly.csv"
    content = (DATA / name).read_bytes()
    batch, _ = import_batch_register(
        file=ContentFile(content, name=name), original_name=name, enqueue=False
    )
    batch = import_batch_process(batch_id=batch.pk)
    assert batch.status == ImportBatch.Status.SUCCEEDED
    licence = Licence.objects.first()
    ApprovalFactory(licence=licence, exporter=licence.exporter)
    expected = {
        "licences": Licence.objects.count(),
        "approvals": Approval.objects.count(),
        "records": ExportRecord.objects.count(),
        "sha256": batch.sha256,
    }
    assert expected["sha256"] == hashlib.sha256(content).hexdigest()
    assert all(expected.values())

    settings_dict = connection.settings_dict
    dump = tmp_path / "raregate.dump"
    args, environment = _pg_args(settings_dict, settings_dict["NAME"])
    subprocess.run(
        ["pg_dump", "-Fc", "--file", str(dump), *args], check=True, env=environment, timeout=120
    )
    assert dump.stat().st_size > 0

    restored = f"raregate_restore_{uuid.uuid4().hex[:12]}"
    with _connect(settings_dict, "postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        args, environment = _pg_args(settings_dict, restored)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", *args, str(dump)],
            check=True,
            env=environment,
            timeout=120,
        )
        with _connect(settings_dict, restored) as copy:
            found = {
                "licences": copy.execute(
                    f"SELECT count(*) FROM {Licence._meta.db_table}"
                ).fetchone()[0],
                "approvals": copy.execute(
                    f"SELECT count(*) FROM {Approval._meta.db_table}"
                ).fetchone()[0],
                "records": copy.execute(
                    f"SELECT count(*) FROM {ExportRecord._meta.db_table}"
                ).fetchone()[0],
                "sha256": copy.execute(
                    f"SELECT sha256 FROM {ImportBatch._meta.db_table} WHERE id = %s", [batch.pk]
                ).fetchone()[0],
            }
        assert found == expected
    finally:
        with _connect(settings_dict, "postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
