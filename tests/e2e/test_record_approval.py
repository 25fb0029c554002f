from __future__ import annotations

import re

import pytest

from core.roles import ANALYST, COMPLIANCE, roles_sync
from licensing.models import Approval, Automaker
from tests.e2e.conftest import log_in
from tests.e2e.pickers import pick
from tests.factories import UserFactory

# The live server runs in another thread, so the test data must be committed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(reference_data):
    # A transactional test's flush empties the groups the migrations made; make them again.
    roles_sync()
    UserFactory(username="cora", role=COMPLIANCE)
    UserFactory(username="ana", role=ANALYST)


def automaker_row(page, name: str):
    return page.locator("table tbody tr", has_text=name)


def test_compliance_records_an_approval_that_the_analyst_then_sees(page, live_server, people):
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/approvals/new/")
    pick(page, "automaker", "Hyundai")
    page.select_option("select[name=status]", value=Approval.Status.PENDING)
    page.select_option("select[name=evidence_grade]", value=Approval.EvidenceGrade.NEWS_REPORT)
    page.fill("input[name=claimed_on]", "2026-11-20")
    page.fill("textarea[name=statement]", "Hyundai's magnet supplier has applied for a licence.")
    page.fill("input[name=source_url]", "https://example.org/hyundai-licence")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/approvals/\d+/$"))
    assert "Hyundai Motor Co." in page.content()
    approval = Approval.objects.get(automaker__name="Hyundai Motor Co.")
    assert approval.recorded_by.username == "cora"

    page.context.clear_cookies()
    log_in(page, live_server, "ana")
    page.goto(f"{live_server.url}/automakers/")
    row = automaker_row(page, "Hyundai Motor Co.")
    assert "Pending" in row.inner_text()
    assert "News report" in row.inner_text()
    assert "No information" in automaker_row(page, "Toyota Motor Corp.").inner_text()

    page.goto(
        f"{live_server.url}/automakers/{Automaker.objects.get(name__startswith='Hyundai').pk}/"
    )
    assert "Hyundai's magnet supplier has applied" in page.locator("main").inner_text()


def test_a_field_error_is_shown_beside_its_field_and_nothing_is_stored(page, live_server, people):
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/approvals/new/")
    pick(page, "automaker", "Hyundai")
    page.select_option("select[name=status]", value=Approval.Status.PENDING)
    page.select_option("select[name=evidence_grade]", value=Approval.EvidenceGrade.NEWS_REPORT)
    page.fill("input[name=claimed_on]", "2026-11-20")
    page.fill("textarea[name=statement]", "No source given.")
    page.click("form.form button[type=submit]")

    page.wait_for_load_state()
    assert "Give a source URL or attach an evidence file." in page.content()
    assert not Approval.objects.filter(automaker__name="Hyundai Motor Co.").exists()
