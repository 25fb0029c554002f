"""Import batches: registering an upload, and processing it exactly once.

Processing claims the batch with a PostgreSQL session lock, which a dead worker's connection
releases: a re-delivered task finds a batch claimed by a live worker and does nothing, or one
left `running` by a dead worker and runs it again. The records and the batch's success are
written in one transaction, so a batch is never half-written nor written twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import File
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from exports.models import ImportBatch
from exports.parsers.base import ParseResult
from exports.services import checks
from exports.services.reading import file_read, upload_size_check
from exports.services.writing import records_write
from exports.signals import import_committed

logger = logging.getLogger(__name__)
Status = ImportBatch.Status
BATCH_LOCK_NAMESPACE = 7_310
# Worth a retry of the whole batch: the database went away for a moment.
TEMPORARY_ERRORS = (OperationalError, InterfaceError)


class InvalidTransition(Exception):
    pass


def _sha256(file: File) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _enqueue(batch_id: int) -> bool:
    """Send the batch to the workers; False when the broker is unreachable (it stays pending)."""
    from exports.tasks import import_batch_run

    try:
        import_batch_run.delay(batch_id)
    except Exception:  # noqa: BLE001 - any broker failure leaves the batch pending, not lost
        logger.warning("Could not enqueue import batch %s; it stays pending", batch_id)
        return False
    return True


def import_batch_register(
    *,
    file: File,
    original_name: str,
    uploaded_by=None,
    enqueue: bool = True,
    origin: str = ImportBatch.Origin.UPLOAD,
    fetched_from: str = "",
    progress_token: str = "",
) -> tuple[ImportBatch, bool]:
    """Store an uploaded (or fetched: `origin`, `fetched_from`) file as a pending batch, and
    whether it will run: the same bytes again return the first batch, run again when it had
    failed (import_batch_retry). `progress_token`: the browser's name for this upload, under
    which it can follow the batch before the upload's answer arrives (upload_batch_id)."""
    upload_size_check(size=file.size, name=original_name)
    sha256 = _sha256(file)
    existing = ImportBatch.objects.filter(sha256=sha256).first()
    if existing is not None and progress_token:
        _remember_upload(progress_token, existing.pk)
    if existing is not None and existing.status == Status.FAILED:
        return import_batch_retry(batch_id=existing.pk, enqueue=enqueue), True
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            batch = ImportBatch(
                original_name=original_name[:255],
                sha256=sha256,
                size=file.size,
                uploaded_by=uploaded_by if uploaded_by and uploaded_by.is_authenticated else None,
                origin=origin,
                fetched_from=fetched_from,
            )
            batch.file.save(original_name, file, save=False)
            batch.save()
            # Set once the batch is committed and could not be sent to the workers: the caller
            # tells the user it will start when the queue is back (import_batches_requeue).
            batch.queue_failed = False
            transaction.on_commit(lambda: _report(batch, "queued"))
            if progress_token:
                transaction.on_commit(lambda: _remember_upload(progress_token, batch.pk))
            if enqueue:
                transaction.on_commit(lambda: _queue(batch))
    except IntegrityError:
        # The same file uploaded twice at once: the other upload won.
        batch.file.delete(save=False)
        return ImportBatch.objects.get(sha256=sha256), False
    return batch, True


@transaction.atomic
def import_batch_retry(*, batch_id: int, enqueue: bool = True) -> ImportBatch:
    """Run a failed batch again, from the file it stored: pending, its outcome cleared and its
    attempts counted from nought (after a fix, or a worker that stopped)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status != Status.FAILED:
        raise InvalidTransition(f"Import {batch.pk} has not failed: it is {batch.status}.")
    if not batch.file:
        # A fetch that got no answer stored nothing to run again.
        raise InvalidTransition(
            f"Import {batch.pk} has no file to run again: it is a fetch that got no answer. "
            "Fetch again instead (manage.py fetch_comtrade)."
        )
    batch_transition(
        batch,
        Status.PENDING,
        format="",
        message="",
        rows_read=0,
        rows_stored=0,
        rows_superseding=0,
        rows_unchanged=0,
        rows_skipped=0,
        rows_in_error=0,
        skipped_reasons={},
        errors=[],
        warnings=[],
        attempts=0,
        started_at=None,
        finished_at=None,
    )
    batch.queue_failed = False
    batch.retried = True  # for the caller's message
    if enqueue:
        transaction.on_commit(lambda: _queue(batch))
    return batch


def announce_committed(batch: ImportBatch, changed: list[dict]) -> None:
    """Tell whoever listens that the batch is committed; their failures are theirs, not ours."""
    responses = import_committed.send_robust(sender=ImportBatch, batch_id=batch.pk, changed=changed)
    for receiver, response in responses:
        if isinstance(response, Exception):
            logger.error(
                "A listener to import %s failed: %r",
                batch.pk,
                receiver,
                exc_info=(type(response), response, response.__traceback__),
            )


def batch_transition(batch: ImportBatch, to: str, **fields: Any) -> None:
    """Move a batch to another status, only from a status that may lead there."""
    allowed_from = [s for s, targets in ImportBatch.TRANSITIONS.items() if to in targets]
    updated = ImportBatch.objects.filter(pk=batch.pk, status__in=allowed_from).update(
        status=to, **fields
    )
    if not updated:
        raise InvalidTransition(f"Import batch {batch.pk} cannot go to {to}.")
    batch.refresh_from_db()


@contextmanager
def _claimed(batch_id: int) -> Iterator[bool]:
    """Hold the batch's session lock while processing; False when a live worker holds it."""
    if connection.vendor != "postgresql":
        yield True  # the embedded default runs tasks in-process, one at a time
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [BATCH_LOCK_NAMESPACE, batch_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s, %s)", [BATCH_LOCK_NAMESPACE, batch_id]
                )


def _queue(batch: ImportBatch) -> None:
    batch.queue_failed = not _enqueue(batch.pk)


def progress_key(batch_id: int) -> str:
    return f"import-batch-progress:{batch_id}"


def _upload_key(token: str) -> str:
    return f"import-upload:{token}"


def _remember_upload(token: str, batch_id: int) -> None:
    try:
        cache.set(_upload_key(token), batch_id, timeout=3600)
    except Exception:  # noqa: BLE001 - progress is a nicety; Redis may be down
        logger.warning("Could not remember upload %s of import batch %s", token, batch_id)


def upload_batch_id(token: str) -> int | None:
    """The batch an upload named `token` became, once it is stored (None before, or unknown)."""
    try:
        return cache.get(_upload_key(token))
    except Exception:  # noqa: BLE001 - progress is a nicety; Redis may be down
        return None


def import_batch_progress(batch_id: int) -> dict | None:
    try:
        return cache.get(progress_key(batch_id))
    except Exception:  # noqa: BLE001 - progress is a nicety; Redis may be down
        return None


def _report(batch: ImportBatch, stage: str, **details: Any) -> None:
    try:
        cache.set(progress_key(batch.pk), {"stage": stage, **details}, timeout=6 * 3600)
    except Exception:  # noqa: BLE001 - progress is a nicety; Redis may be down
        logger.warning("Could not report the progress of import batch %s", batch.pk)


def _fail(
    batch: ImportBatch,
    *,
    message: str = "",
    result: ParseResult | None = None,
    errors: list | None = None,
) -> ImportBatch:
    fields: dict[str, Any] = {"message": message, "finished_at": timezone.now()}
    if result is not None:
        fields.update(
            format=result.format,
            rows_read=result.rows_read,
            rows_skipped=sum(result.skipped.values()),
            skipped_reasons=dict(result.skipped),
            warnings=result.warnings,
        )
    if errors:
        fields.update(
            errors=[error.as_dict() for error in errors],
            rows_in_error=len({error.line for error in errors}),
        )
    batch_transition(batch, Status.FAILED, **fields)
    _report(batch, "failed")
    return batch


def import_batch_process(
    *, batch_id: int, retries: int = 0, on_stage: Callable[[str], None] | None = None
) -> ImportBatch | None:
    """Parse, validate and store one batch; safe to call again for the same batch. `retries`:
    how many of its earlier attempts ended in a temporary error, retried by the task."""
    with _claimed(batch_id) as claimed:
        batch = ImportBatch.objects.filter(pk=batch_id).first()
        if batch is None or not claimed or batch.is_finished:
            return batch
        # Every other attempt stopped with its worker (killed, say, for the memory it took).
        stopped = batch.attempts - retries
        if stopped >= settings.IMPORT_MAX_ATTEMPTS:
            return _fail(
                batch,
                message=f"The import stopped its worker {stopped} times: the file is too large "
                "or malformed. Nothing was stored.",
            )
        batch_transition(
            batch, Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
        )
        _report(batch, "claimed", attempt=batch.attempts)
        try:
            return _process(batch, on_stage or (lambda stage: None))
        except TEMPORARY_ERRORS:
            raise  # the task retries; the batch stays running and is claimed again
        except Exception as error:
            logger.exception("Import batch %s failed unexpectedly", batch_id)
            return _fail(
                batch,
                message=f"Unexpected error while importing ({type(error).__name__}); "
                "nothing was stored. The team has been told.",
            )


def _process(batch: ImportBatch, on_stage: Callable[[str], None]) -> ImportBatch:
    on_stage("reading")
    _report(batch, "reading")
    with batch.file.open("rb") as handle:
        data = handle.read()
    on_stage("parsing")
    _report(batch, "parsing", size=len(data))
    reading = file_read(data, file_name=batch.original_name)
    result = reading.result
    if result is None:
        return _fail(batch, message=reading.failure)
    if reading.errors:
        return _fail(
            batch,
            message=f"{len(reading.errors):,} row error(s): nothing was stored.",
            result=result,
            errors=reading.errors,
        )
    on_stage("writing")
    _report(batch, "writing", rows=len(result.rows))
    warnings = reading.warnings
    with transaction.atomic():
        counts = records_write(batch=batch, rows=result.rows)
        checks.year_to_date_store(result.cumulative, batch=batch)
        batch_transition(
            batch,
            Status.SUCCEEDED,
            format=result.format,
            rows_read=result.rows_read,
            rows_stored=counts.stored,
            rows_superseding=counts.superseding,
            rows_unchanged=counts.unchanged,
            rows_skipped=sum(result.skipped.values()),
            skipped_reasons=dict(result.skipped),
            warnings=warnings,
            finished_at=timezone.now(),
            summaries_owed=bool(counts.changed),
        )
        transaction.on_commit(lambda: _report(batch, "succeeded"))
        transaction.on_commit(lambda: announce_committed(batch, counts.changed))
    on_stage("done")
    return batch


def import_batches_requeue(*, older_than_seconds: int = 300) -> list[int]:
    """Enqueue again the batches still pending after a while (e.g. Redis was down), and those
    left running by a worker that died (no worker holds their claim) rather than wait for the
    broker's visibility timeout."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending = ImportBatch.objects.filter(status=Status.PENDING, created_at__lt=cutoff)
    running = ImportBatch.objects.filter(status=Status.RUNNING, started_at__lt=cutoff)
    ids = list(pending.values_list("pk", flat=True))
    ids += [pk for pk in running.values_list("pk", flat=True) if not _claimed_elsewhere(pk)]
    for batch_id in ids:
        _enqueue(batch_id)
    return ids


def _claimed_elsewhere(batch_id: int) -> bool:
    """Whether a live worker holds the batch's claim (its session lock); on the embedded
    default, where tasks run in the web process, no batch stays running."""
    with _claimed(batch_id) as free:
        return not free
