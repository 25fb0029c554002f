"""The API under attack: Schemathesis against /api/schema/, authenticated as each role.

Every operation of the app's own OpenAPI schema gets generated input, through the WSGI app in
this process; no answer may be a server error or break the schema it is documented with.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application
from core.roles import ANALYST, COMPLIANCE, MANAGER
from tests.conftest import user_with_role
from tests.factories import ApprovalFactory

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "data" / "exports"
CHECKS = [not_a_server_error, response_schema_conformance]
# Uploads write and parse files: slow, and exercised by tests/exports/test_api.py.
SKIPPED = {("POST", "/api/v1/imports/")}
HYPOTHESIS = hypothesis_settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_data(reference_data):
    """Reference data, an approval, and an imported file with its summaries."""
    from dashboards.services import monthly_summaries_rebuild
    from exports.services import import_batch_process, import_batch_register
    from licensing.models import Licence

    name = "gacc_rare_earths_monthly.csv"
    batch, _ = import_batch_register(
        file=ContentFile((DATA / name).read_bytes(), name=name), original_name=name, enqueue=False
    )
    import_batch_process(batch_id=batch.pk)
    monthly_summaries_rebuild()
    licence = Licence.objects.first()
    ApprovalFactory(licence=licence, exporter=licence.exporter)


def _stored_objects() -> dict:
    from exports.models import ImportBatch, Series
    from licensing.models import Approval, Automaker, Exporter, Importer

    approval = Approval.objects.select_related("licence").first()
    return {
        "/api/v1/licences/": approval.licence_id,
        "/api/v1/approvals/": approval.pk,
        "/api/v1/imports/": ImportBatch.objects.values_list("pk", flat=True).first(),
        "/api/v1/series/": Series.objects.values_list("code", flat=True).first(),
        "body": {
            "exporter": approval.licence.exporter_id,
            "automaker": approval.automaker_id,
            "importer": Importer.objects.values_list("pk", flat=True).first(),
            "licence": approval.licence_id,
        },
        "any": {
            "/api/v1/automakers/": Automaker.objects.values_list("pk", flat=True).first(),
            "/api/v1/exporters/": Exporter.objects.values_list("pk", flat=True).first(),
        },
    }


def _point_at_stored_objects(case, known: dict) -> None:
    """Half the examples name stored objects, so that they reach past the 404s and 400s."""
    for prefix, pk in [*known.items(), *known["any"].items()]:
        if prefix.startswith("/") and case.path.startswith(prefix) and case.path_parameters:
            key = "code" if "code" in case.path_parameters else "id"
            case.path_parameters[key] = pk
    if isinstance(case.body, dict):
        for field, pk in known["body"].items():
            if field in case.body and pk is not None:
                case.body[field] = pk


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app closes connections after each request; tests' transactions need theirs.

    Django's test client does the same: without it, PostgreSQL loses the test's transaction.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def schema_for(user) -> schemathesis.BaseSchema:
    # Through the WSGI app, as the cases are: Django's test client would connect again the
    # signal handler that closes the test's connection after each request.
    token, _ = Token.objects.get_or_create(user=user)
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, headers={"Authorization": f"Token {token.key}"}
    )


@pytest.mark.parametrize(
    ("role", "username"), [(ANALYST, "ana"), (MANAGER, "max"), (COMPLIANCE, "cora")]
)
def test_api_conforms_to_its_schema(api_data, role, username):
    user = user_with_role(username, role)
    token, _ = Token.objects.get_or_create(user=user)
    headers = {"Authorization": f"Token {token.key}"}
    schema = schema_for(user)

    known = _stored_objects()
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        operations += 1

        @HYPOTHESIS
        @given(case=operation.as_strategy(), real=st.booleans())
        def run(case, real):
            if real:
                _point_at_stored_objects(case, known)
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # Schemathesis's failures are groups
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert operations > 15
    assert not failures, "\n\n".join(failures)


def test_an_importer_filter_past_a_64_bit_id_is_a_400(analyst_client):
    """Found by Schemathesis: ?automaker=<huge> overflowed the database driver (a 500)."""
    response = analyst_client.get("/api/v1/importers/", {"automaker": str(2**64)})
    assert response.status_code == 400
    assert "automaker" in response.json()
