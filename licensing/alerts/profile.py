"""The alert digest's part of the profile page (core.profile, named in settings.PROFILE_PANELS)."""

from __future__ import annotations

from django.http import HttpRequest

from core.profile import Panel
from licensing.alerts.forms import AlertSubscriptionForm
from licensing.alerts.models import AlertSubscription


def digest_panel(request: HttpRequest) -> Panel | None:
    """The digest opt-in, for those who read alerts; it posts to the alerts' own view."""
    user = request.user
    if not user.has_perm("licensing.view_alert"):
        return None
    subscription = AlertSubscription.objects.filter(user=user).first()
    return Panel(
        template="licensing/_profile_digest.html",
        context={
            "form": AlertSubscriptionForm(instance=subscription or AlertSubscription(user=user)),
            "subscribed": bool(subscription and subscription.email_digest),
            "has_email": bool(user.email),
        },
    )
