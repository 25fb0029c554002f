"""Log-in throttling with django-axes: failures counted in the database for each user name and
client address together, so that no one can lock another person out (README, "Log-in")."""

from __future__ import annotations

import ipaddress
import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

THROTTLED_MESSAGE = (
    "Too many failed log-in attempts. Wait {minutes} minute{plural} before trying again."
)


def login_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The user name as Django authenticates it (NFKC-normalised, as the log-in form does), so
    that a full-width variant of a name counts as that name."""
    given = (credentials or {}).get("username") or request.POST.get("username", "")
    return get_user_model().normalize_username(given.strip())


def _trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy) for proxy in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """The client's address: the connection's, or when the connection comes from a trusted proxy
    (RAREGATE_TRUSTED_PROXIES), the address that proxy added last to X-Forwarded-For: entries
    before it are the client's own word and are not believed."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    last = forwarded[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return remote


def tokens_revoked_on_password_change(sender, instance, **kwargs) -> None:
    """A user whose password changes loses their API token: whoever knew the old password may
    have read the token too. (A pre_save receiver: the password is set in the admin, in forms
    and by set_password, with no signal of its own.)"""
    from rest_framework.authtoken.models import Token

    update_fields = kwargs.get("update_fields")
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        Token.objects.filter(user_id=instance.pk).delete()


def locked_out(
    request: HttpRequest, response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The log-in page, answered 429 with the wait, for a user name locked at this address."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = math.ceil(seconds / 60)
    context = {
        "form": AuthenticationForm(request),
        "throttled": THROTTLED_MESSAGE.format(minutes=minutes, plural="" if minutes == 1 else "s"),
        "next": request.POST.get("next", ""),
    }
    page = render(request, "registration/login.html", context, status=429)
    page["Retry-After"] = str(seconds)
    return page
