"""Structured logs: one JSON line per request (core.middleware) and per Celery task (here)."""

from __future__ import annotations

import logging
import time
from typing import Any

from celery.signals import task_postrun, task_prerun

logger = logging.getLogger("raregate.tasks")

# Tasks whose first argument is an import batch's id.
BATCH_TASKS = {"exports.tasks.import_batch_run"}

_started: dict[str, float] = {}


def _batch_id(task: Any, args: Any, kwargs: Any) -> int | None:
    kwargs = kwargs or {}
    if "batch_id" in kwargs:
        return kwargs["batch_id"]
    if getattr(task, "name", None) in BATCH_TASKS and args:
        return args[0]
    return None


@task_prerun.connect
def task_started(task_id: str | None = None, **_: Any) -> None:
    if task_id:
        _started[task_id] = time.monotonic()


@task_postrun.connect
def task_finished(
    task_id: str | None = None,
    task: Any = None,
    args: Any = None,
    kwargs: Any = None,
    state: str | None = None,
    **_: Any,
) -> None:
    started = _started.pop(task_id, None) if task_id else None
    duration_ms = round((time.monotonic() - started) * 1000, 1) if started else None
    logger.info(
        "task %s %s",
        getattr(task, "name", None),
        state,
        extra={
            "task": getattr(task, "name", None),
            "task_id": task_id,
            "state": state,
            "duration_ms": duration_ms,
            "batch_id": _batch_id(task, args, kwargs),
        },
    )
