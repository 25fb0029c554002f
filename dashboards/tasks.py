"""Background work of the dashboards app: tasks take ids (and JSON) and call one service."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from dashboards.services import (
    monthly_summaries_owed,
    monthly_summaries_rebuild,
    monthly_summaries_update,
)

# Worth a retry: the database went away for a moment.
TEMPORARY_ERRORS = (OperationalError, InterfaceError)
# A rebuild is one transaction: run again after a lost worker, retried on temporary errors.
REBUILD = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TEMPORARY_ERRORS,
    "retry_backoff": 5,
    "max_retries": 5,
}


@shared_task(**REBUILD)
def monthly_summaries_refresh() -> int:
    """Rebuild the monthly summaries from the current export records."""
    return monthly_summaries_rebuild()


@shared_task(**REBUILD)
def monthly_summaries_refresh_after_import(batch_id: int, changed: list[dict] | None = None) -> int:
    """Rebuild the monthly summaries that a committed import's changes reach."""
    return monthly_summaries_update(batch_id=batch_id, changed=changed)


@shared_task(**REBUILD)
def monthly_summaries_settle() -> list[int]:
    """Rebuild what imports committed a while ago still owe (beat, every minute)."""
    return monthly_summaries_owed()
