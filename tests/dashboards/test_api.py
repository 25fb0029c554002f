"""The summaries and series endpoints: filters, pages, who may read them, what they cost."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from rest_framework.test import APIClient

from dashboards.models import MonthlySummary
from dashboards.services import monthly_summaries_rebuild
from tests.conftest import user_with_role
from tests.dashboards.test_summaries import import_data_file, import_rows
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SUMMARIES = "/api/v1/summaries/"
SERIES = "/api/v1/series/"
GACC = "gacc-rare-earths"
COMTRADE = "comtrade-rare-earths-group"
# Session, user, the user's permissions (two reads), count, page.
SUMMARIES_QUERIES = 7


@pytest.fixture
def data():
    gacc = import_data_file("gacc_rare_earths_monthly.csv")
    comtrade = import_data_file("comtrade_rare_earths_by_partner_2017_2024.csv")
    monthly_summaries_rebuild()
    return {"gacc": gacc, "comtrade": comtrade}


@pytest.fixture
def api(analyst) -> APIClient:
    client = APIClient()
    client.force_authenticate(analyst)
    return client


def periods(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [row["period"] for row in response.json()["results"]]


def test_a_summary_carries_its_comparisons_batch_and_source(data, api):
    response = api.get(
        SUMMARIES,
        {"series": GACC, "partner": "world", "period_from": "2025-11", "period_to": "2025-11"},
    )

    (november,) = response.json()["results"]
    record = MonthlySummary.objects.get(series__code=GACC, period_start=date(2025, 11, 1))
    assert november == {
        "series": GACC,
        "partner": "",
        "period": "2025-11",
        "period_start": "2025-11-01",
        "period_end": "2025-11-01",
        "tonnes": "5493.873",
        "value": "3.497",
        "value_unit": "CNY_100M",
        "mom_pct": pytest.approx(26.49, abs=0.01),
        "yoy_pct": pytest.approx(24.41, abs=0.01),
        "ytd_tonnes": "58193.000",
        "ytd_complete": True,
        "ytd_yoy_pct": pytest.approx(11.68, abs=0.01),
        "batch": data["gacc"].pk,
        "record": record.record_id,
        "source_url": record.source_url,
    }


def test_it_filters_by_series_and_period_range(data, api):
    response = api.get(
        SUMMARIES, {"series": GACC, "period_from": "2025-01", "period_to": "2025-04"}
    )

    # The January–February span ends in February, so a range from January includes it.
    assert periods(response) == ["2025-01/2025-02", "2025-03", "2025-04"]


def test_a_range_starting_in_february_still_includes_the_span_that_ends_there(data, api):
    response = api.get(
        SUMMARIES, {"series": GACC, "period_from": "2025-02", "period_to": "2025-03"}
    )

    assert periods(response) == ["2025-01/2025-02", "2025-03"]


def test_it_filters_by_partner(data, api):
    germany = api.get(SUMMARIES, {"series": COMTRADE, "partner": "deu", "period_from": "2024-11"})
    totals = api.get(SUMMARIES, {"partner": "world", "period_from": "2025-12"})

    assert periods(germany) == ["2024-11", "2024-12"]
    assert {row["partner"] for row in germany.json()["results"]} == {"DEU"}
    assert [(row["series"], row["partner"]) for row in totals.json()["results"]] == [(GACC, "")]


def test_without_filters_it_lists_every_summary_a_page_at_a_time(data, api):
    first = api.get(SUMMARIES).json()
    second = api.get(first["next"]).json()

    assert first["count"] == MonthlySummary.objects.count() == 768 + 31
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert second["results"][0] != first["results"][0]
    # Ordered by series (as registered: GACC's first), partner and period.
    assert [row["series"] for row in first["results"]] == [GACC] * 31 + [COMTRADE] * 19
    assert first["results"][0]["period"] == "2023-03"
    assert first["results"][31]["period"] == "2017-01"


@pytest.mark.parametrize("month", ["2025-13", "2025", "November 2025", "2025-11-01"])
def test_it_refuses_a_month_not_written_yyyy_mm(data, api, month):
    response = api.get(SUMMARIES, {"period_from": month})

    assert response.status_code == 400
    assert "period_from" in response.json()


def test_it_lists_the_series_and_shows_one_by_code(data, api):
    listed = api.get(SERIES).json()
    one = api.get(f"{SERIES}{GACC}/").json()

    assert GACC in [row["code"] for row in listed["results"]]
    assert one["code"] == GACC
    assert one["source"] == "gacc"
    assert one["hs_codes"] == ["2805.30", "2846.10", "2846.90"]
    assert one["url"].endswith(f"{SERIES}{GACC}/")
    assert api.get(f"{SERIES}no-such-series/").status_code == 404


@time_machine.travel(date(2026, 12, 1))
def test_one_series_says_how_current_it_is_by_its_calendar(data, api):
    one = api.get(f"{SERIES}{GACC}/").json()

    assert one["value_unit"] == "CNY_1M"
    freshness = one["freshness"]
    assert freshness["on"] == "2026-12-01"
    assert freshness["latest"] == "2025-12"
    assert freshness["imported_at"] is not None
    # January–February 2026 to October 2026: nine releases, past their windows.
    assert [due["period"] for due in freshness["overdue"]][:2] == ["2026-01/2026-02", "2026-03"]
    assert len(freshness["overdue"]) == 9
    assert freshness["overdue"][-1]["due_by"] == "2026-11-14"
    assert freshness["next"] == {
        "period": "2026-11",
        "release": "headline",
        "due_from": "2026-12-07",
        "due_by": "2026-12-14",
        "text": "November 2026's headline is due about 7–14 December 2026",
    }
    assert freshness["behind"].startswith("9 releases missing since December 2025")
    assert "freshness" not in api.get(SERIES).json()["results"][0]


@pytest.mark.parametrize("url", [SUMMARIES, SERIES, f"{SERIES}{GACC}/"])
def test_an_anonymous_caller_gets_401(url):
    assert APIClient().get(url).status_code == 401


@pytest.mark.parametrize("url", [SUMMARIES, SERIES, f"{SERIES}{GACC}/"])
def test_a_user_without_a_role_gets_403(url):
    client = APIClient()
    client.force_authenticate(UserFactory(username="nobody"))

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [SUMMARIES, SERIES, f"{SERIES}{GACC}/"])
@pytest.mark.parametrize("role", ["Analyst", "Compliance", "Manager"])
def test_each_role_may_read(url, role, data):
    client = APIClient()
    client.force_authenticate(user_with_role(role.lower(), role))

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_endpoints_are_read_only(method, data):
    client = APIClient()
    client.force_authenticate(UserFactory(username="root", is_superuser=True))

    assert getattr(client, method)(SUMMARIES, {}).status_code == 405
    assert getattr(client, method)(f"{SERIES}{GACC}/", {}).status_code == 405


@pytest.mark.parametrize("months", [10, 200])
def test_the_summaries_endpoint_makes_a_fixed_number_of_queries(
    months, analyst, django_assert_max_num_queries
):
    rows = []
    for offset in range(months):
        index = 2025 * 12 + 9 - offset
        rows.append((f"{index // 12}-{index % 12 + 1:02d}", 100 + offset))
    import_rows(GACC, rows)
    monthly_summaries_rebuild()
    client = APIClient()
    client.force_login(analyst)

    with django_assert_max_num_queries(SUMMARIES_QUERIES):
        response = client.get(SUMMARIES, {"series": GACC})

    assert response.json()["count"] == months
