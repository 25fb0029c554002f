"""Rows made once per content: a new approval renders and serializes its own row, not a page."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from django.template.loader import get_template

from licensing.api.serializers import ApprovalSerializer
from licensing.cache import licensing_changed
from licensing.content import content_key
from licensing.models import Approval
from licensing.templatetags import rows
from tests.factories import ApprovalFactory, AutomakerFactory

pytestmark = pytest.mark.django_db


class RenderCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, name):
        template = get_template(name)
        counter = self

        class Counted:
            def render(self, context):
                counter.count += 1
                return template.render(context)

        return Counted()


def test_a_new_approval_renders_only_its_own_row(analyst_client):
    automaker = AutomakerFactory(name="Row Motors")
    for n in range(3):
        ApprovalFactory(automaker=automaker, statement=f"Claim {n}.")
    counter = RenderCounter()
    with patch.object(rows, "get_template", counter):
        analyst_client.get("/approvals/")
        assert counter.count == 3

        ApprovalFactory(automaker=automaker, statement="The newest claim.")
        page = analyst_client.get("/approvals/").content.decode()

    assert counter.count == 4
    assert "The newest claim." in page
    assert page.count("Row Motors") >= 4


def test_a_renamed_automaker_shows_in_every_cached_row(analyst_client):
    approval = ApprovalFactory(automaker=AutomakerFactory(name="Old Motors"))
    assert "Old Motors" in analyst_client.get("/approvals/").content.decode()

    approval.automaker.name = "New Motors"
    approval.automaker.save()
    page = analyst_client.get("/approvals/").content.decode()

    assert "New Motors" in page
    assert "Old Motors" not in page


def test_the_same_approval_has_a_row_per_table_layout(analyst_client):
    approval = ApprovalFactory(
        automaker=AutomakerFactory(name="Layout Motors"), statement="Shown in both tables."
    )
    listed = analyst_client.get("/approvals/").content.decode()

    detail = analyst_client.get(f"/automakers/{approval.automaker_id}/").content.decode()

    assert "Shown in both tables." in listed
    assert "Shown in both tables." in detail
    # The list names the automaker in each row; the automaker's own page hides that column.
    assert f'href="/automakers/{approval.automaker_id}/">Layout Motors</a></td>' in listed
    assert f'href="/automakers/{approval.automaker_id}/">Layout Motors</a></td>' not in detail


def test_an_item_holding_something_without_a_key_is_refused():
    with pytest.raises(ValueError, match="object"):
        content_key("row.html", [object()])


def test_a_new_approval_serializes_only_itself_in_the_api_list(compliance_client):
    for n in range(3):
        ApprovalFactory(statement=f"Claim {n}.")
    serialized = patch.object(
        ApprovalSerializer,
        "to_representation",
        autospec=True,
        side_effect=ApprovalSerializer.to_representation,
    )
    with serialized as made:
        compliance_client.get("/api/v1/approvals/")
        assert made.call_count == 3

        ApprovalFactory(statement="The newest claim.")
        listed = compliance_client.get("/api/v1/approvals/").json()

    assert made.call_count == 4
    assert "The newest claim." in [row["statement"] for row in listed["results"]]
    assert len(listed["results"]) == 4


def test_a_renamed_recorder_shows_in_the_api_list(compliance, compliance_client):
    ApprovalFactory(recorded_by=compliance)
    assert compliance_client.get("/api/v1/approvals/").json()["results"][0]["recorded_by"] == "cora"

    compliance.username = "cora-renamed"
    compliance.save()
    licensing_changed(Approval)  # the list's own cache follows licensing writes only
    listed = compliance_client.get("/api/v1/approvals/").json()

    assert listed["results"][0]["recorded_by"] == "cora-renamed"
