from __future__ import annotations

from config.roles import ROLES


def role(request) -> dict:
    """The name of the role shown beside a signed-in user in the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_role": ""}
    if user.is_superuser:
        return {"user_role": "Administrator"}
    names = user.groups.filter(name__in=ROLES).values_list("name", flat=True)
    return {"user_role": ", ".join(sorted(names)) or "No role"}


def alert_badge(request) -> dict:
    """The number on the Alerts link: alerts raised in the last week, for those who read them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("licensing.view_alert"):
        return {}
    from django.utils import timezone

    from licensing.alerts.selectors import alerts_recent_count

    return {"alert_badge_count": alerts_recent_count(on=timezone.localdate())}
