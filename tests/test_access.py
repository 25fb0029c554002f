"""A user's permissions and role come from the cache, and every change to them shows at once."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.access import access_changed, access_of
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

AUTH_TABLES = ("auth_permission", "auth_group", "auth_user_groups", "auth_user_user_permissions")


def _sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def fresh(user):
    """The user as the next request loads it: nothing remembered on the instance."""
    return get_user_model().objects.get(pk=user.pk)


def auth_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if any(table in q["sql"] for table in AUTH_TABLES)]


def test_a_second_request_reads_permissions_and_role_without_the_database(analyst_client):
    analyst_client.get("/automakers/")

    with CaptureQueriesContext(connection) as queries:
        response = analyst_client.get("/automakers/")

    assert response.status_code == 200
    assert auth_queries(queries) == []
    assert response.context["user_role"] == "Analyst"


def test_permissions_match_djangos_own(analyst, compliance, manager):
    from django.contrib.auth.backends import ModelBackend

    for user in (analyst, compliance, manager):
        access_of(fresh(user))  # cached
        assert access_of(fresh(user)).permissions == ModelBackend().get_all_permissions(fresh(user))


def test_leaving_a_group_takes_the_permission_away_at_the_next_request(analyst, analyst_client):
    assert analyst_client.get("/approvals/").status_code == 200

    analyst.groups.clear()

    assert analyst_client.get("/approvals/").status_code == 403
    assert analyst_client.get("/licences/").context["user_role"] == "No role"


def test_a_group_losing_a_permission_takes_it_from_its_members_at_once(analyst, analyst_client):
    assert analyst_client.get("/approvals/").status_code == 200

    Group.objects.get(name="Analyst").permissions.remove(
        Permission.objects.get(codename="view_approval")
    )

    assert analyst_client.get("/approvals/").status_code == 403


def test_a_permission_given_to_the_user_shows_at_once(manager):
    client = client_for(manager)
    assert client.get("/approvals/").status_code == 403

    manager.user_permissions.add(Permission.objects.get(codename="view_approval"))

    assert client.get("/approvals/").status_code == 200


def test_a_deactivated_user_loses_every_permission(analyst):
    access_of(fresh(analyst))
    analyst.is_active = False
    analyst.save()

    assert fresh(analyst).has_perm("licensing.view_approval") is False


def test_a_user_made_superuser_is_shown_as_administrator(analyst):
    assert access_of(fresh(analyst)).role == "Analyst"
    analyst.is_superuser = True
    analyst.save()

    assert access_of(fresh(analyst)).role == "Administrator"
    assert fresh(analyst).has_perm("exports.delete_exportrecord")


def test_a_log_in_does_not_move_the_version(analyst, client):
    before = access_of(fresh(analyst)).version

    response = client.post("/login/", {"username": "ana", "password": "pw-for-tests"})

    assert response.status_code == 302
    assert fresh(analyst).last_login is not None
    assert access_of(fresh(analyst)).version == before


def test_an_entry_read_before_a_commit_is_not_used_after_it(
    analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        access_changed()
        # Another request, reading the rows before this change commits, caches what it saw.
        stale = access_of(fresh(analyst))
        Group.objects.get(name="Analyst").permissions.through.objects.filter(
            group__name="Analyst"
        ).delete()  # a bulk delete sends no signal; the commit's move of the version covers it

    assert stale.permissions
    assert access_of(fresh(analyst)).permissions == frozenset()


@pytest.fixture
def token_client(analyst):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=analyst)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    client.token = token
    return client


def test_a_cached_api_list_is_answered_without_the_database(token_client):
    assert token_client.get("/api/v1/licences/").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        response = token_client.get("/api/v1/licences/")

    assert response.status_code == 200
    assert [q["sql"] for q in queries] == []


def test_a_deleted_token_is_refused_at_the_next_request(token_client):
    assert token_client.get("/api/v1/licences/").status_code == 200

    token_client.token.delete()
    response = token_client.get("/api/v1/licences/")

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_a_deactivated_users_token_is_refused_at_the_next_request(analyst, token_client):
    assert token_client.get("/api/v1/licences/").status_code == 200

    analyst.is_active = False
    analyst.save()
    response = token_client.get("/api/v1/licences/")

    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."


def test_a_token_losing_its_permission_is_refused_at_the_next_request(analyst, token_client):
    assert token_client.get("/api/v1/approvals/").status_code == 200

    analyst.groups.clear()

    assert token_client.get("/api/v1/approvals/").status_code == 403


def test_the_token_is_cached_under_a_hash_without_the_password_hash(analyst, token_client):
    import pickle

    from django.core.cache import cache

    token_client.get("/api/v1/licences/")
    entry = cache.get("access:token:" + _sha256(token_client.token.key))

    assert entry.user.pk == analyst.pk
    assert "password" not in entry.user.__dict__
    assert analyst.password.encode() not in pickle.dumps(entry)


def test_the_navigation_follows_a_permission_change_at_once(manager):
    client = client_for(manager)
    assert 'href="/approvals/"' not in client.get("/charts/").content.decode()

    manager.user_permissions.add(Permission.objects.get(codename="view_approval"))

    assert 'href="/approvals/"' in client.get("/charts/").content.decode()


def test_a_second_page_reads_the_signed_in_user_without_the_database(analyst_client):
    analyst_client.get("/licences/")

    with CaptureQueriesContext(connection) as queries:
        response = analyst_client.get("/licences/")

    assert response.status_code == 200
    assert response.context["user"].username == "ana"
    assert [q["sql"] for q in queries if "auth_user" in q["sql"]] == []


def test_the_session_user_is_cached_without_the_password_hash(analyst, analyst_client):
    import pickle

    from django.core.cache import cache

    analyst_client.get("/licences/")
    entry = cache.get(f"access:session:{analyst.pk}")

    assert entry.user.pk == analyst.pk
    assert "password" not in entry.user.__dict__
    assert analyst.password.encode() not in pickle.dumps(entry)
    assert entry.user.password == analyst.password  # loaded when asked for, as a deferred field


def test_a_password_change_signs_out_the_other_sessions_at_their_next_request(analyst):
    elsewhere = client_for(analyst)
    assert elsewhere.get("/licences/").status_code == 200

    analyst.set_password("a-new-password-for-tests")
    analyst.save()

    assert elsewhere.get("/licences/").status_code == 302  # to the log-in page
    assert "_auth_user_id" not in elsewhere.session


def test_a_session_with_another_hash_is_not_let_in_by_the_cached_user(analyst, analyst_client):
    assert analyst_client.get("/licences/").status_code == 200
    session = analyst_client.session
    session["_auth_user_hash"] = "forged"
    session.save()

    assert analyst_client.get("/licences/").status_code == 302


def test_a_deactivated_user_is_signed_out_at_the_next_request(analyst, analyst_client):
    assert analyst_client.get("/licences/").status_code == 200

    analyst.is_active = False
    analyst.save()

    assert analyst_client.get("/licences/").status_code == 302
