"""Background work of the exports app: tasks take ids and call one service."""

from __future__ import annotations

from celery import shared_task

from exports import services
from exports.services.batches import TEMPORARY_ERRORS


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TEMPORARY_ERRORS,
    retry_backoff=5,
    max_retries=5,
)
def import_batch_run(self, batch_id: int) -> str | None:
    """Parse, validate and store one import batch."""
    batch = services.import_batch_process(batch_id=batch_id, retries=self.request.retries)
    return batch.status if batch is not None else None


@shared_task
def import_batches_requeue() -> list[int]:
    """Enqueue again the import batches left pending (e.g. while Redis was down)."""
    return services.import_batches_requeue()
