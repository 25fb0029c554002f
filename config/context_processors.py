from __future__ import annotations

from config.access import access_of


def role(request) -> dict:
    """The name shown beside a user in the navigation (and part of cached fragments' keys), and
    the version of what they may do (part of the navigation's key)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_role": ""}
    access = access_of(user)
    return {"user_role": access.role, "access_version": access.version}


def alert_badge(request) -> dict:
    """The number on the Alerts link: alerts raised in the last week, for those who read them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("licensing.view_alert"):
        return {}
    from django.utils import timezone

    from licensing.alerts.selectors import alerts_recent_count

    return {"alert_badge_count": alerts_recent_count(on=timezone.localdate())}
