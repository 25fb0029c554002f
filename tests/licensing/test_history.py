"""One answer to "what changed between two saved versions", for the detail pages and the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing import services
from licensing.history import Change, versions
from licensing.views.history import change_history
from tests.factories import (
    AutomakerFactory,
    ElementFactory,
    ExporterFactory,
    LicenceFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def pending_approval(**evidence):
    return services.approval_record(
        automaker=AutomakerFactory(),
        status="pending",
        evidence_grade="news_report",
        claimed_on="2025-12-10",
        statement="Said so.",
        **evidence,
    )


def test_it_lists_each_version_newest_first_with_what_changed_by_field_name():
    dysprosium = ElementFactory()
    terbium = ElementFactory(symbol="Tb", name="Terbium", atomic_number=65)
    licence = services.licence_create(
        exporter=ExporterFactory(),
        kind="general",
        elements=[dysprosium],
    )
    services.licence_update(
        licence=licence, data={"number": "GL-7", "elements": [dysprosium, terbium]}
    )

    changed, created = versions(licence.history.all())

    assert created.changes == []
    assert changed.changes == [
        Change("elements", [dysprosium], [dysprosium, terbium]),
        Change("number", "", "GL-7"),
    ]


def test_a_foreign_key_is_its_object_and_an_empty_one_is_none():
    exporter = ExporterFactory()
    approval = pending_approval(source_url="https://example.org/claim")
    services.approval_update(approval=approval, data={"exporter": exporter})

    changed, _ = versions(approval.history.all())

    assert changed.changes == [Change("exporter", None, exporter)]


def test_a_new_evidence_file_is_told_by_its_original_names_never_by_its_path():
    approval = pending_approval(
        evidence_file=SimpleUploadedFile("first.txt", b"A statement.\n", "text/plain")
    )
    services.approval_update(
        approval=approval,
        data={"evidence_file": SimpleUploadedFile("second.txt", b"Another.\n", "text/plain")},
    )

    changed, _ = versions(approval.history.all())
    page = change_history(approval.history.all())[0].changes

    assert changed.changes == [Change("evidence_file", "first.txt", "second.txt")]
    assert [(change.label, change.old, change.new) for change in page] == [
        ("Evidence file", "first.txt", "second.txt")
    ]


def test_the_api_history_queries_do_not_grow_with_the_versions(
    compliance_client, django_assert_max_num_queries
):
    licence = LicenceFactory(exporter=ExporterFactory())
    elements = [
        ElementFactory(symbol=symbol, name=symbol, atomic_number=number)
        for symbol, number in (("Dy", 66), ("Tb", 65), ("Sm", 62))
    ]
    services.licence_update(licence=licence, data={"notes": "First.", "elements": elements[:1]})
    url = f"{API}/licences/{licence.pk}/history/"
    with CaptureQueriesContext(connection) as few:
        compliance_client.get(url)
    for number in range(6):
        services.licence_update(
            licence=licence,
            data={
                "number": f"GL-{number}",
                "exporter": ExporterFactory(),
                "elements": elements[: number % 3 + 1],
            },
        )

    with django_assert_max_num_queries(len(few)):
        response = compliance_client.get(url)

    assert response.json()["count"] == 8
