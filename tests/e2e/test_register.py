"""Compliance records, in the browser, that No. 70's suspension was extended; the analyst's
lookup of a magnet code then says so, and a watch-listed automaker's match is reviewed."""

from __future__ import annotations

import re

import pytest

from core.roles import ANALYST, COMPLIANCE, roles_sync
from licensing.models import ControlMeasure, ScreeningMatch
from tests.e2e.conftest import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(reference_data):
    roles_sync()  # a transactional test's flush empties the groups the migrations made
    UserFactory(username="cora", role=COMPLIANCE)
    UserFactory(username="ana", role=ANALYST)


def test_an_extension_recorded_in_the_browser_shows_in_the_lookup(page, live_server, people):
    url = live_server.url
    no70 = ControlMeasure.objects.get(reference="MOFCOM/GACC Announcement No. 70 of 2025")
    log_in(page, live_server, "ana")
    page.goto(f"{url}/controls/lookup/?code=8505111000&on=2026-12-01")
    assert "awaiting confirmation" in page.inner_text("main")

    page.context.clear_cookies()
    log_in(page, live_server, "cora")
    page.goto(f"{url}/control-measures/{no70.pk}/")
    page.click("text=Edit, or record what happened")
    page.select_option("select[name=outcome]", value="extended")
    page.fill("input[name=extended_until]", "2027-11-10")
    page.fill("input[name=outcome_known_on]", "2026-11-09")
    page.fill("input[name=outcome_source_url]", "https://example.org/mofcom-extension")
    page.fill("input[name=change_source_url]", "https://example.org/mofcom-extension")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(rf"/control-measures/{no70.pk}/$"))
    assert "Suspension extended to 10 November 2027" in page.inner_text("main")

    page.goto(f"{url}/controls/lookup/?code=8505111000&on=2026-12-01")
    main = page.inner_text("main")
    assert "Suspension extended to 10 November 2027" in main
    assert "awaiting confirmation" not in main

    match = ScreeningMatch.objects.get(automaker__name="Hino Motors, Ltd.")
    page.goto(f"{url}/screening/{match.pk}/review/")
    page.check("input[name=status][value=dismissed]")
    page.fill("textarea[name=reason]", "Checked in the browser.")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/screening/$"))
    assert "Checked in the browser." in page.inner_text("main")
