from __future__ import annotations

from config.roles import role_of


def role(request) -> dict:
    user = getattr(request, "user", None)
    return {"user_role": role_of(user) if user is not None else ""}


def alert_badge(request) -> dict:
    """The number on the Alerts link: alerts raised in the last week, for those who read them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("licensing.view_alert"):
        return {}
    from django.utils import timezone

    from licensing.alerts.selectors import alerts_recent_count

    return {"alert_badge_count": alerts_recent_count(on=timezone.localdate())}
