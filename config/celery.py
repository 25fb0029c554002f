from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("raregate")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One JSON line per task (task_prerun/task_postrun handlers).
import core.logging  # noqa: E402, F401
