"""/healthz: ok or failing per component, nothing more; 503 when the database is down."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.tasks import HEARTBEAT_KEY

WORKER_STALE_SECONDS = 180  # the heartbeat runs every 60 s
REDIS_TIMEOUT_SECONDS = 0.5


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure is "failing"; no detail leaves the server
        return "failing"
    return "ok"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception:  # noqa: BLE001
        return "failing"
    return "ok"


def _worker_last_beat() -> float | None:
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception:  # noqa: BLE001 - the cache (Redis) is down
        return None
    if beat is None:
        return None
    return max(0.0, time.time() - float(beat))


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = _database()
    seconds = _worker_last_beat()
    worker = "unknown" if seconds is None else "ok"
    if seconds is not None and seconds > WORKER_STALE_SECONDS:
        worker = "stale"
    return JsonResponse(
        {
            "database": database,
            "redis": _redis(),
            "worker": worker,
            "worker_last_beat_seconds": None if seconds is None else round(seconds),
        },
        status=503 if database == "failing" else 200,
    )
