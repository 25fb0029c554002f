"""The test suite: whatever DATABASE_URL and REDIS_URL name (PostgreSQL and Redis in CI)."""

from __future__ import annotations

import tempfile

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="raregate-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in the test process unless a test starts a real worker (tests/exports/test_worker.py
# turns this off for its own duration).
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the apps and static/, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Keys of this test database's own: parallel runs on one Redis never share or clear each other's.
if "KEY_PREFIX" in CACHES["default"]:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = "test-" + str(DATABASES["default"]["NAME"])  # noqa: F405

# API throttling stays on, at rates no other test reaches; tests/test_security.py lowers them.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"user": "100000/minute", "anon": "100000/minute"},
}
