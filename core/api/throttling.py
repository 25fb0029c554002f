"""DRF's per-user and per-address throttles, letting requests through while the cache is down."""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from rest_framework import throttling

logger = logging.getLogger(__name__)

CACHE_ERRORS = (RedisError, OSError)


class _FailOpen:
    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS:
            # Counting needs the cache (Redis); an outage must not take the API down with it.
            logger.warning("Throttle cache unreachable; request let through unthrottled")
            return True


class UserRateThrottle(_FailOpen, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(_FailOpen, throttling.AnonRateThrottle):
    pass
