from __future__ import annotations

from django.utils import timezone

from licensing.alerts.selectors import alerts_recent_count


def alert_badge(request) -> dict:
    """The number on the Alerts link: alerts raised in the last week that the user has not
    acknowledged, for those who read them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("licensing.view_alert"):
        return {}
    return {"alert_badge_count": alerts_recent_count(on=timezone.localdate(), user=user)}
