"""The list pages' downloads in a real browser: the links keep the list's filters, the file
opens in a spreadsheet reader, and on a phone the header's buttons stay within the screen."""

from __future__ import annotations

import openpyxl
import pytest

from core.roles import COMPLIANCE, roles_sync
from licensing.downloads import LICENCE_HEADER
from licensing.models import Licence
from tests.e2e.conftest import log_in
from tests.factories import LicenceFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISTS = ["/automakers/", "/licences/", "/approvals/", "/control-measures/"]


@pytest.fixture
def cora(db):
    roles_sync()  # a transactional test's flush empties the groups the migrations made
    UserFactory(username="cora", role=COMPLIANCE)


def test_the_excel_download_keeps_the_filter_chosen_on_the_page(page, live_server, cora):
    LicenceFactory(number="G-1")
    LicenceFactory(kind=Licence.Kind.INDIVIDUAL, number="I-1")
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/licences/")
    page.select_option("select[name=kind]", value="individual")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()

    with page.expect_download() as download:
        page.click("text=Download Excel")
    assert download.value.suggested_filename.startswith("licences-")
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:  # no extension: openpyxl reads a handle
        sheet = openpyxl.load_workbook(handle).active

    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == LICENCE_HEADER
    assert [row[LICENCE_HEADER.index("Number")] for row in rows[1:]] == ["I-1"]


@pytest.mark.parametrize("url", LISTS)
def test_on_a_phone_the_download_buttons_stay_on_the_screen(page, live_server, cora, url):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}{url}")

    for name in ("Download CSV", "Download Excel"):
        link = page.get_by_role("link", name=name)
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, name
    actions = page.locator(".page-header__actions").bounding_box()
    assert actions["x"] + actions["width"] <= 390
