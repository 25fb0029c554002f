"""A Redis that is down or hung costs the cache a short timeout and a miss, never a page.

The hung Redis is a private redis-server of this test's own (tests/servers.py), on a free port,
stopped with SIGSTOP (it accepts connections and never answers) and killed at the end; the shared
Redis is never touched.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from tests.conftest import client_for
from tests.dashboards.test_views import gacc  # noqa: F401 - a fixture
from tests.factories import ApprovalFactory, LicenceFactory
from tests.servers import free_port

pytestmark = pytest.mark.django_db

# Each page and API list as a role that may see it; "/" and "/charts/" read cached figures.
URLS = [
    ("manager", "/"),
    ("analyst", "/charts/"),
    ("analyst", "/automakers/"),
    ("analyst", "/licences/"),
    ("analyst", "/approvals/"),
    ("analyst", "/alerts/"),
    ("analyst", "/api/v1/licences/"),
    ("analyst", "/api/v1/approvals/"),
    ("analyst", "/api/v1/automakers/"),
    ("manager", "/api/v1/summaries/"),
]
ANSWER_WITHIN_SECONDS = 2.0


def redis_cache(port: int) -> dict:
    """The project's cache settings, pointed at a Redis on `port`."""
    options = settings.CACHES["default"].get("OPTIONS", {})
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "raregate-fault",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": options.get("SOCKET_CONNECT_TIMEOUT", 0.3),
                "SOCKET_TIMEOUT": options.get("SOCKET_TIMEOUT", 0.3),
                "IGNORE_EXCEPTIONS": True,
                "CONNECTION_POOL_CLASS": "core.cache.BreakerConnectionPool",
            },
        }
    }


@pytest.fixture
def hung_redis(private_redis):
    """A private redis-server that accepts connections but never answers (SIGSTOP)."""
    private_redis.pause()
    return private_redis


@pytest.fixture
def shown():
    licence = LicenceFactory(number="LIC-UNCACHED")
    ApprovalFactory(licence=licence, exporter=licence.exporter, statement="Shown uncached.")


def timed_get(client, url: str) -> tuple[int, float]:
    started = time.monotonic()
    response = client.get(url)
    return response.status_code, time.monotonic() - started


@pytest.mark.parametrize(("role", "url"), URLS)
def test_every_page_and_list_answers_while_redis_is_down(gacc, shown, request, role, url):  # noqa: F811
    client = client_for(request.getfixturevalue(role))
    with override_settings(CACHES=redis_cache(free_port())):  # nothing listens there
        status, seconds = timed_get(client, url)

    assert status == 200
    assert seconds < ANSWER_WITHIN_SECONDS


@pytest.mark.parametrize(("role", "url"), URLS)
def test_every_page_and_list_answers_while_redis_hangs(
    gacc,  # noqa: F811
    shown,
    hung_redis,
    request,
    role,
    url,
):
    client = client_for(request.getfixturevalue(role))
    with override_settings(CACHES=redis_cache(hung_redis.port)):
        status, seconds = timed_get(client, url)

    assert status == 200
    assert seconds < ANSWER_WITHIN_SECONDS


def timed_read() -> tuple[object, float]:
    started = time.monotonic()
    found = cache.get("key", "missing")
    return found, time.monotonic() - started


def test_a_hung_redis_costs_one_timeout_then_is_left_alone_until_it_is_tried_again(
    hung_redis, monkeypatch
):
    monkeypatch.setattr("core.cache.RETRY_SECONDS", 2.0)
    with override_settings(CACHES=redis_cache(hung_redis.port)):
        first, waited = timed_read()
        second, waited_again = timed_read()
        cache.set("key", "value")  # dropped: not even tried
        hung_redis.resume()
        still, _ = timed_read()
        time.sleep(2.1)
        cache.set("key", "value")
        found, _ = timed_read()

    assert first == second == still == "missing"
    assert waited < 1.0
    assert waited_again < 0.05
    assert found == "value"
