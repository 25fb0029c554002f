"""A manager's own things in the browser, on a desktop and a 390 px phone: the profile page with
its token, the API docs and the way back, and the evidence behind an automaker's status."""

from __future__ import annotations

from datetime import date

import pytest

from core.roles import MANAGER
from licensing.models import Automaker, Licence
from tests.conftest import user_with_role
from tests.e2e.conftest import log_in
from tests.factories import ApprovalFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def manager_with_a_claim(reference_data):
    user_with_role("max", MANAGER)
    jl_mag = Licence.objects.get(exporter__name="JL Mag Rare-Earth Co. Ltd.")
    gm = Automaker.objects.get(name="General Motors Co.")
    ApprovalFactory(
        automaker=gm,
        licence=jl_mag,
        exporter=jl_mag.exporter,
        claimed_on=date.today(),
        source_url="https://example.org/a-long-source-address/of-the-company-statement",
    )
    return gm


def wider_than_the_viewport(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_manager_makes_a_token_reads_the_docs_and_the_evidence(
    page, live_server, manager_with_a_claim, viewport
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, "max")

    page.goto(f"{live_server.url}/profile/")
    page.click("text=Make a token")
    key = page.locator("[data-token]").inner_text()
    assert len(key) == 40
    assert not wider_than_the_viewport(page)

    page.reload()
    assert page.locator("[data-token]").count() == 0
    assert page.locator("[data-token-state=active]").is_visible()

    page.click("footer >> text=API docs")
    page.wait_for_selector(".swagger-ui .info .title")
    page.click("text=← Back to RareGate")
    page.wait_for_load_state()
    assert page.url.rstrip("/") == live_server.url

    page.goto(f"{live_server.url}/automakers/{manager_with_a_claim.pk}/")
    summary = page.locator(".evidence-summary")
    assert summary.is_visible()
    assert "Company statement" in summary.inner_text()
    assert not wider_than_the_viewport(page)
    assert errors == []
