"""The global search and the pickers in the browser: keyboard only, as a user who knows the
shortcuts works; no console error, and the page the user chose opens."""

from __future__ import annotations

import pytest

from core.roles import ANALYST, COMPLIANCE
from tests.conftest import user_with_role
from tests.e2e.conftest import log_in
from tests.factories import AutomakerFactory, ExporterFactory, ImporterFactory, LicenceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_slash_opens_the_search_and_enter_opens_the_chosen_result(page, live_server):
    user_with_role("ana", ANALYST)
    ford = AutomakerFactory(name="Ford Motor Company")
    AutomakerFactory(name="Toyota Motor Corporation")
    errors = console_errors(page)
    log_in(page, live_server, "ana")
    page.goto(f"{live_server.url}/licences/")

    page.keyboard.press("/")
    box = page.locator("#site-search-q")
    assert box.evaluate("element => element === document.activeElement")
    page.keyboard.type("Ford")
    option = page.locator("#site-search-list [role=option]").first
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert option.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/automakers/{ford.pk}/")
    assert errors == []


def test_slash_typed_in_a_field_stays_in_the_field_and_escape_closes(page, live_server):
    user_with_role("ana", ANALYST)
    AutomakerFactory(name="Ford Motor Company")
    log_in(page, live_server, "ana")
    page.goto(f"{live_server.url}/search/")

    page.fill("#search-page-q", "")
    page.focus("#search-page-q")
    page.keyboard.type("a/b")
    assert page.input_value("#search-page-q") == "a/b"

    page.keyboard.press("Control+k")
    page.keyboard.type("Ford")
    page.locator("#site-search-list [role=option]").first.wait_for()
    page.keyboard.press("Escape")
    assert page.locator("#site-search-list").is_hidden()
    assert page.get_attribute("#site-search-q", "aria-expanded") == "false"


def test_a_picker_chooses_an_exporter_by_name_and_the_filter_shows_it(page, live_server):
    user_with_role("cora", COMPLIANCE)
    yunsheng = ExporterFactory(name="Ningbo Yunsheng Co., Ltd.")
    ExporterFactory(name="JL Mag Rare-Earth Co., Ltd.")
    LicenceFactory(exporter=yunsheng, number="GL-1")
    errors = console_errors(page)
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/licences/")

    picker = page.get_by_label("Exporter")
    picker.fill("Yunsh")
    page.locator("[role=option]", has_text="Ningbo Yunsheng").first.wait_for()
    picker.press("ArrowDown")
    picker.press("Enter")
    assert picker.input_value() == "Ningbo Yunsheng Co., Ltd."
    page.click("form.filters button[type=submit]")

    page.wait_for_url(f"**/licences/?*exporter={yunsheng.pk}*")
    assert page.get_by_label("Exporter").input_value() == "Ningbo Yunsheng Co., Ltd."
    assert errors == []


def test_a_list_of_several_gains_a_box_that_finds_and_adds_one(page, live_server):
    user_with_role("cora", COMPLIANCE)
    bosch = ImporterFactory(name="Robert Bosch GmbH")
    ImporterFactory(name="Denso Corporation", country="JPN")
    errors = console_errors(page)
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/licences/new/")

    finder = page.locator("#id_consignees-picker")
    finder.fill("Bosch")
    page.locator("#id_consignees-picker-list [role=option]", has_text="Robert Bosch").click()

    chosen = page.eval_on_selector(
        "select[name=consignees]", "s => Array.from(s.selectedOptions, o => o.value)"
    )
    assert chosen == [str(bosch.pk)]
    assert finder.input_value() == ""
    assert errors == []
