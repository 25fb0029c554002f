"""Background work of the dashboards app."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from dashboards.services import monthly_summaries_rebuild


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=5,
)
def monthly_summaries_refresh() -> int:
    """Rebuild the monthly summaries from the current export records."""
    return monthly_summaries_rebuild()
