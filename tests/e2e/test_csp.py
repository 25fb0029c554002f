from __future__ import annotations

import pytest

from core.roles import ANALYST
from dashboards.services import monthly_summaries_rebuild
from exports.series import series_sync
from tests.conftest import user_with_role
from tests.dashboards.test_summaries import import_data_file
from tests.e2e.conftest import log_in

# The live server runs in another thread, so the test data must be committed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def figures(reference_data):
    # A transactional test's flush empties the series the migrations made; make them again.
    series_sync()
    import_data_file("gacc_rare_earths_monthly.csv")
    monthly_summaries_rebuild()
    user_with_role("ana", ANALYST)


def test_the_overview_draws_its_chart_under_the_content_security_policy(page, live_server, figures):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    log_in(page, live_server, "ana")

    response = page.goto(f"{live_server.url}/")

    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    page.wait_for_selector("[data-figure] svg.main-svg", state="attached")
    assert page.locator("[data-figure] svg.main-svg").count() > 0
    violations = [
        message for message in messages if "content security policy" in message.casefold()
    ]
    assert violations == []
    assert not [message for message in messages if message.startswith("pageerror")], messages


def test_the_charts_page_and_the_api_docs_run_under_the_policy(page, live_server, figures):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    log_in(page, live_server, "ana")

    page.goto(f"{live_server.url}/charts/")
    page.wait_for_selector("[data-figure] svg.main-svg", state="attached")
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")

    assert "RareGate API" in page.locator(".swagger-ui .info .title").inner_text()
    violations = [
        message for message in messages if "content security policy" in message.casefold()
    ]
    assert violations == []
    assert not [message for message in messages if message.startswith("pageerror")], messages
