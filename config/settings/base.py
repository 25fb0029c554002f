"""Settings shared by every environment; the only module that reads the environment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
import plotly
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def redis_database(url: str, number: int) -> str:
    """The Redis URL `url` with its database number replaced by `number`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{number}"))


if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Full-text and trigram lookups for the global search (licensing.search); harmless on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "axes",
    "core",
    "licensing",
    "exports",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before sessions and auth, so that their database errors are answered 503 too.
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.middleware.RefuseNulMiddleware",
    "core.middleware.BoundedBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.PrivateResponseMiddleware",
    # One JSON line per request, with the user (core.middleware.RequestLogMiddleware).
    "core.middleware.RequestLogMiddleware",
    "core.middleware.PageLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into core.auth.locked_out's page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.role",
                "licensing.context_processors.alert_badge",
            ],
        },
    },
]


def database(**default) -> dict:
    """The database DATABASE_URL names, with the options every environment shares."""
    config = env.db("DATABASE_URL", **default)
    config["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        # The pages' queries are short: compiling them (PostgreSQL's JIT, on above a cost
        # estimate) took ten times as long as running them.
        config.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return config


DATABASES = {"default": database(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Without Redis the app runs on its own: tasks run eagerly in the web process, cache in memory.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker process that grew past this (KiB) after a task is replaced; with the import's cap on
# attempts (IMPORT_MAX_ATTEMPTS), one file cannot hold the machine.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("RAREGATE_WORKER_MAX_MEMORY_MIB", default=1536) * 1024
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message whose worker died unacknowledged is delivered again after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("RAREGATE_TASK_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_BEAT_SCHEDULE: dict = {
    "refresh-monthly-summaries": {
        "task": "dashboards.tasks.monthly_summaries_refresh",
        "schedule": env.int("RAREGATE_SUMMARY_REFRESH_SECONDS", default=6 * 3600),
    },
    # A rebuild owed to an import whose message was lost (Redis down) is done within a minute.
    "settle-owed-summaries": {
        "task": "dashboards.tasks.monthly_summaries_settle",
        "schedule": 60,
    },
    "requeue-pending-imports": {
        "task": "exports.tasks.import_batches_requeue",
        "schedule": 300,
    },
    # Licence statuses and alerts: every hour, so that a licence ending today is on the Alerts
    # page the same morning.
    "licensing-check": {
        "task": "licensing.tasks.licensing_check",
        "schedule": crontab(minute=5),
    },
    "worker-heartbeat": {
        "task": "core.tasks.worker_heartbeat",
        "schedule": 60,
    },
}

# The cache holds derived figures only (dashboards.figures), in a Redis database of its own
# beside the broker's; a slow or dead Redis costs a short timeout and a miss, never a failed page.
CACHE_URL = env("RAREGATE_CACHE_URL", default=redis_database(REDIS_URL, 1) if REDIS_URL else "")
CACHE_TIMEOUT_SECONDS = env.float("RAREGATE_CACHE_TIMEOUT_SECONDS", default=0.3)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("RAREGATE_CACHE_KEY_PREFIX", default="raregate"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": CACHE_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": CACHE_TIMEOUT_SECONDS,
                "IGNORE_EXCEPTIONS": True,
                # After a failure, Redis is not asked again for a few seconds (core.cache).
                "CONNECTION_POOL_CLASS": "core.cache.BreakerConnectionPool",
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
# One date style for pages and forms: "1 Dec 2026" (core/formats/en_GB/formats.py).
FORMAT_MODULE_PATH = ["core.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# plotly.js comes from the plotly package itself, served as /static/plotly/plotly.min.js.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("plotly", Path(plotly.__file__).parent / "package_data"),
]
# Uploaded files live outside the static root and are never served by URL: views hand them out.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EVIDENCE_MAX_BYTES = env.int("RAREGATE_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# Customs files: the upload limit, and what a compressed file may expand to.
IMPORT_MAX_BYTES = env.int("RAREGATE_IMPORT_MAX_BYTES", default=100 * 1024 * 1024)
# The most any other request body may hold (core.middleware.BoundedBodyMiddleware).
REQUEST_MAX_BYTES = env.int("RAREGATE_REQUEST_MAX_BYTES", default=1024 * 1024)
# An import whose worker stopped this many times (killed for its memory, say) is failed, not
# delivered again.
IMPORT_MAX_ATTEMPTS = env.int("RAREGATE_IMPORT_MAX_ATTEMPTS", default=3)
IMPORT_MAX_EXPANDED_BYTES = env.int(
    "RAREGATE_IMPORT_MAX_EXPANDED_BYTES", default=1024 * 1024 * 1024
)
IMPORT_ERRORS_SHOWN = 200
# UN Comtrade (exports.comtrade_fetch): the monthly beat fetch is off unless turned on; without a
# key the public preview is asked, with one the full API (the key goes in a header, never in a
# URL, a batch or a log). Requests are spaced and retried on temporary errors.
COMTRADE_FETCH = env.bool("RAREGATE_COMTRADE_FETCH", default=False)
COMTRADE_API_KEY = env("RAREGATE_COMTRADE_API_KEY", default="")
COMTRADE_MIN_INTERVAL_SECONDS = env.float("RAREGATE_COMTRADE_MIN_INTERVAL_SECONDS", default=1.0)
COMTRADE_MAX_ATTEMPTS = env.int("RAREGATE_COMTRADE_MAX_ATTEMPTS", default=4)
if COMTRADE_FETCH:
    # Comtrade publishes a month about two months after it; early in each month, fetch the last
    # twelve published months again, which also picks up its revisions.
    CELERY_BEAT_SCHEDULE["fetch-comtrade"] = {
        "task": "exports.tasks.comtrade_fetch",
        "schedule": crontab(minute=0, hour=6, day_of_month=3),
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
EXPIRY_WARNING_DAYS = 30
# The parts the apps add to a user's profile page (core.profile): functions of the request.
PROFILE_PANELS = ["licensing.alerts.profile.digest_panel"]
# A claim of cover not made again within this many days leaves the automaker unconfirmed.
CLAIM_HORIZON_DAYS = env.int("RAREGATE_CLAIM_HORIZON_DAYS", default=365)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header is what makes an anonymous request a 401.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    # Answered 429 with Retry-After once a caller goes over its rate (counted in the cache).
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.UserRateThrottle",
        "core.api.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("RAREGATE_API_USER_RATE", default="600/minute"),
        "anon": env("RAREGATE_API_ANON_RATE", default="60/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RareGate API",
    "DESCRIPTION": "China's rare-earth export licences, the approvals under them and the export "
    "flows they gate.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LicenceStatusEnum": "licensing.models.Licence.Status",
        "LicenceTransitionStatusEnum": "licensing.services.TRANSITION_CHOICES",
        "CoverStatusEnum": "licensing.selectors.CoverStatus",
        "ControlMeasureKindEnum": "licensing.models.ControlMeasure.Kind",
        "ControlItemFormEnum": "licensing.models.ControlItem.Form",
        "MeasureStateEnum": "licensing.states.State",
    },
}

# Pages run no inline script: ours and plotly.js come from static files, figure data sits in
# <script type="application/json"> blocks. plotly.js adds <style> elements as it draws.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Log-in throttling (django-axes, core/auth.py): failures counted in the database for each user
# name (as Django normalises it) and client address together; at the limit that pair is answered
# 429 for the window, the right password from another address still logs in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("RAREGATE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(
    seconds=env.int("RAREGATE_LOGIN_FAILURE_WINDOW_SECONDS", default=15 * 60)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "core.auth.login_username"
AXES_CLIENT_IP_CALLABLE = "core.auth.client_address"
AXES_LOCKOUT_CALLABLE = "core.auth.locked_out"
AXES_VERBOSE = False
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks); none by default.
TRUSTED_PROXIES = env.list("RAREGATE_TRUSTED_PROXIES", default=[])

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)

# One JSON object per line on the console: requests (raregate.requests), tasks (raregate.tasks,
# core/logging.py) and everything else through the root logger.
LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "raregate.requests": {"level": LOG_LEVEL},
        "raregate.tasks": {"level": LOG_LEVEL},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
