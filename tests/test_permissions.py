"""Every page and endpoint, for each role: the status code it must answer.

LOGIN is a redirect to the log-in page; the API answers 401 to anonymous callers instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from exports.services import import_batch_process, import_batch_register
from licensing.models import Approval, Licence
from tests.conftest import client_for
from tests.factories import (
    ApprovalFactory,
    AutomakerFactory,
    ControlMeasureFactory,
    ElementFactory,
    ExporterFactory,
    HsCodeFactory,
    ImporterFactory,
    LicenceFactory,
    SupplyLinkFactory,
)

LOGIN = "login"
UPLOAD = (
    b"series,period,partner,tonnes,value,value_unit,source_url\n"
    b"gacc-rare-earths,2025-11,,5493.873,3.497,CNY_100M,https://example.org/gacc\n"
)
ROLES = ("anonymous", "analyst", "manager", "compliance")


@dataclass(frozen=True)
class Cell:
    method: str
    url: str  # a format string over the objects made by the `objects` fixture
    expected: tuple  # (anonymous, analyst, manager, compliance)
    body: str = ""  # the name of a payload made by `payload()`

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


ALL_READ = (LOGIN, 200, 200, 200)
NO_MANAGER = (LOGIN, 200, 403, 200)
COMPLIANCE_ONLY = (LOGIN, 403, 403, 200)
API_ALL_READ = (401, 200, 200, 200)
# A change to one's own things (profile, digest): every role, back to the page.
SIGNED_IN_POST = (LOGIN, 302, 302, 302)
API_NO_MANAGER = (401, 200, 403, 200)

PAGES = [
    Cell("GET", "/login/", (200, 200, 200, 200)),
    Cell("GET", "/", ALL_READ),
    Cell("GET", "/charts/", ALL_READ),
    Cell("GET", "/brief/", ALL_READ),
    Cell("GET", "/charts/?format=csv", ALL_READ),
    Cell("GET", "/automakers/", ALL_READ),
    Cell("GET", "/automakers/{automaker}/", ALL_READ),
    Cell("GET", "/exporters/", ALL_READ),
    Cell("GET", "/exporters/{exporter}/", ALL_READ),
    Cell("GET", "/importers/{importer}/", NO_MANAGER),
    Cell("GET", "/elements/{element_symbol}/", ALL_READ),
    Cell("GET", "/codes/{hs_code_text}/", ALL_READ),
    Cell("GET", "/licences/", ALL_READ),
    Cell("GET", "/licences/{licence}/", ALL_READ),
    Cell("GET", "/approvals/", NO_MANAGER),
    Cell("GET", "/approvals/{approval}/", NO_MANAGER),
    Cell("GET", "/approvals/{approval}/evidence/", NO_MANAGER),
    Cell("GET", "/approvals/new/", COMPLIANCE_ONLY),
    Cell("POST", "/approvals/new/", (LOGIN, 403, 403, 302), body="approval_form"),
    Cell("GET", "/approvals/{approval}/edit/", COMPLIANCE_ONLY),
    Cell("POST", "/approvals/{approval}/edit/", (LOGIN, 403, 403, 302), body="approval_form"),
    Cell("GET", "/licences/new/", COMPLIANCE_ONLY),
    Cell("POST", "/licences/new/", (LOGIN, 403, 403, 302), body="licence_form"),
    Cell("GET", "/licences/{licence}/edit/", COMPLIANCE_ONLY),
    Cell("POST", "/licences/{licence}/edit/", (LOGIN, 403, 403, 302), body="licence_form"),
    Cell("GET", "/control-measures/", ALL_READ),
    Cell("GET", "/control-measures/{measure}/", ALL_READ),
    Cell("POST", "/alerts/subscription/", SIGNED_IN_POST, body="digest_form"),
    Cell("GET", "/profile/", ALL_READ),
    Cell("POST", "/profile/email/", SIGNED_IN_POST, body="email_form"),
    Cell("GET", "/profile/password/", ALL_READ),
    Cell("POST", "/profile/password/", SIGNED_IN_POST, body="password_form"),
    Cell("POST", "/profile/token/", SIGNED_IN_POST),
    Cell("POST", "/profile/token/revoke/", SIGNED_IN_POST),
    Cell("GET", "/alerts/", ALL_READ),
    Cell("GET", "/search/?q=ning", ALL_READ),
    Cell("GET", "/search/suggest/?q=ning", ALL_READ),
    Cell("GET", "/imports/", NO_MANAGER),
    Cell("GET", "/imports/new/", COMPLIANCE_ONLY),
    Cell("POST", "/imports/new/", (LOGIN, 403, 403, 302), body="upload"),
    Cell("POST", "/imports/preview/", (LOGIN, 403, 403, 200), body="upload"),
    Cell("POST", "/imports/preview/import/", (LOGIN, 403, 403, 302), body="preview_token"),
    Cell("GET", "/imports/{batch}/withdraw/", COMPLIANCE_ONLY),
    Cell("POST", "/imports/{batch}/withdraw/", (LOGIN, 403, 403, 302), body="withdrawal_form"),
    Cell("GET", "/imports/{batch}/", NO_MANAGER),
    Cell("GET", "/imports/{batch}/file/", NO_MANAGER),
    Cell("GET", "/imports/{batch}/errors.csv", NO_MANAGER),
    Cell("GET", "/imports/figures/{record}/", NO_MANAGER),
]

API = [
    Cell("GET", "/api/schema/", API_ALL_READ),
    Cell("GET", "/api/docs/", API_ALL_READ),
    Cell("GET", "/api/v1/elements/", API_ALL_READ),
    Cell("GET", "/api/v1/elements/{element}/", API_ALL_READ),
    Cell("GET", "/api/v1/hs-codes/", API_ALL_READ),
    Cell("GET", "/api/v1/exporters/", API_ALL_READ),
    Cell("GET", "/api/v1/exporters/{exporter}/", API_ALL_READ),
    Cell("GET", "/api/v1/automakers/", API_ALL_READ),
    Cell("GET", "/api/v1/automakers/{automaker}/", API_ALL_READ),
    Cell("GET", "/api/v1/licences/", API_ALL_READ),
    Cell("GET", "/api/v1/licences/{licence}/", API_ALL_READ),
    Cell("GET", "/api/v1/licences/{licence}/history/", API_ALL_READ),
    Cell("GET", "/api/v1/control-measures/", API_ALL_READ),
    Cell("GET", "/api/v1/control-measures/{measure}/", API_ALL_READ),
    Cell("GET", "/api/v1/control-measures/{measure}/history/", API_ALL_READ),
    Cell("POST", "/api/v1/control-measures/", (401, 403, 403, 201), body="measure_json"),
    Cell("PATCH", "/api/v1/control-measures/{measure}/", (401, 403, 403, 200), body="title_json"),
    Cell("DELETE", "/api/v1/control-measures/{measure}/", (401, 403, 403, 403)),
    Cell("GET", "/api/v1/controls/lookup/?code=8505111000", API_ALL_READ),
    Cell("GET", "/api/v1/control-items/", API_ALL_READ),
    Cell("GET", "/api/v1/entity-lists/", API_NO_MANAGER),
    Cell("POST", "/api/v1/screenings/", (401, 200, 403, 200), body="screening_json"),
    Cell("GET", "/api/v1/importers/", API_NO_MANAGER),
    Cell("GET", "/api/v1/importers/{importer}/", API_NO_MANAGER),
    Cell("GET", "/api/v1/approvals/", API_NO_MANAGER),
    Cell("GET", "/api/v1/approvals/{approval}/", API_NO_MANAGER),
    Cell("GET", "/api/v1/approvals/{approval}/history/", API_NO_MANAGER),
    Cell("POST", "/api/v1/licences/", (401, 403, 403, 201), body="licence_json"),
    Cell("PATCH", "/api/v1/licences/{licence}/", (401, 403, 403, 200), body="notes_json"),
    Cell("POST", "/api/v1/approvals/", (401, 403, 403, 201), body="approval_json"),
    Cell("PATCH", "/api/v1/approvals/{approval}/", (401, 403, 403, 200), body="statement_json"),
    Cell("DELETE", "/api/v1/approvals/{approval}/", (401, 403, 403, 403)),
    Cell("GET", "/api/v1/summaries/", API_ALL_READ),
    Cell("GET", "/api/v1/series/", API_ALL_READ),
    Cell("GET", "/api/v1/series/gacc-rare-earths/", API_ALL_READ),
    Cell("GET", "/api/v1/imports/", API_NO_MANAGER),
    Cell("GET", "/api/v1/imports/{batch}/", API_NO_MANAGER),
    Cell("POST", "/api/v1/imports/", (401, 403, 403, 202), body="upload"),
    Cell("POST", "/api/v1/imports/preview/", (401, 403, 403, 200), body="upload"),
    Cell(
        "POST", "/api/v1/imports/{batch}/withdrawal/", (401, 403, 403, 200), body="withdrawal_json"
    ),
]


@pytest.fixture
def objects(db):
    licence = LicenceFactory()
    automaker = AutomakerFactory()
    importer = ImporterFactory()
    SupplyLinkFactory(supplier_importer=importer, customer_automaker=automaker)
    approval = ApprovalFactory(
        automaker=automaker,
        exporter=licence.exporter,
        licence=licence,
        evidence_file=SimpleUploadedFile("letter.txt", b"Approved under the general licence."),
        evidence_file_name="letter.txt",
    )
    batch, _ = import_batch_register(
        file=ContentFile(UPLOAD, name="stored.csv"), original_name="stored.csv", enqueue=False
    )
    import_batch_process(batch_id=batch.pk)
    return {
        "batch": batch.pk,
        "record": batch.records.first().pk,
        "automaker": automaker.pk,
        "licence": licence.pk,
        "approval": approval.pk,
        "exporter": licence.exporter.pk,
        "importer": importer.pk,
        "element": ElementFactory().pk,
        "element_symbol": ElementFactory().symbol,
        "hs_code": HsCodeFactory().pk,
        "hs_code_text": HsCodeFactory().code,
        "measure": ControlMeasureFactory().pk,
    }


def payload(name: str, objects: dict) -> dict:
    claim = {
        "automaker": objects["automaker"],
        "status": Approval.Status.PENDING,
        "evidence_grade": Approval.EvidenceGrade.NEWS_REPORT,
        "claimed_on": "2026-01-05",
        "statement": "Application filed.",
        "source_url": "https://example.org/news",
    }
    return {
        "approval_form": claim,
        "approval_json": claim,
        # Valid both as a new licence and as an unchanged status for the `objects` licence.
        "licence_form": {
            "exporter": objects["exporter"],
            "kind": Licence.Kind.GENERAL,
            "status": Licence.Status.ISSUED,
            "issued_on": "2025-12-02",
            "valid_from": "2025-12-02",
            "valid_until": "2026-12-01",
            "elements": [objects["element"]],
            "notes": "Checked against the notice.",
        },
        "licence_json": {
            "exporter": ExporterFactory().pk,
            "kind": Licence.Kind.INDIVIDUAL,
            "status": Licence.Status.APPLIED,
        },
        "notes_json": {"notes": "checked"},
        "measure_json": {
            "reference": "MOFCOM Announcement No. 99 of 2026",
            "authority": "MOFCOM",
            "kind": "control_expanded",
            "announced_on": "2026-11-30",
            "effective_from": "2026-12-01",
            "title": "More controls",
            "source_url": "https://example.org/mofcom-99",
            "change_source_url": "https://example.org/mofcom-99",
        },
        "title_json": {"title": "Reworded", "change_source_url": "https://example.org/notice"},
        "screening_json": {"name": "SUBARU Corporation", "country": "JPN"},
        "statement_json": {"statement": "Confirmed by the supplier."},
        "preview_token": {"token": "not a token"},
        "digest_form": {"email_digest": "on", "next": "/profile/"},
        "email_form": {"email": "someone@example.org"},
        "password_form": {
            "old_password": "pw-for-tests",
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
        "withdrawal_form": {"reason": "Uploaded by mistake.", "confirm": "on"},
        "withdrawal_json": {"reason": "Uploaded by mistake."},
    }[name]


def client_as(role: str, request) -> Client:
    if role == "anonymous":
        return Client()
    return client_for(request.getfixturevalue(role))


def call(client: Client, cell: Cell, objects: dict):
    url = cell.url.format(**objects)
    if cell.body == "upload":
        upload = UPLOAD.replace(b"5493.873", b"5500.001")  # other bytes than the stored batch
        return client.post(url, {"file": ContentFile(upload, name="new.csv")})
    data = payload(cell.body, objects) if cell.body else None
    if cell.url.startswith("/api/"):
        return client.generic(
            cell.method,
            url,
            data=json.dumps(data) if data else "",
            content_type="application/json",
        )
    return client.post(url, data) if cell.method == "POST" else client.get(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("cell", PAGES + API, ids=str)
def test_each_page_and_endpoint_answers_each_role_as_the_matrix_says(cell, role, objects, request):
    expected = cell.expected[ROLES.index(role)]

    response = call(client_as(role, request), cell, objects)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:300]
