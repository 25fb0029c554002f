"""Licensing tasks: the daily alert check."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from licensing.alerts.services import alerts_digest_send, alerts_raise


@shared_task
def alerts_daily() -> dict:
    """Raise today's alerts and e-mail the new ones to the users who opted in."""
    alerts = alerts_raise(on=timezone.localdate())
    sent = alerts_digest_send(alerts=alerts)
    return {"raised": len(alerts), "emailed": sent}
