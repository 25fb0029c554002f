from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from core.roles import ANALYST, COMPLIANCE, MANAGER, roles_sync
from tests.apps import web_app  # noqa: F401
from tests.factories import UserFactory
from tests.network import network_guard_install
from tests.servers import private_postgres, private_redis, shared_servers  # noqa: F401


def user_with_role(username: str, role: str):
    # A transactional test's flush empties the groups the migrations made; make them again.
    if not Group.objects.filter(name=role).exists():
        roles_sync()
    return UserFactory(username=username, role=role)


@pytest.fixture
def analyst(db):
    return user_with_role("ana", ANALYST)


@pytest.fixture
def compliance(db):
    return user_with_role("cora", COMPLIANCE)


@pytest.fixture
def manager(db):
    return user_with_role("max", MANAGER)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def analyst_client(analyst):
    return client_for(analyst)


@pytest.fixture
def compliance_client(compliance):
    return client_for(compliance)


@pytest.fixture
def manager_client(manager):
    return client_for(manager)


@pytest.fixture
def reference_data(db):
    """The shipped reference data, loaded as `make demo` loads it."""
    from licensing.reference import reference_data_load

    reference_data_load()


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests last: their flush empties the groups that other tests rely on."""
    items.sort(key=_flushes_the_database)


def empty_cache() -> None:
    """Delete what the cache holds: on Redis only this suite's keys (its KEY_PREFIX), never the
    whole shared database."""
    from django.core.cache import cache
    from django.core.cache.backends.redis import RedisCache

    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    elif not isinstance(cache, RedisCache):  # its clear() is FLUSHDB
        cache.clear()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """No request leaves the machine: a connection beyond the loopback fails the test."""
    network_guard_install(monkeypatch)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached figures must not leak between tests."""
    empty_cache()
    yield


@pytest.fixture(autouse=True)
def _migration_data(request):
    """A transactional test's flush empties what data migrations made: the roles and the series
    registry. Make them again before each such test."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from exports.series import series_sync

    roles_sync()
    series_sync()


@pytest.fixture(scope="session", autouse=True)
def _shared_servers_left_running():
    """The shared PostgreSQL and Redis end the run as the same servers that began it: no test
    stopped, restarted or replaced them (the postmaster's PID and start time, Redis's run_id)."""
    before = {name: who for name, who in shared_servers().items() if not isinstance(who, str)}
    yield
    after = shared_servers()
    changed = [
        f"{name}: {who} at the start, {after.get(name)} at the end"
        for name, who in before.items()
        if after.get(name) != who
    ]
    if changed:
        pytest.fail("A test stopped or restarted a shared server:\n" + "\n".join(changed))
