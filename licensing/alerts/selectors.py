"""Reads of alerts."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import QuerySet

from licensing.alerts.models import Alert
from licensing.cache import licensing_version

BADGE_DAYS = 7


def alerts_list(*, kind: str = "") -> QuerySet[Alert]:
    alerts = Alert.objects.select_related("licence__exporter", "control_measure", "approval")
    return alerts.filter(kind=kind) if kind else alerts


def alerts_recent_count(*, on: date) -> int:
    """How many alerts were raised in the week up to `on`: the number on the navigation badge.

    Every page shows it: counted once per version of the alerts and per day.
    """
    key = f"licensing:alert-badge:{licensing_version(Alert)}:{on.isoformat()}"
    return cache.get_or_set(
        key,
        lambda: Alert.objects.filter(raised_on__gt=on - timedelta(days=BADGE_DAYS)).count(),
        3600,
    )
