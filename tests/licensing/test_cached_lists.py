"""The list pages and API lists are cached per data version: a write shows at once, a write to
other tables leaves the cached content in place, and each role sees its own."""

from __future__ import annotations

from datetime import date, timedelta
from unittest.mock import patch

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing.api.serializers import LicenceSerializer
from licensing.views import licences
from licensing.views.common import QuickSelect
from tests.factories import ApprovalFactory, AutomakerFactory, ElementFactory, LicenceFactory

pytestmark = pytest.mark.django_db


def test_a_new_approval_shows_on_the_approvals_page_at_once(analyst_client):
    first = ApprovalFactory(statement="The first claim.")
    assert "The first claim." in analyst_client.get("/approvals/").content.decode()

    ApprovalFactory(automaker=first.automaker, statement="The second claim.")
    page = analyst_client.get("/approvals/").content.decode()

    assert "The second claim." in page
    assert "2 approvals" in page


def test_a_changed_automaker_shows_on_the_automakers_page_at_once(analyst_client):
    automaker = AutomakerFactory(name="Old Motors")
    assert "Old Motors" in analyst_client.get("/automakers/").content.decode()

    automaker.name = "New Motors"
    automaker.save()
    page = analyst_client.get("/automakers/").content.decode()

    assert "New Motors" in page
    assert "Old Motors" not in page


def test_an_approval_leaves_the_cached_licence_list_in_place(analyst_client):
    licence = LicenceFactory(number="LIC-1")
    assert "LIC-1" in analyst_client.get("/licences/").content.decode()

    with patch.object(licences, "licence_rows", side_effect=AssertionError("rendered again")):
        ApprovalFactory(licence=licence, exporter=licence.exporter)
        page = analyst_client.get("/licences/").content.decode()
    assert "LIC-1" in page

    licence.number = "LIC-2"
    licence.save()
    assert "LIC-2" in analyst_client.get("/licences/").content.decode()


def test_each_query_and_role_has_its_own_content(analyst_client, compliance_client):
    LicenceFactory(number="LIC-ISSUED")
    LicenceFactory(number="LIC-APPLIED", status="applied", valid_from=None, valid_until=None)

    assert "LIC-APPLIED" not in analyst_client.get("/licences/?status=issued").content.decode()
    assert "LIC-APPLIED" in analyst_client.get("/licences/").content.decode()
    assert "Record licence" not in analyst_client.get("/licences/").content.decode()
    assert "Record licence" in compliance_client.get("/licences/").content.decode()


def test_the_api_lists_show_a_write_at_once(compliance_client):
    automaker = AutomakerFactory()
    assert compliance_client.get("/api/v1/approvals/").json()["count"] == 0

    created = compliance_client.post(
        "/api/v1/approvals/",
        {
            "automaker": automaker.pk,
            "status": "pending",
            "evidence_grade": "news_report",
            "claimed_on": "2026-11-20",
            "statement": "Written through the API.",
            "source_url": "https://example.org/claim",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    listed = compliance_client.get("/api/v1/approvals/?status=pending").json()

    assert [row["statement"] for row in listed["results"]] == ["Written through the API."]
    assert compliance_client.get("/api/v1/approvals/").json()["count"] == 1


def test_an_approval_leaves_the_cached_licence_api_list_in_place(analyst_client):
    licence = LicenceFactory(number="LIC-1")
    assert analyst_client.get("/api/v1/licences/").json()["results"][0]["number"] == "LIC-1"

    with patch.object(LicenceSerializer, "to_representation", side_effect=AssertionError):
        ApprovalFactory(licence=licence, exporter=licence.exporter)
        listed = analyst_client.get("/api/v1/licences/").json()
    assert listed["results"][0]["number"] == "LIC-1"

    licence.elements.add(ElementFactory(symbol="Dy"))
    listed = analyst_client.get("/api/v1/licences/").json()
    assert "Dy" in str(listed["results"][0]["elements"])


def test_the_filter_form_follows_new_automakers_not_new_approvals(analyst_client):
    first = AutomakerFactory(name="First Motors")
    assert "First Motors</option>" in analyst_client.get("/approvals/").content.decode()

    with patch.object(QuickSelect, "render", side_effect=AssertionError("rendered again")):
        ApprovalFactory(automaker=first, statement="A new claim.")
        assert "A new claim." in analyst_client.get("/approvals/").content.decode()

    AutomakerFactory(name="Second Motors")
    assert "Second Motors</option>" in analyst_client.get("/approvals/").content.decode()


@pytest.mark.parametrize(
    "path", ["/approvals/", "/licences/?expiring_within=30", "/automakers/", "/api/v1/automakers/"]
)
def test_a_cached_list_reads_none_of_its_rows(path, analyst_client):
    licence = LicenceFactory(valid_until=date.today() + timedelta(days=10))
    approval = ApprovalFactory(licence=licence, exporter=licence.exporter)
    shown = licence.exporter.name if "licences" in path else approval.automaker.name
    assert shown in analyst_client.get(path).content.decode()

    with CaptureQueriesContext(connection) as queries:
        again = analyst_client.get(path)

    assert again.status_code == 200
    assert shown in again.content.decode()
    # No count of the rows, no page of them, no statuses: only who is asking.
    assert [q["sql"] for q in queries if "licensing_" in q["sql"]] == []


@pytest.mark.parametrize("path", ["/approvals/?status=pending", "/licences/?status=issued"])
def test_a_cached_list_builds_no_filter(path, analyst_client):
    from licensing.views.approvals import ApprovalListView
    from licensing.views.licences import LicenceListView

    ApprovalFactory(status="pending")
    first = analyst_client.get(path).content.decode()

    failing = AssertionError("filter built")
    with (
        patch.object(ApprovalListView, "get_filterset", side_effect=failing),
        patch.object(LicenceListView, "get_filterset", side_effect=failing),
    ):
        again = analyst_client.get(path).content.decode()

    assert 'class="button button--quiet"' in first  # the filtered list offers "Clear"
    assert again.count("<tr") == first.count("<tr")
