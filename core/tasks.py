"""Project-wide background work: the worker's heartbeat, read by /healthz."""

from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache

HEARTBEAT_KEY = "raregate:worker-heartbeat"


@shared_task(ignore_result=True)
def worker_heartbeat() -> float:
    """Record when a worker last ran a task (the beat schedule runs this every minute)."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now
