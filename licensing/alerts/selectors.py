"""Reads of alerts."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet

from licensing.alerts.models import Alert

BADGE_DAYS = 7


def alerts_list(*, kind: str = "") -> QuerySet[Alert]:
    alerts = Alert.objects.select_related("licence__exporter", "control_measure", "approval")
    return alerts.filter(kind=kind) if kind else alerts


def alerts_recent_count(*, on: date) -> int:
    """How many alerts were raised in the week up to `on`: the number on the navigation badge."""
    return Alert.objects.filter(raised_on__gt=on - timedelta(days=BADGE_DAYS)).count()
