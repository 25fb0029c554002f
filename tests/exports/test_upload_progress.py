"""An upload followed as it runs: the page's script names the upload, the progress endpoint
says which import it became and how it stands, and the message says what really happened.

Transactional tests: the import runs at commit, as it does in the demo (tasks in the web
process), so that the message is written after the import has run."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from exports.models import ImportBatch
from tests.conftest import client_for
from tests.exports.test_views import RAREGATE_CSV
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90"


@pytest.fixture
def compliance_client():
    return client_for(UserFactory(role="Compliance"))


def upload(client, content: bytes = RAREGATE_CSV, headers=None):
    return client.post(
        "/imports/new/",
        {"file": SimpleUploadedFile("november.csv", content, "text/csv"), "progress_token": TOKEN},
        headers=headers,
    )


def test_the_message_says_the_import_succeeded_when_it_ran_at_once(compliance_client):
    response = upload(compliance_client)

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.SUCCEEDED
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == ["Imported november.csv: 1 figure stored, of which 0 revised; 0 unchanged."]
    assert "Queued" not in compliance_client.get(response.url).content.decode()


def test_the_message_says_the_import_failed_when_it_did(compliance_client):
    response = upload(compliance_client, RAREGATE_CSV.replace(b"5493.873", b"lots"))

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    (shown,) = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown.startswith("november.csv was not imported: 1 row error(s)")


def test_the_script_is_told_where_to_go_and_the_progress_names_the_import(compliance_client):
    before = compliance_client.get(f"/imports/uploads/{TOKEN}/progress/").json()
    assert before == {"batch": None, "status": "", "steps": []}

    response = upload(compliance_client, headers={"X-RareGate-Upload": "1"})

    batch = ImportBatch.objects.get()
    assert response.status_code == 200
    assert response.json() == {"url": f"/imports/{batch.pk}/"}
    progress = compliance_client.get(f"/imports/uploads/{TOKEN}/progress/").json()
    assert progress["batch"] == batch.pk
    assert progress["status"] == "succeeded"
    # The message waits for the import's page, which the script opens.
    assert (
        "Imported november.csv" in compliance_client.get(f"/imports/{batch.pk}/").content.decode()
    )


def test_only_those_who_upload_may_follow_an_upload(compliance_client):
    upload(compliance_client)
    analyst = client_for(UserFactory(role="Analyst"))

    assert analyst.get(f"/imports/uploads/{TOKEN}/progress/").status_code == 403
