"""`manage.py refresh_caches`: after a change made around Django, the next request is made
afresh, without clearing what else Redis holds."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from tests.conftest import client_for
from tests.factories import LicenceFactory
from tests.test_cache import UNREACHABLE


@pytest.mark.django_db(transaction=True)
def test_a_change_made_in_sql_shows_once_the_caches_are_refreshed(analyst):
    licence = LicenceFactory(number="LIC-OLD")
    client = client_for(analyst)
    assert "LIC-OLD" in client.get("/licences/").content.decode()
    cache.set("kept", "a queue, say")

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE licensing_licence SET number = 'LIC-NEW' WHERE id = %s", [licence.pk]
        )
    assert "LIC-OLD" in client.get("/licences/").content.decode()  # the cache cannot know

    call_command("refresh_caches")

    assert "LIC-NEW" in client.get("/licences/").content.decode()
    assert cache.get("kept") == "a queue, say"


@pytest.mark.django_db(transaction=True)
def test_a_permission_given_in_sql_shows_once_the_caches_are_refreshed(manager):
    client = client_for(manager)
    assert client.get("/approvals/").status_code == 403
    permission = Permission.objects.get(codename="view_approval")

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO auth_user_user_permissions (user_id, permission_id) VALUES (%s, %s)",
            [manager.pk, permission.pk],
        )
    call_command("refresh_caches")

    assert client.get("/approvals/").status_code == 200


@pytest.mark.django_db
@override_settings(CACHES=UNREACHABLE)
def test_refreshing_an_unreachable_cache_says_nothing_was_refreshed():
    with pytest.raises(CommandError, match="could not be reached"):
        call_command("refresh_caches")
