"""The profile page: a user's e-mail, password, personal API token and alert digest."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from licensing.alerts.models import AlertSubscription
from tests.conftest import client_for
from tests.factories import UserFactory

PASSWORD = "pw-for-tests"  # tests.factories.UserFactory's


def html(response) -> str:
    return response.content.decode()


def api_status(key: str) -> int:
    """What the API answers a caller that sends only this token (no session)."""
    return Client().get("/api/v1/automakers/", HTTP_AUTHORIZATION=f"Token {key}").status_code


def shown_token(page: str) -> str:
    match = re.search(r"<code class=\"token-once__key\" data-token>(\w+)</code>", page)
    return match.group(1) if match else ""


def messages_of(page: str) -> str:
    return " ".join(re.findall(r'<li class="message[^"]*"[^>]*>(.*?)</li>', page, re.S))


# Access


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    for path in ("/profile/", "/profile/password/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/login/")


def test_an_anonymous_post_changes_nothing(client, analyst):
    response = client.post("/profile/email/", {"email": "x@example.org"})

    assert response.status_code == 302
    assert response.url.startswith("/login/")
    analyst.refresh_from_db()
    assert analyst.email == ""


@pytest.mark.parametrize("role", ["analyst", "compliance", "manager"])
def test_each_role_sees_its_own_profile_linked_from_the_header(role, request):
    user = request.getfixturevalue(role)
    page = html(client_for(user).get("/profile/"))

    assert "<h1>Your profile</h1>" in page
    assert f"{user.username} · {role.capitalize()}" in page
    assert 'class="account__profile" href="/profile/" aria-current="page"' in page
    assert 'href="/api/docs/">API docs</a>' in page


def test_a_user_without_a_role_has_a_profile_without_the_digest(db):
    page = html(client_for(UserFactory(username="norole")).get("/profile/"))

    assert "<h1>Your profile</h1>" in page
    assert "Alert subscriptions" not in page


def test_a_change_needs_the_csrf_token(analyst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)

    assert client.post("/profile/email/", {"email": "ana@example.org"}).status_code == 403
    assert client.post("/profile/token/").status_code == 403
    analyst.refresh_from_db()
    assert analyst.email == ""
    assert not Token.objects.filter(user=analyst).exists()


# E-mail


def test_a_user_changes_their_own_email_and_no_one_elses(analyst_client, analyst, manager):
    response = analyst_client.post("/profile/email/", {"email": "ana@Example.ORG"}, follow=True)

    analyst.refresh_from_db()
    manager.refresh_from_db()
    assert analyst.email == "ana@example.org"
    assert manager.email == ""
    assert "Your e-mail is now ana@example.org." in messages_of(html(response))
    assert 'value="ana@example.org"' in html(response)


def test_a_bad_email_is_refused_with_the_reason(analyst_client, analyst):
    analyst.email = "ana@example.org"
    analyst.save()

    response = analyst_client.post("/profile/email/", {"email": "not an address"})

    assert response.status_code == 400
    assert "Enter a valid email address." in html(response)
    assert "Your e-mail was not changed." in messages_of(html(response))
    analyst.refresh_from_db()
    assert analyst.email == "ana@example.org"


def test_an_empty_email_removes_it(analyst_client, analyst):
    analyst.email = "ana@example.org"
    analyst.save()

    response = analyst_client.post("/profile/email/", {"email": ""}, follow=True)

    analyst.refresh_from_db()
    assert analyst.email == ""
    assert "Your e-mail was removed: no digest will be sent." in messages_of(html(response))


# Password


def test_a_user_changes_their_password_and_stays_signed_in(analyst_client, analyst):
    assert "Change your password</h1>" in html(analyst_client.get("/profile/password/"))

    response = analyst_client.post(
        "/profile/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
        follow=True,
    )

    analyst.refresh_from_db()
    assert analyst.check_password("a-new-long-passphrase-42")
    assert response.redirect_chain[-1][0] == "/profile/"
    assert "Your password was changed." in messages_of(html(response))
    assert analyst_client.get("/profile/").status_code == 200  # the session survived


def test_a_password_change_revokes_the_api_token(analyst_client, analyst):
    analyst_client.post("/profile/token/")
    key = Token.objects.get(user=analyst).key
    assert api_status(key) == 200

    analyst_client.post(
        "/profile/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )

    assert api_status(key) == 401


def test_a_wrong_old_password_changes_nothing(analyst_client, analyst):
    response = analyst_client.post(
        "/profile/password/",
        {
            "old_password": "wrong",
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in html(response)
    analyst.refresh_from_db()
    assert analyst.check_password(PASSWORD)


# API token


def test_a_token_is_shown_once_and_authenticates_api_calls(analyst_client, analyst):
    assert "You have no API token." in html(analyst_client.get("/profile/"))

    response = analyst_client.post("/profile/token/", follow=True)

    key = shown_token(html(response))
    assert key == Token.objects.get(user=analyst).key
    assert "Your API token was made." in messages_of(html(response))
    assert api_status(key) == 200
    again = html(analyst_client.get("/profile/"))
    assert shown_token(again) == ""
    assert key not in again
    assert "You have a token, made" in again


def test_a_new_token_replaces_the_old_one(analyst_client, analyst):
    analyst_client.post("/profile/token/")
    old = Token.objects.get(user=analyst).key

    response = analyst_client.post("/profile/token/", follow=True)

    new = shown_token(html(response))
    assert new and new != old
    assert "the old one no longer works" in messages_of(html(response))
    assert api_status(old) == 401
    assert api_status(new) == 200


def test_a_revoked_token_no_longer_authenticates(analyst_client, analyst):
    analyst_client.post("/profile/token/")
    key = Token.objects.get(user=analyst).key

    response = analyst_client.post("/profile/token/revoke/", follow=True)

    assert not Token.objects.filter(user=analyst).exists()
    assert api_status(key) == 401
    assert "Your API token was revoked" in messages_of(html(response))
    assert "You have no API token." in html(response)


def test_a_token_carries_its_owners_role_only(manager_client, manager):
    manager_client.post("/profile/token/")
    key = Token.objects.get(user=manager).key

    caller = Client()
    assert caller.get("/api/v1/licences/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert caller.get("/api/v1/approvals/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 403


def test_token_pages_answer_only_posts(analyst_client):
    assert analyst_client.get("/profile/token/").status_code == 405
    assert analyst_client.get("/profile/token/revoke/").status_code == 405


# Alert digest


def test_the_digest_is_turned_on_and_off_from_the_profile(analyst_client, analyst):
    analyst.email = "ana@example.org"
    analyst.save()
    page = html(analyst_client.get("/profile/"))
    assert 'action="/alerts/subscription/"' in page
    assert "You get no alert e-mails." in page

    response = analyst_client.post(
        "/alerts/subscription/", {"email_digest": "on", "next": "/profile/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/profile/"
    assert AlertSubscription.objects.get(user=analyst).email_digest is True
    assert "You will get an e-mail at ana@example.org" in messages_of(html(response))
    assert "You get an e-mail digest of new alerts at ana@example.org." in html(response)

    response = analyst_client.post("/alerts/subscription/", {"next": "/profile/"}, follow=True)

    assert AlertSubscription.objects.get(user=analyst).email_digest is False
    assert "You will no longer get alert e-mails." in messages_of(html(response))


def test_turning_on_the_digest_without_an_email_says_so(analyst_client, analyst):
    response = analyst_client.post(
        "/alerts/subscription/", {"email_digest": "on", "next": "/profile/"}, follow=True
    )

    assert AlertSubscription.objects.get(user=analyst).email_digest is True
    assert "your account has no e-mail address" in messages_of(html(response))


@pytest.mark.parametrize(
    "elsewhere", ["//evil.example/", "/\\evil.example/", "https://evil.example/", "javascript:x"]
)
def test_the_digest_form_returns_only_to_a_page_of_this_site(analyst_client, elsewhere):
    response = analyst_client.post("/alerts/subscription/", {"next": elsewhere})

    assert response.status_code == 302
    assert response.url == "/alerts/"


# API docs


def test_the_api_docs_lead_back_to_the_app(analyst_client):
    response = analyst_client.get("/api/docs/")

    page = html(response)
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert '<a href="/">← Back to RareGate</a>' in page
    assert '<a href="/profile/">Your API token</a>' in page
    assert re.search(r'<script src="[^"]*/api/docs/\?script=?"', page)  # no inline script
    assert "<script>" not in page
