"""/elements/<symbol>/ and /codes/<code>/: the controls on a day, the licences valid that day
that cover it, the series that measure it and every measure naming it; and the links to them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from licensing.models import ControlMeasure, Element, HsCode
from tests.conftest import client_for
from tests.factories import (
    ControlMeasureFactory,
    ElementFactory,
    HsCodeFactory,
    LicenceFactory,
)

pytestmark = pytest.mark.django_db

NO18 = "MOFCOM/GACC Announcement No. 18 of 2025"
NO57 = "MOFCOM Announcement No. 57 of 2025"


def html(client, url: str, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200, url
    return response.content.decode()


def covering(element: Element, hs_code: HsCode, *, ends_in: int, **fields):
    today = timezone.localdate()
    licence = LicenceFactory(
        valid_from=today - timedelta(days=10), valid_until=today + timedelta(days=ends_in), **fields
    )
    licence.elements.add(element)
    licence.hs_codes.add(hs_code)
    return licence


def states(client, url: str, on: str) -> dict[str, str]:
    response = client.get(url, {"on": on})
    return {
        row.measure.reference: row.state.state for row in response.context["answer"].lookup.measures
    }


def test_dysprosiums_page_shows_no_18_in_force(analyst_client, reference_data):
    page = html(analyst_client, "/elements/Dy/", on="2025-12-15")

    assert "Dysprosium (Dy)" in page and "Atomic number 66" in page
    assert states(analyst_client, "/elements/Dy/", "2025-12-15")[NO18] == "in_force"
    assert NO57 not in page  # No. 57 controls holmium and four others, not dysprosium


def test_holmiums_page_shows_no_57_suspended_by_no_70(analyst_client, reference_data):
    assert states(analyst_client, "/elements/Ho/", "2025-12-15")[NO57] == "suspended"
    assert states(analyst_client, "/elements/ho/", "2025-10-15")[NO57] == "announced"


def test_before_no_18_no_control_on_dysprosium_was_in_force(analyst_client, reference_data):
    response = analyst_client.get("/elements/Dy/", {"on": "2025-04-03"})

    states = {row.state.state for row in response.context["answer"].lookup.measures}
    assert "in_force" not in states
    # The measures over time list them all, whatever the day.
    over_time = {measure.reference for measure in response.context["answer"].measures_over_time}
    assert {NO18, "First general export licences for rare-earth magnets"} <= over_time


def test_the_magnet_codes_page_shows_its_measures_and_the_series_that_measure_it(
    analyst_client, reference_data
):
    response = analyst_client.get("/codes/8505.11/", {"on": "2025-12-15"})

    assert response.status_code == 200
    answer = response.context["answer"]
    assert {row.measure.reference for row in answer.lookup.measures} >= {NO18, NO57}
    assert "gacc-ndfeb-magnets" in {series.code for series in answer.series}
    assert "HS 8505.11" in response.content.decode()


def test_the_day_defaults_to_today(analyst_client):
    ElementFactory()

    response = analyst_client.get("/elements/Dy/")

    assert response.context["on"] == timezone.localdate()


def test_the_licences_that_cover_it_are_counted_and_the_50_ending_soonest_shown(analyst_client):
    element, hs_code = ElementFactory(), HsCodeFactory()
    licences = [covering(element, hs_code, ends_in=days + 1) for days in range(52)]
    today = timezone.localdate()
    LicenceFactory(valid_from=date(2024, 1, 1), valid_until=today - timedelta(days=1))

    for url in ("/elements/Dy/", "/codes/8505.11/"):
        lookup = analyst_client.get(url).context["answer"].lookup
        assert lookup.licences_count == 52
        assert [licence.pk for licence in lookup.licences] == [
            licence.pk for licence in licences[:50]
        ]


def test_the_licences_link_to_the_licence_and_the_exporter(analyst_client):
    element, hs_code = ElementFactory(), HsCodeFactory()
    licence = covering(element, hs_code, ends_in=30, number="GL-1")

    page = html(analyst_client, "/codes/8505.11/")

    assert f'href="/licences/{licence.pk}/"' in page
    assert f'href="/exporters/{licence.exporter_id}/"' in page


def test_a_commodity_code_a_control_item_names_has_a_page(analyst_client, reference_data):
    response = analyst_client.get("/codes/2805301910/", {"on": "2025-04-04"})

    assert response.status_code == 200
    assert {row.measure.reference for row in response.context["answer"].lookup.measures} == {NO18}
    # Before any measure named it, it still has its page: nothing applied then.
    earlier = analyst_client.get("/codes/2805301910/", {"on": "2020-01-01"})
    assert earlier.status_code == 200 and earlier.context["answer"].lookup.measures == []


@pytest.mark.parametrize(
    "url", ["/elements/Xx/", "/elements/Dy/", "/codes/9999.99/", "/codes/abc/", "/codes/12/"]
)
def test_an_unknown_element_or_code_is_a_404(analyst_client, url):
    # No element or code on record at all: Dy too is unknown here.
    assert analyst_client.get(url).status_code == 404


def test_a_stored_hs_code_has_a_page_even_with_nothing_naming_it(analyst_client):
    HsCodeFactory(code="2846.90", description="Other rare-earth compounds")

    page = html(analyst_client, "/codes/2846.90/")

    assert "Other rare-earth compounds" in page and "No measure on record names it." in page


@pytest.mark.parametrize("fixture", ["analyst", "manager", "compliance"])
def test_every_role_reads_the_pages_of_elements_and_codes(request, fixture):
    client = client_for(request.getfixturevalue(fixture))
    ElementFactory(), HsCodeFactory()

    assert client.get("/elements/Dy/").status_code == 200
    assert client.get("/codes/8505.11/").status_code == 200


def test_anonymous_visitors_are_asked_to_log_in(client):
    ElementFactory(), HsCodeFactory()

    assert client.get("/elements/Dy/").status_code == 302
    assert client.get("/codes/8505.11/").status_code == 302


def test_the_pages_make_the_same_queries_at_3_and_30_licences_and_measures(analyst):
    client = client_for(analyst)
    element, hs_code = ElementFactory(), HsCodeFactory()

    def add(numbers: range) -> None:
        for number in numbers:
            covering(element, hs_code, ends_in=number + 1)
            measure = ControlMeasureFactory(effective_from=date(2025, 4, 4) + timedelta(number))
            measure.elements.add(element)
            measure.hs_codes.add(hs_code)

    def queries() -> dict[str, int]:
        counted = {}
        for url in ("/elements/Dy/", "/codes/8505.11/"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counted[url] = len(captured)
        return counted

    add(range(3))
    queries()  # the client's permissions are read once, then cached
    few = queries()
    add(range(3, 30))

    assert queries() == few
    assert ControlMeasure.objects.count() == 30


def test_a_measures_page_links_its_elements_and_codes(analyst_client):
    element, hs_code = ElementFactory(), HsCodeFactory()
    measure = ControlMeasureFactory()
    measure.elements.add(element)
    measure.hs_codes.add(hs_code)

    page = html(analyst_client, f"/control-measures/{measure.pk}/")

    assert 'href="/elements/Dy/"' in page
    assert 'href="/codes/8505.11/"' in page


def test_a_licences_page_links_its_exporter_elements_and_codes(analyst_client):
    element, hs_code = ElementFactory(), HsCodeFactory()
    licence = covering(element, hs_code, ends_in=30)

    page = html(analyst_client, f"/licences/{licence.pk}/")

    assert f'href="/exporters/{licence.exporter_id}/"' in page
    assert 'href="/elements/Dy/"' in page
    assert 'href="/codes/8505.11/"' in page


def test_the_lookup_links_the_element_and_the_code_to_their_pages(analyst_client, reference_data):
    by_element = html(analyst_client, "/controls/lookup/", code="Dy", on="2025-12-15")
    by_code = html(analyst_client, "/controls/lookup/", code="8505111000", on="2025-12-15")

    assert 'href="/elements/Dy/"' in by_element
    assert 'href="/codes/8505.11/"' in by_code
