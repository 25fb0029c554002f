"""With Redis unreachable the cache misses and drops writes: pages are slower, not broken."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.conftest import client_for
from tests.factories import ApprovalFactory, LicenceFactory

UNREACHABLE = {
    "default": {
        "BACKEND": "config.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:6399/0",  # nothing listens here
    }
}

pytestmark = pytest.mark.django_db


@override_settings(CACHES=UNREACHABLE)
def test_reads_miss_and_writes_are_dropped():
    cache.set("key", "value")

    assert cache.get("key", "missing") == "missing"
    assert cache.get_many(["key"]) == {}
    assert cache.add("key", "value") is False
    with pytest.raises(ValueError):
        cache.incr("key")


@override_settings(CACHES=UNREACHABLE)
@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("manager", "/"),
        ("analyst", "/automakers/"),
        ("analyst", "/licences/"),
        ("analyst", "/approvals/"),
        ("analyst", "/alerts/"),
    ],
)
def test_every_cached_page_still_renders(role, path, request):
    licence = LicenceFactory(number="LIC-UNCACHED")
    ApprovalFactory(licence=licence, exporter=licence.exporter, statement="Shown uncached.")

    response = client_for(request.getfixturevalue(role)).get(path)

    assert response.status_code == 200


@override_settings(CACHES=UNREACHABLE)
def test_the_api_lists_still_answer(manager_client):
    LicenceFactory(number="LIC-UNCACHED")

    listed = manager_client.get("/api/v1/licences/").json()

    assert [row["number"] for row in listed["results"]] == ["LIC-UNCACHED"]
