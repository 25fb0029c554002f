"""The printable monthly brief: one month's KPIs, chart, statuses, events and sources on A4."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from dashboards.services import monthly_summaries_rebuild
from tests.conftest import client_for
from tests.dashboards.test_summaries import import_data_file
from tests.dashboards.test_views import figure, html, values
from tests.factories import (
    ApprovalFactory,
    AutomakerFactory,
    ControlMeasureFactory,
    LicenceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def gacc():
    batch = import_data_file("gacc_rare_earths_monthly.csv")
    monthly_summaries_rebuild()
    return batch


def static_text(path: str) -> str:
    with open(finders.find(path), encoding="utf-8") as file:
        return file.read()


def section(page: str, name: str) -> str:
    start = page.index(f'data-brief="{name}"')
    return page[start : page.index("</section>", start)]


def test_the_brief_of_november_2025_gives_its_kpis_chart_events_and_sources(gacc, manager_client):
    ControlMeasureFactory(reference="Announcement No. 61 of 2025", effective_from=date(2025, 11, 8))
    ControlMeasureFactory(reference="Announcement No. 18 of 2025", effective_from=date(2025, 4, 4))

    response = manager_client.get("/brief/", {"period": "2025-11"})

    page = html(response)
    assert "Rare-earth exports, November 2025" in page
    assert values(response) == {
        "tonnes": "5,493.9 t",
        "mom": "+26.5%",
        "yoy": "+24.4%",
        "ytd": "58,193.0 t",
        "ytd_yoy": "+11.7%",
    }
    # The monthly chart, to November 2025; not the year to date.
    assert figure(response, "figure-monthly")["data"][0]["type"] == "bar"
    assert 'id="figure-year-to-date"' not in page
    # Only the month's events.
    events = section(page, "events")
    assert "8 Nov 2025" in events and "No. 61" in events
    assert "No. 18" not in events
    sources = section(page, "sources")
    assert "The data runs to" in sources
    assert f'href="/imports/{gacc.pk}/"' not in sources  # a manager may not open imports
    assert f"import {gacc.pk}" in sources
    assert 'src="/static/js/print.js"' in page
    assert "data-print hidden>Print</button>" in page


def test_the_brief_counts_automakers_by_status_and_licences_expiring(manager_client):
    today = timezone.localdate()
    soon = LicenceFactory(
        issued_on=today - timedelta(days=100),
        valid_from=today - timedelta(days=100),
        valid_until=today,
    )
    ApprovalFactory(licence=soon, exporter=soon.exporter)
    AutomakerFactory()

    page = html(manager_client.get("/brief/"))

    statuses = section(page, "statuses")
    counts = dict(re.findall(r'data-status="(\w+)">.*?<td class="num">(\d+)</td>', statuses, re.S))
    assert counts["no_information"] == "1"
    assert sum(int(count) for count in counts.values()) == 2
    expiring = section(page, "expiring")
    assert "Licences expiring within 30 days: 1" in expiring
    assert "Expires today" in expiring
    assert "No monthly figures yet" in page


def test_the_overview_links_to_the_brief_of_its_period(gacc, manager_client):
    page = html(manager_client.get("/", {"period": "2025-11"}))

    assert 'href="/brief/?period=2025-11" data-link="brief"' in page


def test_the_brief_needs_the_overviews_permission():
    assert Client().get("/brief/").url.startswith("/login/")
    assert client_for(UserFactory(username="no-role")).get("/brief/").status_code == 403


def test_the_brief_has_a_print_stylesheet_for_a4_without_the_header():
    css = static_text("css/raregate.css")
    printed = css[css.index("@media print") :]
    assert "@page { size: A4;" in css
    assert ".site-header" in printed and "display: none" in printed
    assert "break-inside: avoid" in printed
    assert "window.print()" in static_text("js/print.js")
