"""Fetched batches: a fetch that got an answer is registered like an upload
(batches.import_batch_register, with origin "fetch"); one that got none is recorded here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from exports.models import ImportBatch


@transaction.atomic
def import_batch_fetch_failed(
    *, original_name: str, fetched_from: str, message: str
) -> ImportBatch:
    """Record a fetch that got no usable answer as a failed batch without a file (nor a digest),
    so that the imports list shows it beside the uploads."""
    batch = ImportBatch(
        original_name=original_name[:255],
        sha256=None,
        size=0,
        origin=ImportBatch.Origin.FETCH,
        fetched_from=fetched_from,
        status=ImportBatch.Status.FAILED,
        message=message,
        finished_at=timezone.now(),
    )
    batch.full_clean()
    batch.save()
    return batch
