from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from exports.models import ExportRecord, ImportBatch
from tests.exports.test_views import DATA, RAREGATE_CSV, ImportBatchFactory, needs_parsers

GACC_MONTHLY = DATA / "gacc_rare_earths_monthly.csv"
HEADER = "series,period,partner,tonnes,value,value_unit,source_url\n"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def data_rows(path: Path) -> int:
    return len(path.read_text().splitlines()) - 1


@needs_parsers
@pytest.mark.django_db
def test_it_imports_a_file_in_the_foreground_with_a_progress_bar_and_a_summary():
    out = run("import_exports", str(GACC_MONTHLY))

    batch = ImportBatch.objects.get()
    rows = data_rows(GACC_MONTHLY)
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.uploaded_by is None
    assert ExportRecord.objects.filter(batch=batch).count() == rows
    lines = out.splitlines()
    assert lines[0] == str(GACC_MONTHLY)
    # Not a terminal: one line per stage, no carriage returns.
    assert "\r" not in out
    assert [line.split("] ")[1] for line in lines if line.startswith("  [")] == [
        "reading",
        "parsing",
        "writing",
        "done",
    ]
    assert "  [########################] done" in lines
    assert f"Succeeded: import {batch.pk}, RareGate CSV in " in out
    assert (
        f"Rows read {rows} · stored {rows} · revised 0 · unchanged 0 · skipped 0 · in error 0"
        in out
    )


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


@needs_parsers
@pytest.mark.django_db
def test_on_a_terminal_the_progress_bar_is_redrawn_in_place():
    out = Terminal()

    call_command("import_exports", str(GACC_MONTHLY), stdout=out)

    bar = out.getvalue().split("\n")[1]
    assert bar.count("\r") == 4
    assert bar.rstrip().endswith("[########################] done")


@needs_parsers
@pytest.mark.django_db
def test_a_file_imported_before_is_not_imported_again():
    run("import_exports", str(GACC_MONTHLY))

    out = run("import_exports", str(GACC_MONTHLY))

    batch = ImportBatch.objects.get()
    assert f"Already imported as import {batch.pk} (succeeded): not imported again." in out
    assert "[" not in out  # no progress bar: nothing ran
    assert ExportRecord.objects.count() == data_rows(GACC_MONTHLY)


@needs_parsers
@pytest.mark.django_db
def test_a_file_with_row_errors_fails_with_the_message_and_the_first_20_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "".join(f"gacc-rare-earths,2019-{month:02d},,lots,,,\n" for month in range(1, 13))
        + "".join(f"gacc-ndfeb-magnets,2019-{month:02d},,-{month},,,\n" for month in range(1, 13))
    )
    out = StringIO()

    with pytest.raises(CommandError, match=r"1 of 1 file\(s\) not imported: bad.csv"):
        call_command("import_exports", str(bad), stdout=out)

    text = out.getvalue()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    assert f"Failed: import {batch.pk}, RareGate CSV" in text
    assert batch.message in text
    shown = [line for line in text.splitlines() if line.startswith("  line ")]
    assert len(shown) == 20
    assert shown[0].startswith("  line 2, column tonnes: ")
    assert "… and 4 more" in text
    assert not ExportRecord.objects.exists()


@needs_parsers
@pytest.mark.django_db
def test_it_imports_every_file_and_fails_at_the_end_if_any_failed(tmp_path):
    missing = tmp_path / "missing.csv"
    out = StringIO()

    with pytest.raises(CommandError, match="1 of 2 file"):
        call_command("import_exports", str(missing), str(GACC_MONTHLY), stdout=out)

    assert "Cannot read the file: No such file or directory." in out.getvalue()
    assert ImportBatch.objects.get().status == ImportBatch.Status.SUCCEEDED


@needs_parsers
@pytest.mark.django_db
def test_a_file_uploaded_but_never_run_is_run_now(tmp_path):
    path = tmp_path / "november.csv"
    path.write_bytes(RAREGATE_CSV)
    batch = ImportBatchFactory(
        file=ContentFile(RAREGATE_CSV, name="november.csv"),
        sha256=hashlib.sha256(RAREGATE_CSV).hexdigest(),
        status=ImportBatch.Status.PENDING,
        started_at=None,
        finished_at=None,
    )

    out = run("import_exports", str(path))

    batch.refresh_from_db()
    assert f"Already uploaded as import {batch.pk}, still pending." in out
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert ExportRecord.objects.filter(batch=batch).count() == 1


@pytest.mark.django_db
def test_an_empty_file_is_refused_and_nothing_is_stored(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_exports", str(empty), stdout=out)

    assert "empty.csv is empty." in out.getvalue()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_file_whose_earlier_import_failed_runs_again_and_fails_again(tmp_path):
    content = (HEADER + "gacc-rare-earths,2019-01,,lots,,,\n").encode()
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import_exports", str(path), stdout=StringIO())
    batch = ImportBatch.objects.get()
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_exports", str(path), stdout=out)

    text = out.getvalue()
    assert f"Failed before as import {batch.pk}: run again." in text
    assert "  line 2, column tonnes: tonnes is not a number: 'lots'" in text
    assert ImportBatch.objects.count() == 1
    assert ImportBatch.objects.get().attempts == 1  # counted afresh


@pytest.mark.django_db
def test_requeue_imports_enqueues_the_batches_pending_too_long(monkeypatch):
    enqueued: list[int] = []
    monkeypatch.setattr("exports.services.batches._enqueue", enqueued.append)
    pending = dict(status=ImportBatch.Status.PENDING, started_at=None, finished_at=None)
    stale = ImportBatchFactory(**pending)
    fresh = ImportBatchFactory(**pending)
    ImportBatchFactory()  # succeeded: never enqueued again
    ImportBatch.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )

    out = run("requeue_imports", "--older-than", "60")

    assert enqueued == [stale.pk]
    assert out == f"Enqueued again 1 import batch(es): {stale.pk}.\n"
    assert fresh.pk not in enqueued


@pytest.mark.django_db
def test_requeue_imports_says_when_nothing_is_pending():
    assert run("requeue_imports") == "No import batch pending for more than 300 s.\n"
