"""Compliance records a supply chain in the browser; the analyst sees the cover it gives."""

from __future__ import annotations

import re

import pytest

from core.roles import ANALYST, COMPLIANCE, roles_sync
from licensing.models import Automaker, Importer, LicenceParty, SupplyLink
from tests.e2e.conftest import log_in
from tests.e2e.pickers import pick
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

JL_MAG = "JL Mag Rare-Earth Co. Ltd."


@pytest.fixture
def people(reference_data):
    roles_sync()  # a transactional test's flush empties the groups the migrations made
    UserFactory(username="cora", role=COMPLIANCE)
    UserFactory(username="ana", role=ANALYST)


def submit(page, url_pattern: str) -> None:
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(url_pattern))


def test_compliance_records_a_supply_chain_and_the_analyst_sees_its_cover(
    page, live_server, people
):
    url = live_server.url
    log_in(page, live_server, "cora")

    page.goto(f"{url}/importers/new/")
    page.fill("input[name=name]", "Bosch Magnets GmbH")
    page.fill("input[name=country]", "DEU")
    page.select_option("select[name=kind]", value=Importer.Kind.TIER1_SUPPLIER)
    submit(page, r"/importers/\d+/$")
    importer = Importer.objects.get(name="Bosch Magnets GmbH")

    page.click("text=Record a supplier")
    pick(page, "supplier_exporter", "JL Mag", option=JL_MAG)
    page.fill("textarea[name=evidence]", "Bosch's 2025 report names JL Mag as its magnet maker.")
    submit(page, r"/supply-links/\d+/edit/$")
    page.goto(f"{url}/importers/{importer.pk}/")
    page.click("text=Record a customer")
    pick(page, "customer_automaker", "Hyundai")
    page.fill("textarea[name=evidence]", "Hyundai's supplier list.")
    submit(page, r"/supply-links/\d+/edit/$")

    page.goto(f"{url}/licences/new/")
    pick(page, "exporter", "JL Mag", option=JL_MAG)
    page.select_option("select[name=kind]", value="individual")
    page.select_option("select[name=status]", value="issued")
    page.fill("input[name=issued_on]", "2026-11-01")
    page.fill("input[name=valid_from]", "2026-11-01")
    page.fill("input[name=valid_until]", "2027-04-30")
    page.select_option("select[name=consignees]", label=str(importer))
    page.fill("input[name=source_url]", "https://example.org/jl-mag-individual")
    submit(page, r"/licences/\d+/$")
    assert "Consignee: Bosch Magnets GmbH (DEU)" in page.locator("main").inner_text()

    page.goto(f"{url}/approvals/new/")
    pick(page, "automaker", "Hyundai")
    pick(page, "importer", "Bosch Magnets", option=str(importer))
    page.select_option("select[name=status]", value="approved")
    page.select_option("select[name=evidence_grade]", value="company_statement")
    page.fill("input[name=claimed_on]", "2026-11-20")
    page.fill("textarea[name=statement]", "Our magnets come through Bosch, which is covered.")
    page.fill("input[name=source_url]", "https://example.org/hyundai")
    submit(page, r"/approvals/\d+/$")
    assert SupplyLink.objects.count() == 2
    assert LicenceParty.objects.get().importer == importer

    page.context.clear_cookies()
    log_in(page, live_server, "ana")
    hyundai = Automaker.objects.get(name="Hyundai Motor Co.")
    page.goto(f"{url}/automakers/{hyundai.pk}/")
    main = page.locator("main").inner_text()
    status = page.locator(".status-panel").inner_text()
    assert "Covered" in status and "30 Apr 2027" in status
    chain = page.locator("section", has=page.locator("#supply-heading")).inner_text()
    assert "Bosch Magnets GmbH (DEU)" in chain and JL_MAG in chain
    assert "held by the exporters that supply it" in main
