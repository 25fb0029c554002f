"""Evidence files are kept only as what they are and handed out so that no browser runs them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from licensing.models import Approval
from tests.licensing.test_views import (  # noqa: F401  (data, on_26_november: fixtures)
    PDF,
    approval_data,
    data,
    field_errors,
    html,
    on_26_november,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data")]

MARKUP = [
    ("page.txt", b"<!DOCTYPE html><p>MOFCOM notice</p>"),
    ("notice.txt", b"Notice\n<script>alert(document.domain)</script>"),
    ("seal.txt", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
    ("letter.txt", b"Dear Ford,\n<SVG onload=alert(1)>"),
]


@pytest.mark.parametrize(("name", "content"), MARKUP)
def test_markup_is_refused_as_evidence_whatever_its_name(compliance_client, name, content):
    before = Approval.objects.count()
    upload = SimpleUploadedFile(name, content, "text/plain")

    response = compliance_client.post("/approvals/new/", approval_data(evidence_file=upload))

    assert response.status_code == 200
    assert "markup such as HTML, SVG or script is not plain text" in field_errors(
        html(response), "evidence_file"
    )
    assert Approval.objects.count() == before


@pytest.mark.parametrize(
    ("name", "content", "served_as"),
    [
        ("notice.html", b"MOFCOM announcement No. 61, 2025: plain words.", "text/plain"),
        ("notice.svg", PDF, "application/pdf"),
    ],
)
def test_evidence_is_served_as_its_content_as_an_attachment_in_a_sandbox(
    compliance_client, name, content, served_as
):
    upload = SimpleUploadedFile(name, content, "text/html")
    compliance_client.post("/approvals/new/", approval_data(evidence_file=upload))
    approval = Approval.objects.get(statement__startswith="A supplier says")

    response = compliance_client.get(f"/approvals/{approval.pk}/evidence/")

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == served_as
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert b"".join(response.streaming_content) == content
