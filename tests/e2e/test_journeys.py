"""Each role's day in a real browser, on a desktop and on a 390 px phone: every main page loads
with no console error, no page is wider than the window, the header keeps its links in one row
at 1440 px, the phone's "Menu" and the user menu open and close from the keyboard, and tables
turn into cards whose cells carry their column's name."""

from __future__ import annotations

from datetime import date

import pytest

from core.roles import ANALYST, COMPLIANCE, MANAGER
from dashboards.services import monthly_summaries_rebuild
from exports.series import series_sync
from licensing.models import Approval, Automaker, Importer, Licence
from tests.conftest import user_with_role
from tests.dashboards.test_summaries import import_data_file
from tests.e2e.conftest import log_in
from tests.factories import ApprovalFactory, ExporterFactory, ImporterFactory, LicenceFactory

# The live server runs in another thread, so the test data must be committed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440px", "390px"])

# Each role's main pages; "{automaker}", "{licence}" and "{approval}" are filled in from the
# data below.
JOURNEYS = {
    "ana": [
        "/",
        "/automakers/",
        "/automakers/{automaker}/",
        "/what-if/",
        "/licences/",
        "/licences/{licence}/",
    ],
    "cora": [
        "/imports/",
        "/licences/{licence}/",
        "/approvals/",
        "/approvals/{approval}/",
        "/control-measures/",
        "/entity-lists/",
    ],
    "max": ["/", "/charts/", "/automakers/{automaker}/"],
}

LONG_NAME = "Inner Mongolia Baotou Steel Rare-Earth (Group) Hi-Tech Magnetic Materials Co., Ltd."
LONG_NAME_ZH = "中国北方稀土（集团）高科技股份有限公司包头稀土永磁材料分公司"


@pytest.fixture
def day(reference_data):
    """The shipped reference data and customs figures, as the demo has them, plus individual
    licences held by exporters with long English and Chinese names, naming a long consignee."""
    series_sync()  # a transactional test's flush empties the series the migrations made
    import_data_file("gacc_rare_earths_monthly.csv")
    import_data_file("gacc_ndfeb_magnets_monthly.csv")
    monthly_summaries_rebuild()
    ford = Automaker.objects.get(name__startswith="Ford")
    consignee = ImporterFactory(
        name="Robert Bosch Automotive Steering und Elektromotoren Vertriebsgesellschaft mbH",
        kind=Importer.Kind.TIER1_SUPPLIER,
    )
    licences = []
    for number in range(3):
        exporter = ExporterFactory(
            name=f"{LONG_NAME} No. {number + 1}",
            name_zh=f"{LONG_NAME_ZH}{number + 1}号",
            province="Inner Mongolia",
        )
        licences.append(
            LicenceFactory(
                exporter=exporter,
                kind=Licence.Kind.INDIVIDUAL,
                number=f"MOFCOM-EXP-2026-IND-000{number}4471-NdFeB",
                valid_until=date(2027, 3, 31),
            )
        )
    approval = ApprovalFactory(
        automaker=ford,
        exporter=licences[0].exporter,
        importer=consignee,
        licence=licences[0],
        status=Approval.Status.APPROVED,
        statement=(
            "The exporter's individual licence names the consignee and Ford as end user for "
            "NdFeB magnets containing dysprosium and terbium (含镝、铽的钕铁硼永磁体)."
        ),
    )
    user_with_role("ana", ANALYST)
    user_with_role("cora", COMPLIANCE)
    user_with_role("max", MANAGER)
    return {"automaker": ford.pk, "licence": licences[0].pk, "approval": approval.pk}


def watch_console(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def nav_link_tops(page) -> list[int]:
    return page.evaluate(
        "Array.from(document.querySelectorAll('.site-nav a'))"
        ".filter((a) => a.getClientRects().length)"
        ".map((a) => Math.round(a.getBoundingClientRect().top))"
    )


def sideways_scrolls(page) -> list[int]:
    """How far each table's frame would scroll sideways, for those that would."""
    return page.evaluate(
        "Array.from(document.querySelectorAll('.table-wrap'))"
        ".map((wrap) => wrap.scrollWidth - wrap.clientWidth).filter((extra) => extra > 0)"
    )


@VIEWPORTS
@pytest.mark.parametrize("username", JOURNEYS)
def test_each_roles_main_pages_fit_the_window_with_no_console_error(
    page, live_server, day, username, viewport
):
    page.set_viewport_size(viewport)
    errors = watch_console(page)
    log_in(page, live_server, username)

    for path in JOURNEYS[username]:
        url = path.format(**day)
        response = page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")

        assert response.status == 200, url
        assert errors == [], url
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{url} is {width} px wide"
        assert sideways_scrolls(page) == [], f"{url}: a table scrolls sideways"
        tops = nav_link_tops(page)
        if viewport is DESKTOP:
            assert len(tops) >= 3 and len(set(tops)) == 1, f"{url}: header links on {set(tops)}"
        else:
            assert tops == [], f"{url}: the links show before Menu is pressed"


@pytest.mark.parametrize("width", [1280, 1440])
def test_compliance_sees_every_link_and_the_user_menu_in_one_header_row(
    page, live_server, day, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/imports/")

    tops = nav_link_tops(page)
    assert len(tops) >= 10
    assert len(set(tops)) == 1
    menu = page.locator(".account__button").bounding_box()
    brand = page.locator(".brand").bounding_box()
    assert menu["y"] < brand["y"] + brand["height"] and menu["y"] + menu["height"] > brand["y"]
    assert menu["x"] + menu["width"] <= width


def test_the_user_menu_opens_from_the_keyboard_and_escape_closes_it(page, live_server, day):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "max")
    button = page.locator(".account__button")
    menu = page.locator("#account-menu")
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()

    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    assert "Manager" in menu.inner_text()
    for name in ("Profile", "API docs", "Log out"):
        assert (
            menu.get_by_role("link", name=name)
            .or_(menu.get_by_role("button", name=name))
            .is_visible()
        )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Profile"

    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('account__button')")


def test_the_user_menu_logs_out(page, live_server, day):
    log_in(page, live_server, "ana")
    page.click(".account__button")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()

    assert "/login/" in page.url


def test_on_a_phone_menu_opens_the_links_one_a_line_and_escape_closes_them(page, live_server, day):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/licences/")
    toggle = page.get_by_role("button", name="Menu")
    assert nav_link_tops(page) == []

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    tops = nav_link_tops(page)
    assert len(tops) >= 10 and tops == sorted(set(tops)), "one link a line"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name="Approvals").click()
    page.wait_for_load_state()
    assert page.url.endswith("/approvals/")

    page.get_by_role("button", name="Menu").click()
    page.keyboard.press("Escape")
    assert nav_link_tops(page) == []


@pytest.mark.parametrize("width", [390, 700])
def test_on_a_phone_a_table_row_is_a_card_whose_cells_name_their_column(
    page, live_server, day, width
):
    page.set_viewport_size({"width": width, "height": 844})
    log_in(page, live_server, "ana")
    page.goto(f"{live_server.url}/licences/")

    table = page.locator("table.data").first
    headers = [text.strip() for text in table.locator("thead th").all_text_contents()]
    cells = table.locator("tbody tr").first.locator("td, th")
    labels = [cells.nth(i).get_attribute("data-label") for i in range(cells.count())]
    assert len(labels) >= 5
    assert labels == headers[: len(labels)]
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1, "cells stack, one under another"
    assert first["width"] > width * 0.7, "each cell takes the card's width"


def test_on_a_desktop_the_imports_table_needs_no_sideways_scroll(page, live_server, day):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/imports/")

    assert page.locator(".table-wrap").count() == 1
    assert sideways_scrolls(page) == []
