"""Reads of alerts."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from licensing.alerts.models import Alert, AlertAcknowledgement

BADGE_DAYS = 7


def _acknowledged_by(user) -> Exists:
    return Exists(AlertAcknowledgement.objects.filter(alert=OuterRef("pk"), user=user))


def alerts_list(*, user, kind: str = "", open_only: bool = False) -> QuerySet[Alert]:
    """The alerts, newest first, each with `acknowledged` (by this user); with `open_only`,
    only those the user has not acknowledged."""
    alerts = Alert.objects.select_related(
        "licence__exporter", "control_measure", "approval", "automaker"
    ).annotate(acknowledged=_acknowledged_by(user))
    if kind:
        alerts = alerts.filter(kind=kind)
    return alerts.filter(acknowledged=False) if open_only else alerts


def alerts_recent_count(*, on: date, user) -> int:
    """How many alerts raised in the week up to `on` the user has not acknowledged: the number
    on the navigation badge."""
    recent = Alert.objects.filter(raised_on__gt=on - timedelta(days=BADGE_DAYS))
    return recent.exclude(_acknowledged_by(user)).count()
