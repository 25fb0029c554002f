"""Licensing tasks: the daily licence statuses and alert check."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from licensing.alerts.services import alerts_digest_send, alerts_raise
from licensing.services import licences_apply_due


@shared_task
def licences_daily() -> dict:
    """Bring the licences' recorded statuses to today's: changes come due, validity ended."""
    return {"changed": licences_apply_due(on=timezone.localdate())}


@shared_task
def alerts_daily() -> dict:
    """Raise today's alerts and e-mail the new ones to the users who opted in."""
    alerts = alerts_raise(on=timezone.localdate())
    sent = alerts_digest_send(alerts=alerts)
    return {"raised": len(alerts), "emailed": sent}
