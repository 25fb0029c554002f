"""The monthly brief in a browser: its chart drawn, a Print button that opens the print dialog,
and on paper no header or navigation; dates typed as pages write them."""

from __future__ import annotations

import pytest

from core.roles import MANAGER
from dashboards.services import monthly_summaries_rebuild
from exports.series import series_sync
from tests.conftest import user_with_role
from tests.dashboards.test_summaries import import_data_file
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def figures(reference_data):
    series_sync()
    import_data_file("gacc_rare_earths_monthly.csv")
    monthly_summaries_rebuild()
    user_with_role("max", MANAGER)


def test_the_brief_prints_without_the_header_and_its_button_opens_the_print_dialog(
    page, live_server, figures
):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_server, "max")
    page.goto(f"{live_server.url}/")
    page.click("[data-link=brief]")
    page.wait_for_selector("[data-figure] svg.main-svg", state="attached")
    assert "/brief/?period=2025-12" in page.url
    assert page.is_visible(".site-header")
    # window.print() blocks a headless page: count the calls instead.
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.click("[data-print]")
    assert page.evaluate("window.printed") == 1

    page.emulate_media(media="print")

    assert not page.is_visible(".site-header")
    assert not page.is_visible("[data-print]")
    assert page.is_visible("#brief-heading")
    assert page.is_visible("[data-brief=chart] svg.main-svg")
    assert errors == []
