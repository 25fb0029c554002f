from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from licensing.models import Approval, Licence
from licensing.selectors import RANK
from tests.factories import (
    ApprovalFactory,
    AutomakerFactory,
    ElementFactory,
    ExporterFactory,
    HsCodeFactory,
    ImporterFactory,
    LicenceFactory,
    SupplyLinkFactory,
    UserFactory,
)

API = "/api/v1"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def post_json(client: Client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def patch_json(client: Client, url: str, data: dict):
    return client.patch(url, json.dumps(data), content_type="application/json")


def patch_multipart(client: Client, url: str, data: dict):
    return client.patch(url, encode_multipart(BOUNDARY, data), content_type=MULTIPART_CONTENT)


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def licence_payload(exporter, **overrides) -> dict:
    return {
        "exporter": exporter.pk,
        "kind": "general",
        "status": "issued",
        "issued_on": "2025-12-02",
        "valid_from": "2025-12-02",
        "valid_until": "2026-12-01",
        "elements": ["Dy"],
        "hs_codes": ["8505.11"],
        "source_url": "https://example.org/licence",
        **overrides,
    }


def approval_payload(automaker, **overrides) -> dict:
    return {
        "automaker": automaker.pk,
        "status": "pending",
        "evidence_grade": "news_report",
        "claimed_on": "2025-12-12",
        "statement": "Suppliers applied for licences.",
        "source_url": "https://example.org/news",
        **overrides,
    }


@pytest.fixture
def dysprosium(db):
    ElementFactory()
    HsCodeFactory()


# Reads


@time_machine.travel(date(2026, 11, 26), tick=False)
def test_it_derives_each_automakers_status_from_the_reference_data(analyst_client, reference_data):
    # On 26 Nov 2026 the general licences Ford's claim rests on end within 30 days.
    covered = analyst_client.get(f"{API}/automakers/", {"status": "expiring"})
    excluded = analyst_client.get(f"{API}/automakers/", {"status": "excluded"})
    unknown = analyst_client.get(f"{API}/automakers/", {"status": "no_information"})

    assert names(covered) == ["Ford Motor Co."]
    assert set(names(excluded)) == {"Volkswagen AG", "BMW AG", "Mercedes-Benz Group AG"}
    assert "Toyota Motor Corp." in names(unknown)
    assert not {"Ford Motor Co.", "BMW AG"} & set(names(unknown))
    ford = covered.json()["results"][0]
    assert ford["status_label"] == "Expiring"
    assert ford["cover_until"] == "2026-12-01"
    assert ford["strongest_evidence"] == "company_statement"
    assert ford["approval_count"] == 1


def test_it_derives_an_automakers_status_on_the_date_asked(analyst_client):
    licence = LicenceFactory(valid_from=date(2025, 12, 2), valid_until=date(2026, 12, 1))
    approval = ApprovalFactory(licence=licence, exporter=licence.exporter)
    url = f"{API}/automakers/{approval.automaker_id}/"

    statuses = {
        on: analyst_client.get(url, {"on": on}).json()["status"]
        for on in ("2025-11-01", "2026-06-01", "2026-11-20", "2027-01-01")
    }

    assert statuses == {
        # Before the claim was made (10 Dec 2025) it says nothing.
        "2025-11-01": "no_information",
        "2026-06-01": "covered",
        "2026-11-20": "expiring",
        "2027-01-01": "expired",
    }
    with time_machine.travel(date(2026, 11, 26), tick=False):
        assert analyst_client.get(url).json()["cover_until"] == "2026-12-01"


def test_it_derives_all_automaker_statuses_in_a_fixed_number_of_queries(analyst_client):
    def queries_for_listing() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert analyst_client.get(f"{API}/automakers/").status_code == 200
        return len(queries)

    queries_for_listing()  # the client's permissions are read once, then cached
    ApprovalFactory(licence=LicenceFactory())
    few = queries_for_listing()
    for _ in range(5):
        ApprovalFactory(licence=LicenceFactory())

    assert queries_for_listing() == few


@time_machine.travel(date(2026, 11, 26), tick=False)
def test_it_orders_automakers_by_status(analyst_client, reference_data):
    response = analyst_client.get(f"{API}/automakers/", {"ordering": "status"})

    statuses = [row["status"] for row in response.json()["results"]]
    assert statuses == sorted(statuses, key=RANK.__getitem__)
    assert statuses[0] == "expiring"
    assert statuses[-1] == "no_information"


def test_it_refuses_an_unknown_automaker_status_or_date(analyst_client):
    response = analyst_client.get(f"{API}/automakers/", {"status": "fine", "on": "26/11/2026"})

    assert response.status_code == 400
    assert set(response.json()) == {"status", "on"}


def test_it_finds_the_three_general_licences_expiring_within_30_days(
    analyst_client, analyst, reference_data
):
    with time_machine.travel(date(2026, 11, 26)):
        analyst_client.force_login(analyst)
        expiring = analyst_client.get(f"{API}/licences/", {"expiring_within": 30}).json()
    with time_machine.travel(date(2026, 6, 1)):
        analyst_client.force_login(analyst)
        not_yet = analyst_client.get(f"{API}/licences/", {"expiring_within": 30}).json()

    assert expiring["count"] == 3
    assert {row["exporter"]["name"] for row in expiring["results"]} == {
        "JL Mag Rare-Earth Co. Ltd.",
        "Ningbo Yunsheng Co. Ltd.",
        "Beijing Zhong Ke San Huan High-Tech Co. Ltd.",
    }
    assert all(row["expiring"] for row in expiring["results"])
    assert not_yet["count"] == 0


def test_it_shows_a_licence_with_its_exporter_elements_and_codes(manager_client, reference_data):
    licence = Licence.objects.get(exporter__name="JL Mag Rare-Earth Co. Ltd.")

    with time_machine.travel(date(2026, 6, 1)):
        body = manager_client.get(f"{API}/licences/{licence.pk}/").json()

    assert body["exporter"] == {"id": licence.exporter_id, "name": "JL Mag Rare-Earth Co. Ltd."}
    assert body["elements"] == ["Sc", "Y", "Sm", "Gd", "Tb", "Dy", "Lu"]
    assert body["hs_codes"] == ["8505.11"]
    assert body["expiring"] is False
    assert body["kind"] == "general"


def test_it_filters_licences_by_exporter_kind_and_status(analyst_client):
    wanted = LicenceFactory(kind="individual", status="issued")
    LicenceFactory(exporter=wanted.exporter, kind="general")
    LicenceFactory(kind="individual", status="applied", valid_from=None, valid_until=None)

    response = analyst_client.get(
        f"{API}/licences/",
        {"exporter": wanted.exporter_id, "kind": "individual", "status": "issued"},
    )

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_it_lists_the_control_measures_in_force_on_a_date(analyst_client, reference_data):
    def references(**params) -> set[str]:
        response = analyst_client.get(f"{API}/control-measures/", params)
        assert response.status_code == 200
        return {row["reference"] for row in response.json()["results"]}

    in_force = references(in_force_on="2025-12-15")

    assert "MOFCOM/GACC Announcement No. 18 of 2025" in in_force
    assert "MOFCOM Announcement No. 57 of 2025" not in in_force  # suspended that day
    assert references(in_force_on="2025-12-15", element="Ho") == set()
    # After the suspension's end nobody has recorded what happened: not in force, awaiting.
    assert references(in_force_on="2026-11-20", element="Ho") == set()
    on = analyst_client.get(f"{API}/control-measures/", {"on": "2026-11-20", "element": "Ho"})
    assert [(row["reference"], row["state"]) for row in on.json()["results"]] == [
        ("MOFCOM Announcement No. 57 of 2025", "awaiting_confirmation")
    ]
    assert references(in_force_on="2025-12-15", hs_code="2805.30") == {
        "MOFCOM/GACC Announcement No. 18 of 2025"
    }
    assert (
        analyst_client.get(f"{API}/control-measures/", {"in_force_on": "soon"}).status_code == 400
    )


def test_it_lists_the_reference_tables_paginated_and_filtered(analyst_client, reference_data):
    elements = analyst_client.get(f"{API}/elements/", {"group": "medium"}).json()
    codes = analyst_client.get(f"{API}/hs-codes/", {"ordering": "-code"}).json()
    exporters = analyst_client.get(f"{API}/exporters/", {"province": "Jiangxi"}).json()

    assert [row["symbol"] for row in elements["results"]] == ["Sm", "Eu", "Gd"]
    assert set(elements) == {"count", "next", "previous", "results"}
    assert codes["results"][0]["code"] == "8505.11"
    assert [row["name"] for row in exporters["results"]] == ["JL Mag Rare-Earth Co. Ltd."]


def test_it_lists_the_importers_of_an_automaker(analyst_client):
    automaker = AutomakerFactory()
    supplier = ImporterFactory()
    SupplyLinkFactory(supplier_importer=supplier, customer_automaker=automaker)
    ImporterFactory()

    body = analyst_client.get(f"{API}/importers/", {"automaker": automaker.pk}).json()

    assert [(row["id"], row["automakers"]) for row in body["results"]] == [
        (supplier.pk, [automaker.pk])
    ]


def test_it_lets_managers_read_licences_but_not_approvals(manager_client):
    assert manager_client.get(f"{API}/licences/").status_code == 200
    assert manager_client.get(f"{API}/approvals/").status_code == 403


# Writes


def test_it_lets_compliance_record_a_licence(compliance_client, dysprosium):
    exporter = ExporterFactory()

    response = post_json(compliance_client, f"{API}/licences/", licence_payload(exporter))

    assert response.status_code == 201
    licence = Licence.objects.get(pk=response.json()["id"])
    assert (licence.exporter, licence.status, licence.valid_until) == (
        exporter,
        "issued",
        date(2026, 12, 1),
    )
    assert [e.symbol for e in licence.elements.all()] == ["Dy"]
    assert [c.code for c in licence.hs_codes.all()] == ["8505.11"]
    assert licence.history.get().history_user.username == "cora"
    assert response.json()["exporter"] == {"id": exporter.pk, "name": exporter.name}


def test_it_lets_compliance_change_and_replace_a_licence(compliance_client, dysprosium):
    licence = LicenceFactory(status="applied", valid_from=None, valid_until=None)
    url = f"{API}/licences/{licence.pk}/"

    patched = patch_json(compliance_client, url, {"status": "under_review", "notes": "Filed."})
    replaced = compliance_client.put(
        url,
        json.dumps(licence_payload(licence.exporter, number="GL-1")),
        content_type="application/json",
    )

    assert (patched.status_code, replaced.status_code) == (200, 200)
    licence.refresh_from_db()
    assert (licence.status, licence.notes, licence.number) == ("issued", "Filed.", "GL-1")
    assert replaced.json()["status"] == "issued"


def test_it_lets_compliance_record_an_approval_with_an_evidence_file(compliance_client):
    licence = LicenceFactory()
    automaker = AutomakerFactory()
    data = approval_payload(automaker, licence=licence.pk, source_url="", status="approved")
    data["evidence_file"] = SimpleUploadedFile("Notice 2025.pdf", PDF, "application/pdf")

    response = compliance_client.post(f"{API}/approvals/", data)

    assert response.status_code == 201
    approval = Approval.objects.get(pk=response.json()["id"])
    assert approval.evidence_file.read() == PDF
    assert (approval.exporter, approval.licence_kind) == (licence.exporter, "general")
    assert approval.recorded_by.username == "cora"
    body = response.json()
    assert body["evidence_file_name"] == "Notice 2025.pdf"
    assert body["has_evidence_file"] is True
    assert approval.evidence_file.name not in response.content.decode()
    assert settings.MEDIA_URL not in response.content.decode()


def test_it_shows_who_changed_an_approval_and_what_in_its_history(compliance_client):
    automaker = AutomakerFactory()
    created = post_json(compliance_client, f"{API}/approvals/", approval_payload(automaker))
    url = f"{API}/approvals/{created.json()['id']}/"

    changed = patch_json(
        compliance_client, url, {"status": "approved", "evidence_grade": "mofcom_notice"}
    )
    history = compliance_client.get(f"{url}history/").json()["results"]

    assert changed.status_code == 200
    assert Approval.objects.get().status == "approved"
    assert [(r["history_type"], r["history_user"]) for r in history] == [
        ("~", "cora"),
        ("+", "cora"),
    ]
    assert history[0]["changes"] == [
        {"field": "evidence_grade", "old": "news_report", "new": "mofcom_notice"},
        {"field": "status", "old": "pending", "new": "approved"},
    ]
    assert history[1]["changes"] == []


def test_it_shows_a_replaced_evidence_file_in_history_by_its_original_name(compliance_client):
    automaker = AutomakerFactory()
    data = approval_payload(automaker, source_url="")
    data["evidence_file"] = SimpleUploadedFile("first.txt", b"A statement.\n", "text/plain")
    url = f"{API}/approvals/{compliance_client.post(f'{API}/approvals/', data).json()['id']}/"

    patch_multipart(
        compliance_client, url, {"evidence_file": SimpleUploadedFile("second.pdf", PDF)}
    )
    response = compliance_client.get(f"{url}history/")

    change = response.json()["results"][0]["changes"]
    assert change == [{"field": "evidence_file", "old": "first.txt", "new": "second.pdf"}]
    assert "evidence/" not in response.content.decode()


def test_it_shows_changed_licence_elements_in_history(compliance_client, dysprosium):
    ElementFactory(symbol="Tb", name="Terbium", atomic_number=65)
    created = post_json(compliance_client, f"{API}/licences/", licence_payload(ExporterFactory()))
    url = f"{API}/licences/{created.json()['id']}/"

    patch_json(compliance_client, url, {"elements": ["Tb", "Dy"], "number": "GL-7"})
    history = compliance_client.get(f"{url}history/").json()["results"]

    assert history[0]["changes"] == [
        {"field": "elements", "old": ["Dy"], "new": ["Dy", "Tb"]},
        {"field": "number", "old": "", "new": "GL-7"},
    ]


@pytest.mark.parametrize("client_name", ["analyst_client", "manager_client"])
def test_it_refuses_writes_from_analysts_and_managers(request, client_name, dysprosium):
    client = request.getfixturevalue(client_name)
    licence = LicenceFactory(notes="As issued.")
    approval = ApprovalFactory()

    responses = [
        post_json(client, f"{API}/licences/", licence_payload(licence.exporter)),
        patch_json(client, f"{API}/licences/{licence.pk}/", {"notes": "Changed."}),
        post_json(client, f"{API}/approvals/", approval_payload(approval.automaker)),
        patch_json(client, f"{API}/approvals/{approval.pk}/", {"statement": "Changed."}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert (Licence.objects.count(), Approval.objects.count()) == (1, 1)
    licence.refresh_from_db()
    approval.refresh_from_db()
    assert (licence.notes, approval.statement) == ("As issued.", "Our suppliers were approved.")


def test_it_asks_anonymous_callers_to_authenticate(db):
    client = Client()
    exporter = ExporterFactory()

    read = client.get(f"{API}/licences/")
    write = post_json(client, f"{API}/licences/", licence_payload(exporter))

    assert (read.status_code, write.status_code) == (401, 401)
    assert read["WWW-Authenticate"] == "Token"
    assert not Licence.objects.exists()


def test_it_accepts_token_authentication_without_a_csrf_token(compliance, dysprosium):
    token = Token.objects.create(user=compliance)
    client = Client(enforce_csrf_checks=True, headers={"authorization": f"Token {token.key}"})

    read = client.get(f"{API}/licences/")
    write = post_json(client, f"{API}/licences/", licence_payload(ExporterFactory()))

    assert (read.status_code, write.status_code) == (200, 201)
    assert Licence.objects.get().history.get().history_user == compliance


def test_it_has_no_delete_endpoint(compliance_client):
    licence = LicenceFactory()
    approval = ApprovalFactory()
    admin = Client()
    admin.force_login(UserFactory(username="root", is_superuser=True))

    refused = compliance_client.delete(f"{API}/licences/{licence.pk}/")
    not_routed = admin.delete(f"{API}/approvals/{approval.pk}/")

    assert (refused.status_code, not_routed.status_code) == (403, 405)
    assert Licence.objects.filter(pk=licence.pk).exists()
    assert Approval.objects.filter(pk=approval.pk).exists()


# Refused input: 400 naming the field, nothing stored


def test_it_refuses_a_licence_ending_before_it_starts(compliance_client, dysprosium):
    licence = LicenceFactory()
    payload = licence_payload(ExporterFactory(), valid_until="2025-12-01")

    created = post_json(compliance_client, f"{API}/licences/", payload)
    changed = patch_json(
        compliance_client, f"{API}/licences/{licence.pk}/", {"valid_until": "2025-01-01"}
    )

    for response in (created, changed):
        assert response.status_code == 400
        assert "Valid until" in response.json()["valid_until"][0]
    assert Licence.objects.count() == 1
    licence.refresh_from_db()
    assert licence.valid_until == date(2026, 12, 1)


def test_it_refuses_a_status_change_the_lifecycle_does_not_allow(compliance_client):
    licence = LicenceFactory(
        status="expired", valid_from=date(2024, 1, 1), valid_until=date(2024, 12, 31)
    )

    response = patch_json(compliance_client, f"{API}/licences/{licence.pk}/", {"status": "issued"})

    assert response.status_code == 400
    assert "new validity period" in response.json()["status"][0]
    licence.refresh_from_db()
    assert licence.status == "expired"
    assert licence.history.count() == 1


def test_it_refuses_malformed_input_naming_each_field(compliance_client):
    response = post_json(
        compliance_client,
        f"{API}/licences/",
        {"exporter": 999, "kind": "special", "valid_from": "tomorrow", "elements": ["Xx"]},
    )

    assert response.status_code == 400
    assert set(response.json()) == {"exporter", "kind", "valid_from", "elements"}
    assert not Licence.objects.exists()


def test_it_refuses_an_approval_under_another_exporters_licence(compliance_client):
    licence = LicenceFactory()
    other = ExporterFactory()
    payload = approval_payload(AutomakerFactory(), exporter=other.pk, licence=licence.pk)

    response = post_json(compliance_client, f"{API}/approvals/", payload)

    assert response.status_code == 400
    assert licence.exporter.name in response.json()["licence"][0]
    assert not Approval.objects.exists()


def test_it_refuses_an_approval_without_evidence(compliance_client):
    payload = approval_payload(AutomakerFactory(), source_url="")

    response = post_json(compliance_client, f"{API}/approvals/", payload)

    assert response.status_code == 400
    assert "evidence file" in response.json()["source_url"][0]
    assert not Approval.objects.exists()


@override_settings(EVIDENCE_MAX_BYTES=100)
def test_it_refuses_an_evidence_file_over_the_size_limit(compliance_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = approval_payload(AutomakerFactory(), source_url="")
    data["evidence_file"] = SimpleUploadedFile("long.txt", b"x" * 101, "text/plain")

    response = compliance_client.post(f"{API}/approvals/", data)

    assert response.status_code == 400
    assert "limit" in response.json()["evidence_file"][0]
    assert not Approval.objects.exists()
    assert not list(tmp_path.rglob("*.txt"))


def test_it_refuses_an_evidence_file_that_is_not_pdf_image_or_text(compliance_client):
    approval = ApprovalFactory()
    evil = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"

    created = compliance_client.post(
        f"{API}/approvals/",
        {
            **approval_payload(approval.automaker, source_url=""),
            "evidence_file": SimpleUploadedFile("evil.pdf", evil, "application/pdf"),
        },
    )
    changed = patch_multipart(
        compliance_client,
        f"{API}/approvals/{approval.pk}/",
        {"evidence_file": SimpleUploadedFile("evil.pdf", evil, "application/pdf")},
    )

    for response in (created, changed):
        assert response.status_code == 400
        assert "must be a PDF" in response.json()["evidence_file"][0]
    assert Approval.objects.count() == 1
    approval.refresh_from_db()
    assert not approval.evidence_file
    assert approval.history.count() == 1


def test_it_describes_every_endpoint_in_openapi_without_warnings(tmp_path):
    schema = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))

    text = schema.read_text()
    for path in ("/api/v1/automakers/", "/api/v1/licences/{id}/history/", "in_force_on"):
        assert path in text


# Dated changes of a licence's status and renewals


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_compliance_records_a_revocation_from_a_date_and_the_cover_follows_it(
    compliance_client, analyst_client
):
    licence = LicenceFactory()
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, licence=licence, claimed_on=date(2026, 1, 5))
    url = f"{API}/licences/{licence.pk}/transitions/"
    change = {
        "status": "revoked",
        "effective_on": "2026-07-01",
        "reason": "MOFCOM revoked the licence.",
        "source_url": "https://www.mofcom.gov.cn/",
    }

    refused = post_json(analyst_client, url, change)
    response = post_json(compliance_client, url, change)

    assert refused.status_code == 403
    assert response.status_code == 201
    assert response.json()["status"] == "issued"  # until 1 July
    [listed] = analyst_client.get(url).json()
    assert (listed["from_status"], listed["status"], listed["effective_on"]) == (
        "issued",
        "revoked",
        "2026-07-01",
    )
    status_on = {
        on: analyst_client.get(f"{API}/automakers/{automaker.pk}/", {"on": on}).json()["status"]
        for on in ("2026-06-30", "2026-07-01")
    }
    assert status_on == {"2026-06-30": "covered", "2026-07-01": "expired"}


def test_a_transition_the_lifecycle_does_not_allow_is_refused_and_nothing_is_stored(
    compliance_client,
):
    licence = LicenceFactory(status=Licence.Status.APPLIED, valid_from=None, valid_until=None)
    url = f"{API}/licences/{licence.pk}/transitions/"

    response = post_json(
        compliance_client, url, {"status": "revoked", "effective_on": "2026-07-01", "reason": "x"}
    )
    unknown = post_json(
        compliance_client, url, {"status": "lost", "effective_on": "2026-07-01", "reason": "x"}
    )

    assert response.status_code == 400
    assert "cannot go from applied to revoked" in response.json()["status"][0]
    assert unknown.status_code == 400 and "status" in unknown.json()
    assert licence.transitions.count() == 0


def test_compliance_records_a_renewal_and_an_approval_for_some_of_the_supply(compliance_client):
    old = LicenceFactory(valid_until=date(2026, 12, 1))
    renewal = post_json(
        compliance_client,
        f"{API}/licences/",
        {
            "exporter": old.exporter.pk,
            "kind": "general",
            "status": "issued",
            "valid_from": "2026-12-02",
            "valid_until": "2027-12-01",
            "renews": old.pk,
        },
    )
    old_status = patch_json(
        compliance_client, f"{API}/licences/{old.pk}/", {"renewal_status": "granted"}
    )
    approval = post_json(
        compliance_client,
        f"{API}/approvals/",
        {
            "automaker": AutomakerFactory().pk,
            "licence": old.pk,
            "status": "approved",
            "extent": "some",
            "evidence_grade": "company_statement",
            "claimed_on": "2026-01-05",
            "statement": "Some of our suppliers hold a general licence.",
            "source_url": "https://example.com/statement",
        },
    )

    assert renewal.status_code == 201 and renewal.json()["renews"] == old.pk
    assert old_status.json()["renewal_status"] == "granted"
    assert approval.status_code == 201, approval.json()
    assert approval.json()["extent"] == "some"


def test_a_code_with_a_nul_character_is_an_unknown_code_not_a_server_error(compliance_client):
    response = post_json(
        compliance_client,
        f"{API}/licences/",
        {"exporter": ExporterFactory().pk, "kind": "general", "elements": ["D\x00y"]},
    )

    assert response.status_code == 400
    assert "elements" in response.json()
    assert not Licence.objects.exists()


@pytest.mark.parametrize("url", ["ftp://files.example.org/notice.pdf", "javascript:alert(1)"])
def test_a_source_url_must_be_an_http_or_https_link(compliance_client, url):
    payload = licence_payload(ExporterFactory()) | {"source_url": url}

    response = post_json(compliance_client, f"{API}/licences/", payload)

    assert response.status_code == 400
    assert "source_url" in response.json()
    assert not Licence.objects.exists()


def test_the_measures_api_finds_the_measures_over_a_ten_digit_code(analyst_client, reference_data):
    over_magnets = analyst_client.get(f"{API}/control-measures/", {"hs_code": "8505111000"}).json()
    dotted = analyst_client.get(f"{API}/control-measures/", {"hs_code": "8505.11"}).json()

    assert over_magnets["count"] > 0
    assert over_magnets == dotted
