from __future__ import annotations

import pytest
from django.test import Client

from config.roles import ANALYST, COMPLIANCE, MANAGER
from tests.factories import UserFactory


@pytest.fixture
def analyst(db):
    return UserFactory(username="ana", role=ANALYST)


@pytest.fixture
def compliance(db):
    return UserFactory(username="cora", role=COMPLIANCE)


@pytest.fixture
def manager(db):
    return UserFactory(username="max", role=MANAGER)


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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last: their transactional flush empties the groups later tests rely on."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
