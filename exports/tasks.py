"""Background work of the exports app: tasks take ids and call one service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from exports import services
from exports.comtrade_fetch import comtrade_exports_fetch, recent_months
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
    """Enqueue again the import batches left pending (e.g. while Redis was down), and remove the
    previewed files that were never imported."""
    services.import_previews_purge()
    return services.import_batches_requeue()


@shared_task
def comtrade_fetch() -> list[int]:
    """Fetch the last year of published UN Comtrade months; the import worker stores them."""
    fetched = comtrade_exports_fetch(months=recent_months(timezone.localdate()))
    return [outcome.batch.pk for outcome in fetched]
