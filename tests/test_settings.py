"""Settings read the environment once, at import: each case runs in its own Python process.

The child process gets a controlled environment (none of the variables the settings read, unless
the case sets them) and never reads a developer's `.env` file, so the outcome depends only on
what the case passes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION_REQUIRED = {
    "DJANGO_SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-production-use",
    "DATABASE_URL": "postgres://raregate:secret@db.example.org:5432/raregate",
    "DJANGO_ALLOWED_HOSTS": "raregate.example.org,www.raregate.example.org",
}

# Loads the settings like a real start does (django.setup()) and prints what the cases check.
SETUP_AND_REPORT = """
import json
import environ
environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None)  # ignore any .env file
import django
from django.conf import settings
django.setup()
from config.celery import app
print(json.dumps({
    "debug": settings.DEBUG,
    "secret_key": settings.SECRET_KEY,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "database": {k: settings.DATABASES["default"][k] for k in ("ENGINE", "NAME", "HOST")},
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "cache_options": settings.CACHES["default"].get("OPTIONS", {}),
    "sessions": settings.SESSION_ENGINE,
    "middleware": settings.MIDDLEWARE,
    "api_authentication": settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"],
    "authentication_backends": settings.AUTHENTICATION_BACKENDS,
    "app_eager": app.conf.task_always_eager,
    "app_broker": app.conf.broker_url,
}))
"""


def run_settings(module: str, **variables: str) -> subprocess.CompletedProcess:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "RAREGATE_"))
        and name not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(variables, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [sys.executable, "-c", SETUP_AND_REPORT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def report(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("missing", sorted(PRODUCTION_REQUIRED))
def test_production_refuses_to_start_without(missing):
    variables = {name: value for name, value in PRODUCTION_REQUIRED.items() if name != missing}

    result = run_settings("config.settings.production", **variables)

    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_starts_with_its_three_variables():
    settings = report(run_settings("config.settings.production", **PRODUCTION_REQUIRED))

    assert settings["debug"] is False
    assert settings["secret_key"] == PRODUCTION_REQUIRED["DJANGO_SECRET_KEY"]
    assert settings["allowed_hosts"] == ["raregate.example.org", "www.raregate.example.org"]
    assert settings["database"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "raregate",
        "HOST": "db.example.org",
    }


@pytest.mark.parametrize("module", ["config.settings.base", "config.settings.local"])
def test_without_redis_url_tasks_run_eagerly_and_cache_in_memory(module):
    settings = report(run_settings(module))

    assert settings["eager"] is True
    assert settings["app_eager"] is True
    assert settings["broker"] == settings["app_broker"] == "memory://"
    assert settings["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings["database"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["database"]["NAME"] == str(BASE_DIR / "db.sqlite3")


def test_with_redis_url_tasks_go_to_the_broker_and_the_cache_to_a_database_of_its_own():
    settings = report(run_settings("config.settings.base", REDIS_URL="redis://127.0.0.1:6379/3"))

    assert settings["eager"] is False
    assert settings["app_eager"] is False
    assert settings["broker"] == settings["app_broker"] == "redis://127.0.0.1:6379/3"
    assert settings["cache"] == "django_redis.cache.RedisCache"
    assert settings["cache_location"] == "redis://127.0.0.1:6379/1"
    options = settings["cache_options"]
    assert options["IGNORE_EXCEPTIONS"] is True
    assert 0 < options["SOCKET_CONNECT_TIMEOUT"] <= 0.5
    assert 0 < options["SOCKET_TIMEOUT"] <= 0.5


def test_the_cache_may_be_named_apart_from_the_broker():
    settings = report(
        run_settings(
            "config.settings.base",
            REDIS_URL="redis://127.0.0.1:6379/0",
            RAREGATE_CACHE_URL="redis://cache.example.org:6379/5",
        )
    )

    assert settings["cache_location"] == "redis://cache.example.org:6379/5"


def test_authentication_and_sessions_are_djangos_own():
    settings = report(run_settings("config.settings.base", REDIS_URL="redis://127.0.0.1:6379/3"))

    assert "django.contrib.auth.middleware.AuthenticationMiddleware" in settings["middleware"]
    assert settings["sessions"] == "django.contrib.sessions.backends.db"
    # django-axes' backend only refuses a locked-out log-in; Django's own authenticates.
    assert settings["authentication_backends"] == [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    assert settings["api_authentication"] == [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ]
