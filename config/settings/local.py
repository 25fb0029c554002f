"""The embedded default: SQLite, eager tasks, what `make demo` runs, exactly as a user sees it:
no debug pages (DJANGO_DEBUG=true turns them on for development)."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Serve static files straight from the apps and static/, without collectstatic (and so without
# the manifest of hashed names that production's storage reads).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
