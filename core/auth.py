"""Log-in throttled per user name and per client address, counted in the cache."""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache

from core.api.throttling import CACHE_ERRORS

logger = logging.getLogger(__name__)

THROTTLED_MESSAGE = (
    "Too many failed log-in attempts. Wait {minutes} minute{plural} before trying again."
)


def _key(kind: str, value: str) -> str:
    # Hashed: user names may hold characters a cache key must not.
    return f"login-failures:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


class _FailureCounter:
    """Failures in a fixed window that starts with the first one."""

    def __init__(self, kind: str, value: str, limit: int):
        self.count_key = _key(kind, value)
        self.start_key = f"{self.count_key}:start"
        self.limit = limit

    @property
    def window(self) -> int:
        return settings.LOGIN_FAILURE_WINDOW_SECONDS

    def _window_open(self) -> bool:
        # Judged by the clock as well as by the cache's expiry, which may lag behind it.
        started = cache.get(self.start_key)
        return started is not None and time.time() < started + self.window

    def exceeded(self) -> bool:
        return self._window_open() and (cache.get(self.count_key) or 0) >= self.limit

    def retry_after(self) -> int:
        started = cache.get(self.start_key) or time.time()
        return max(1, math.ceil(started + self.window - time.time()))

    def add(self) -> None:
        if not self._window_open():
            self.clear()
        cache.add(self.start_key, time.time(), self.window)
        cache.add(self.count_key, 0, self.window)
        try:
            cache.incr(self.count_key)
        except ValueError:  # expired between add and incr
            cache.set(self.count_key, 1, self.window)

    def clear(self) -> None:
        cache.delete_many([self.count_key, self.start_key])


def client_address(request) -> str:
    # Behind the proxy, REMOTE_ADDR is whatever the proxy hands on (gunicorn's forwarded-allow).
    return request.META.get("REMOTE_ADDR", "")


class ThrottledLoginView(auth_views.LoginView):
    """Django's log-in; over the failure limits it answers 429 without checking the password."""

    def _counters(self, request) -> list[_FailureCounter]:
        username = request.POST.get("username", "").strip().casefold()
        return [
            _FailureCounter("user", username, settings.LOGIN_FAILURES_PER_USERNAME),
            _FailureCounter("addr", client_address(request), settings.LOGIN_FAILURES_PER_ADDRESS),
        ]

    def post(self, request, *args, **kwargs):
        counters = self._counters(request)
        try:
            blocked = [counter for counter in counters if counter.exceeded()]
        except CACHE_ERRORS:
            # The cache (Redis) is down: people may still log in, uncounted, until it is back.
            logger.warning("Log-in throttle cache unreachable; attempt not counted")
            counters, blocked = [], []
        if blocked:
            retry_after = max(counter.retry_after() for counter in blocked)
            minutes = math.ceil(retry_after / 60)
            context = self.get_context_data(
                form=self.get_form_class()(request),
                throttled=THROTTLED_MESSAGE.format(
                    minutes=minutes, plural="" if minutes == 1 else "s"
                ),
            )
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(retry_after)
            return response
        self._failure_counters = counters
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        try:
            for counter in self._failure_counters:
                counter.add()
        except CACHE_ERRORS:
            logger.warning("Log-in throttle cache unreachable; failure not counted")
        return super().form_invalid(form)

    def form_valid(self, form):
        # The user name's own count starts again; the address keeps its count.
        try:
            for counter in self._failure_counters[:1]:
                counter.clear()
        except CACHE_ERRORS:
            logger.warning("Log-in throttle cache unreachable; count not reset")
        return super().form_valid(form)
