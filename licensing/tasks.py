"""Licensing tasks: the hourly check of licence statuses and alerts."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from licensing.alerts.services import alerts_digest_send, alerts_raise
from licensing.services import licences_apply_due


@shared_task
def licensing_check() -> dict:
    """Bring the licences' recorded statuses to today's (changes come due, validity ended),
    raise today's alerts and e-mail the new ones to the users who opted in."""
    on = timezone.localdate()
    changed = licences_apply_due(on=on)
    alerts = alerts_raise(on=on)
    sent = alerts_digest_send(alerts=alerts)
    return {"licences changed": changed, "raised": len(alerts), "emailed": sent}
