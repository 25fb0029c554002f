"""The overview and charts pages: what they read, how they embed the figures, what they cost."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards import charts
from dashboards.models import MonthlySummary
from dashboards.services import monthly_summaries_rebuild
from exports.models import Series, YearToDateFigure
from tests.conftest import client_for, empty_cache
from tests.dashboards.test_summaries import import_data_file, import_rows
from tests.factories import (
    ApprovalFactory,
    AutomakerFactory,
    ControlMeasureFactory,
    LicenceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

GACC = "gacc-rare-earths"
COMTRADE = "comtrade-rare-earths-group"
CARD = re.compile(
    r'data-card="(?P<key>\w+)">.*?<p class="stat__value">(?P<value>.*?)</p>\s*'
    r'<p class="stat__note">(?P<note>.*?)</p>\s*<p class="stat__source">(?P<source>.*?)</p>',
    re.S,
)
# What the pages may cost, whatever the number of summaries (see the tests at 10 and 200):
# session, user, two for permissions, role, the alert badge; periods, card (+ the months an
# incomplete year to date lacks), licences expiring (count and the soonest), automakers by status,
# the summary version that keys the cached figures, and the policy events the monthly chart marks
# (measures, licence expiries), read every time; how current the headline and magnets are (the
# series, and for each its latest summary with its batch and the periods awaiting a breakdown);
# the source's own year to date.
OVERVIEW_QUERIES = 20
# + building the figures: the series' name, its summaries, and the year to date's summaries.
OVERVIEW_QUERIES_BUILDING = OVERVIEW_QUERIES + 3
# session, user, two for permissions, role, the alert badge; series, the series' partners, latest
# period, the plotted summaries; the summary version; the policy events (measures, expiries); how
# current the series is (the series, its latest summary with its batch, the periods awaiting a
# breakdown); the source's own year to date.
CHARTS_QUERIES = 17
# Building the figures reads nothing more: the plotted summaries are read for the table anyway.
CHARTS_QUERIES_BUILDING = CHARTS_QUERIES


@pytest.fixture
def gacc():
    batch = import_data_file("gacc_rare_earths_monthly.csv")
    monthly_summaries_rebuild()
    return batch


@pytest.fixture
def comtrade():
    batch = import_data_file("comtrade_rare_earths_by_partner_2017_2024.csv")
    monthly_summaries_rebuild()
    return batch


def html(response) -> str:
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def cards(response) -> dict[str, dict[str, str]]:
    return {match["key"]: match.groupdict() for match in CARD.finditer(html(response))}


def values(response) -> dict[str, str]:
    return {key: card["value"] for key, card in cards(response).items()}


def figure(response, element_id: str) -> dict:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html(response), re.S
    )
    assert match, f"no figure {element_id}"
    return json.loads(match.group(1))


def months_back(count: int, *, last: date) -> list[tuple[str, float]]:
    """`count` single months ending with `last`, each with its own tonnage."""
    rows = []
    index = last.year * 12 + last.month - 1
    for offset in range(count):
        month = index - offset
        rows.append((f"{month // 12}-{month % 12 + 1:02d}", 1000 + offset))
    return rows


# ---- Overview ------------------------------------------------------------------------------


def test_the_overview_reads_december_2025_by_default(gacc, manager_client):
    response = manager_client.get("/")

    assert values(response) == {
        "tonnes": "4,392.1 t",
        "mom": "−20.1%",
        "yoy": "+32.1%",
        "ytd": "62,585.1 t",
        "ytd_yoy": "+12.9%",
    }
    assert "Rare-earth exports, December 2025" in html(response)


def test_the_period_select_shows_november_2025(gacc, manager_client):
    response = manager_client.get("/", {"period": "2025-11"})

    assert values(response) == {
        "tonnes": "5,493.9 t",
        "mom": "+26.5%",
        "yoy": "+24.4%",
        "ytd": "58,193.0 t",
        "ytd_yoy": "+11.7%",
    }
    page = html(response)
    assert '<option value="2025-11" selected>November 2025</option>' in page
    assert '<option value="2025-01">January–February 2025</option>' in page
    assert len(re.findall(r"<option value=\"\d{4}-\d\d\"", page)) == 31


def test_a_figure_that_is_missing_says_why(gacc, analyst_client):
    march = cards(analyst_client.get("/", {"period": "2025-03"}))
    may_2023 = cards(analyst_client.get("/", {"period": "2023-05"}))

    assert march["mom"]["value"] == "n/a"
    assert march["mom"]["note"] == "no MoM: the previous period is a January–February span"
    assert march["yoy"]["value"] == "+20.3%"
    assert may_2023["mom"]["note"] == "no MoM: no figure for April 2023"
    assert may_2023["ytd"]["value"] == "n/a"
    assert may_2023["ytd"]["note"] == "YTD incomplete: lacks January, February, April"
    assert may_2023["ytd_yoy"]["value"] == "n/a"


def test_an_unknown_period_shows_the_latest_and_says_so(gacc, analyst_client):
    response = analyst_client.get("/", {"period": "2019-07"})

    assert values(response)["tonnes"] == "4,392.1 t"
    assert "No figure for “2019-07”" in html(response)


def test_each_card_figure_links_to_its_batch_and_source(gacc, analyst_client):
    december = MonthlySummary.objects.get(
        series__code=GACC, partner="", period_start=date(2025, 12, 1)
    )

    found = cards(analyst_client.get("/"))

    assert len(found) == 5
    for card in found.values():
        assert f'href="/imports/{gacc.pk}/"' in card["source"]
        assert f'href="{december.source_url}"' in card["source"]


def test_a_manager_sees_the_batch_number_without_a_link_they_may_not_follow(gacc, manager_client):
    found = cards(manager_client.get("/"))

    for card in found.values():
        assert "/imports/" not in card["source"]
        assert f"import {gacc.pk}" in card["source"]


def test_the_overview_counts_licences_expiring_and_automakers_by_status(analyst_client):
    today = timezone.localdate()
    soon = LicenceFactory(
        issued_on=today - timedelta(days=100),
        valid_from=today - timedelta(days=100),
        valid_until=today + timedelta(days=10),
    )
    LicenceFactory(
        issued_on=today - timedelta(days=100),
        valid_from=today - timedelta(days=100),
        valid_until=today + timedelta(days=90),
    )
    ApprovalFactory(licence=soon, exporter=soon.exporter)
    AutomakerFactory()

    page = html(analyst_client.get("/"))

    expiring = page[page.index('data-panel="expiring"') : page.index('data-panel="automakers"')]
    assert '<p class="panel__count">1</p>' in expiring
    assert f'href="/licences/{soon.pk}/"' in expiring
    assert "in 10 days" in expiring
    assert 'href="/licences/?expiring_within=30"' in expiring

    def count(status: str) -> str:
        match = re.search(
            rf'href="/automakers/\?status={status}" data-status="{status}">.*?'
            r'status-counts__count">(\d+)<',
            page,
            re.S,
        )
        return match.group(1)

    assert count("expiring") == "1"
    assert count("no_information") == "1"
    assert count("covered") == "0"


def test_the_overview_lists_the_ten_soonest_expiring_licences_and_counts_them_all(analyst_client):
    today = timezone.localdate()
    licences = [
        LicenceFactory(
            issued_on=today - timedelta(days=100),
            valid_from=today - timedelta(days=100),
            valid_until=today + timedelta(days=days),
        )
        for days in range(12, 0, -1)
    ]

    page = html(analyst_client.get("/"))

    expiring = page[page.index('data-panel="expiring"') : page.index('data-panel="automakers"')]
    assert '<p class="panel__count">12</p>' in expiring
    assert "The 10 soonest of 12." in expiring
    listed = re.findall(r'href="/licences/(\d+)/"', expiring)
    assert listed == [str(licence.pk) for licence in reversed(licences)][:10]
    assert "All 12 licences expiring within 30 days" in expiring


def test_the_overview_without_figures_says_so(analyst_client):
    page = html(analyst_client.get("/"))

    assert "No monthly figures yet" in page
    assert "data-figure" not in page


# ---- Figures: embedded as data, drawn by a static script, cached ---------------------------


def test_figures_are_embedded_as_json_data_and_drawn_by_a_static_script(gacc, analyst_client):
    page = html(analyst_client.get("/"))

    for attributes in re.findall(r"<script\b([^>]*)>", page):
        assert 'src="' in attributes or 'type="application/json"' in attributes, attributes
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", page), "no inline event handlers"
    assert '<script src="/static/plotly/plotly.min.js" defer></script>' in page
    assert '<script src="/static/js/charts.js" defer></script>' in page
    assert 'data-figure="figure-monthly"' in page
    assert 'data-figure="figure-year-to-date"' in page
    assert 'data-topojson-url="/static/plotly/topojson/"' in page
    assert "cdn." not in page.lower()


def test_plotly_and_the_world_map_are_static_files_of_our_own():
    assert finders.find("plotly/plotly.min.js"), "add plotly's package_data to STATICFILES_DIRS"
    assert finders.find("plotly/topojson/world_110m.json")
    assert finders.find("plotly/topojson/LICENSE")
    assert finders.find("js/charts.js")


def test_the_monthly_figure_shows_the_last_36_months_with_spans_and_events(gacc, analyst_client):
    ControlMeasureFactory(reference="Announcement No. 18 of 2025", effective_from=date(2025, 4, 4))

    response = analyst_client.get("/")
    monthly = figure(response, "figure-monthly")
    year_to_date = figure(response, "figure-year-to-date")

    bars = monthly["data"][0]
    assert bars["type"] == "bar"
    assert len(bars["y"]) == 31  # March 2023 to December 2025: every period is within 36 months
    assert "Jan–Feb 2025" in bars["text"]
    [badge] = [n for n in monthly["layout"]["annotations"] if "No. 18" in n.get("hovertext", "")]
    # A numbered badge on the plot, the same number in the legend under it with the words.
    assert badge["text"].isdigit()
    legend = re.search(
        rf'data-event="{badge["text"]}" data-kind="measure">(.*?)</li>', html(response), re.S
    )
    assert legend and "4 Apr 2025" in legend.group(1) and "No. 18 in force" in legend.group(1)
    assert [trace["name"] for trace in year_to_date["data"]] == ["2025", "2024"]


def test_the_monthly_figure_stops_at_36_months(analyst_client):
    import_rows(GACC, months_back(60, last=date(2025, 10, 1)))
    monthly_summaries_rebuild()

    monthly = figure(analyst_client.get("/"), "figure-monthly")

    assert len(monthly["data"][0]["y"]) == 36


def test_a_figure_is_built_once_then_served_from_the_cache_until_a_rebuild(
    gacc, analyst_client, django_capture_on_commit_callbacks
):
    with patch("dashboards.charts.monthly_bars", wraps=charts.monthly_bars) as built:
        first = figure(analyst_client.get("/"), "figure-monthly")
        second = figure(analyst_client.get("/", {"period": "2025-12"}), "figure-monthly")
        assert built.call_count == 1
        assert first == second

        # Another period is another chart (it ends there), built once too.
        figure(analyst_client.get("/", {"period": "2025-11"}), "figure-monthly")
        figure(analyst_client.get("/", {"period": "2025-11"}), "figure-monthly")
        assert built.call_count == 2

        with django_capture_on_commit_callbacks(execute=True):
            monthly_summaries_rebuild()
        figure(analyst_client.get("/"), "figure-monthly")

        assert built.call_count == 3


def test_a_licensing_change_shows_on_the_cached_overview_at_once(
    gacc, analyst_client, django_capture_on_commit_callbacks
):
    from licensing.models import Approval, Automaker
    from licensing.services import approval_record

    toyota = Automaker.objects.create(name="Toyota Motor Corp.", country="JPN")
    before = html(analyst_client.get("/"))
    assert "automakers" in before

    with django_capture_on_commit_callbacks(execute=True):
        approval_record(
            automaker=toyota,
            status=Approval.Status.PENDING,
            evidence_grade=Approval.EvidenceGrade.NEWS_REPORT,
            claimed_on=date(2026, 11, 20),
            statement="Applied.",
            source_url="https://example.org/toyota",
        )

    def pending(page: str) -> str:
        found = re.search(r'data-status="pending">.*?status-counts__count">(\d+)<', page, re.S)
        return found.group(1)

    assert pending(before) == "0"
    assert pending(html(analyst_client.get("/"))) == "1"


# ---- Charts page ---------------------------------------------------------------------------


def test_the_charts_page_draws_the_headline_series_by_default(gacc, analyst_client):
    response = analyst_client.get("/charts/")

    page = html(response)
    assert len(re.findall(r'<tr data-period="', page)) == 31
    assert len(figure(response, "figure-monthly")["data"][0]["y"]) == 31
    assert "figure-destinations" not in page


def test_the_charts_page_draws_a_partner_series_by_destination(comtrade, analyst_client):
    response = analyst_client.get("/charts/", {"series": COMTRADE})

    page = html(response)
    assert '<option value="DEU">Germany (DEU)</option>' in page
    destinations = figure(response, "figure-destinations")
    world = figure(response, "figure-destination-map")["data"][0]
    assert len(destinations["data"]) == 8
    assert destinations["layout"]["barmode"] == "stack"
    assert world["type"] == "choropleth"
    assert world["locationmode"] == "ISO-3"
    assert sorted(world["locations"]) == ["DEU", "ITA", "JPN", "KOR", "THA", "TWN", "USA", "VNM"]
    assert "no totals to all destinations" in page


def test_the_charts_page_draws_one_partner_over_a_range(comtrade, analyst_client):
    response = analyst_client.get(
        "/charts/", {"series": COMTRADE, "partner": "DEU", "start": "2023-01", "end": "2024-12"}
    )

    page = html(response)
    assert len(re.findall(r'<tr data-period="', page)) == 24
    assert len(figure(response, "figure-monthly")["data"][0]["y"]) == 24
    assert "Germany" in figure(response, "figure-monthly")["layout"]["title"]["text"]
    assert f'href="/imports/{comtrade.pk}/"' in page


def test_the_charts_page_refuses_a_partner_the_series_does_not_have(gacc, analyst_client):
    response = analyst_client.get("/charts/", {"series": GACC, "partner": "DEU"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_charts_page_refuses_a_range_that_ends_before_it_starts(gacc, analyst_client):
    response = analyst_client.get("/charts/", {"start": "2025-06", "end": "2025-01"})

    assert response.status_code == 400
    assert "cannot be before" in response.content.decode()


def test_the_table_lists_the_plotted_numbers_with_their_batch_and_source(gacc, analyst_client):
    page = html(analyst_client.get("/charts/", {"start": "2025-11", "end": "2025-12"}))

    row = page[page.index('<tr data-period="2025-12">') :]
    row = row[: row.index("</tr>")]
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    ]
    assert cells[:7] == [
        "Dec 2025",
        "4,392.1 t",
        "450",  # 4.5 CNY 100 million, in the series' one unit
        "−20.1%",
        "+32.1%",
        "62,585.1 t",
        "+12.9%",
    ]
    assert '<th scope="col" class="num">Value (CNY million)</th>' in page
    assert f'href="/imports/{gacc.pk}/"' in row
    assert 'href="https://' in row


def test_the_csv_holds_exactly_the_plotted_numbers(gacc, analyst_client):
    query = {"series": GACC, "start": "2025-01", "end": "2025-12"}

    response = analyst_client.get("/charts/", {**query, "format": "csv"})
    page = html(analyst_client.get("/charts/", query))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="raregate_gacc-rare-earths_all_2025-01_2025-12_to-2025-12.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["period"] for row in rows] == re.findall(r'<tr data-period="([^"]+)"', page)
    assert len(rows) == 11
    december = rows[-1]
    assert december == {
        "series": GACC,
        "partner": "",
        "period": "2025-12",
        "period_start": "2025-12-01",
        "period_end": "2025-12-01",
        "tonnes": "4392.100",
        "value": "450.000",  # 4.5 CNY 100 million in the series' one unit
        "value_unit": "CNY_1M",
        "mom_pct": "-20.1",  # a number, not text: no apostrophe before the minus
        "yoy_pct": "32.1",
        "ytd_tonnes": "62585.100",
        "ytd_complete": "true",
        "ytd_yoy_pct": "12.9",
        "batch": str(gacc.pk),
        "source_url": december["source_url"],
    }
    assert december["source_url"].startswith("https://")
    assert rows[0]["period"] == "2025-01/2025-02"
    assert rows[0]["mom_pct"] == ""


def test_the_csv_neutralises_text_a_spreadsheet_would_run(gacc, analyst_client):
    MonthlySummary.objects.filter(period_start=date(2025, 12, 1)).update(source_url="@SUM(A1)")

    response = analyst_client.get("/charts/", {"start": "2025-12", "format": "csv"})

    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row["source_url"] == "'@SUM(A1)"
    assert row["mom_pct"] == "-20.1"


# ---- A fixed number of queries, whatever the data size -------------------------------------


@pytest.mark.parametrize("months", [10, 200])
def test_the_pages_make_a_fixed_number_of_queries(
    months, analyst_client, django_assert_max_num_queries
):
    import_rows(GACC, months_back(months, last=date(2025, 10, 1)))
    monthly_summaries_rebuild()
    assert MonthlySummary.objects.count() == months

    with django_assert_max_num_queries(OVERVIEW_QUERIES_BUILDING):
        html(analyst_client.get("/"))
    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        html(analyst_client.get("/"))
    with django_assert_max_num_queries(CHARTS_QUERIES_BUILDING):
        html(analyst_client.get("/charts/"))
    with django_assert_max_num_queries(CHARTS_QUERIES):
        html(analyst_client.get("/charts/"))
    with django_assert_max_num_queries(CHARTS_QUERIES):
        analyst_client.get("/charts/", {"format": "csv"})


def test_the_pages_make_the_same_queries_at_10_and_200_summaries(analyst_client):
    def counts() -> dict[str, int]:
        empty_cache()
        found = {}
        for name, url in [
            ("overview, building", "/"),
            ("overview", "/"),
            ("charts, building", "/charts/"),
            ("charts", "/charts/"),
            ("csv", "/charts/?format=csv"),
        ]:
            with CaptureQueriesContext(connection) as queries:
                assert analyst_client.get(url).status_code == 200
            found[name] = len(queries)
        return found

    import_rows(GACC, months_back(10, last=date(2025, 10, 1)))
    monthly_summaries_rebuild()
    small = counts()
    import_rows(GACC, months_back(200, last=date(2025, 10, 1))[10:])
    monthly_summaries_rebuild()
    assert MonthlySummary.objects.count() == 200

    assert counts() == small


# ---- Who may see the pages -----------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/charts/", "/charts/?format=csv"])
@pytest.mark.parametrize("role", ["manager", "analyst", "compliance"])
def test_each_role_sees_the_dashboards(url, role, gacc, request):
    client = client_for(request.getfixturevalue(role))

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/", "/charts/", "/charts/?format=csv"])
def test_an_anonymous_visitor_is_sent_to_log_in(url):
    response = Client().get(url)

    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_a_user_without_a_role_is_sent_from_home_to_the_automakers():
    client = client_for(UserFactory(username="nobody"))

    assert client.get("/").url == "/automakers/"
    assert client.get("/charts/").status_code == 403


def test_the_navigation_links_to_the_overview_and_charts(manager_client):
    page = html(manager_client.get("/charts/"))

    assert '<a href="/">Overview</a>' in page
    assert '<a href="/charts/" aria-current="page">Charts</a>' in page


# ---- The source's own year to date -----------------------------------------------------------


def published(batch, through_month: int, tonnes: str, year: int = 2025) -> None:
    YearToDateFigure.objects.create(
        series=Series.objects.get(code=GACC),
        year=year,
        through_month=through_month,
        tonnes=Decimal(tonnes),
        batch=batch,
    )


def test_the_year_to_date_as_published_is_shown_beside_the_sum_and_flagged_past_a_tenth(
    gacc, analyst_client
):
    # December 2025: the months sum to 62,585.1 t.
    published(gacc, 12, "62585.1")
    published(gacc, 11, "60000.0")  # November's sum is 58,193.0 t: 3.0% less

    overview = html(analyst_client.get("/", {"period": "2025-12"}))
    card = {match["key"]: match for match in CARD.finditer(overview)}
    assert "as published: 62,585.1 t" in card["ytd"]["note"]
    assert 'data-flag="ytd"' not in overview

    november = html(analyst_client.get("/", {"period": "2025-11"}))
    assert "as published: 60,000.0 t" in november
    assert 'data-flag="ytd">the months sum to 3.0% less than published</p>' in november

    table = html(analyst_client.get("/charts/", {"start": "2025-11", "end": "2025-12"}))
    assert "Year to date as published" in table
    row = table[table.index('<tr data-period="2025-11">') :]
    assert "60,000.0 t" in row[: row.index("</tr>")]
    assert "the months sum to 3.0% less than published" in row[: row.index("</tr>")]


def test_a_difference_within_a_tenth_of_a_percent_is_not_flagged(gacc, analyst_client):
    published(gacc, 12, "62600.0")  # the sum, 62,585.1 t, is 0.02% less

    overview = html(analyst_client.get("/", {"period": "2025-12"}))

    assert "as published: 62,600.0 t" in overview
    assert 'data-flag="ytd"' not in overview


# ---- Charts people can read (issue 16) -----------------------------------------------------

MAGNETS = "gacc-ndfeb-magnets"


@pytest.fixture
def magnets():
    batch = import_data_file("gacc_ndfeb_magnets_monthly.csv")
    monthly_summaries_rebuild()
    return batch


def test_december_2025_magnets_stack_up_to_the_5952_t_exported(magnets, analyst_client):
    response = analyst_client.get("/charts/", {"series": MAGNETS})

    stacked = figure(response, "figure-destinations")["data"]
    december = {
        trace["name"]: dict(zip(trace["x"], trace["y"], strict=True)).get("2025-12-01", 0)
        for trace in stacked
    }
    assert december["JPN"] + december["USA"] == 844.0
    assert december[charts.NOT_REPORTED] == 5952.0 - 844.0
    assert sum(december.values()) == 5952.0


def test_the_partner_menu_lists_only_the_partners_of_the_chosen_series(
    gacc, magnets, analyst_client
):
    headline = html(analyst_client.get("/charts/"))
    magnet_page = html(analyst_client.get("/charts/", {"series": MAGNETS}))

    def partners(page: str) -> list[str]:
        menu = re.search(r'<select name="partner"[^>]*>(.*?)</select>', page, re.S).group(1)
        return re.findall(r'<option value="([^"]*)"', menu)

    assert partners(headline) == [""]
    assert partners(magnet_page) == ["", "DEU", "JPN", "KOR", "USA", "VNM"]


def test_the_page_gives_its_script_the_partners_of_another_series_as_json(magnets, analyst_client):
    answer = analyst_client.get("/charts/", {"format": "partners", "series": MAGNETS})
    unknown = analyst_client.get("/charts/", {"format": "partners", "series": "nope"})

    assert answer.json()["series"] == MAGNETS
    partners = answer.json()["partners"]
    assert partners[:2] == [["", "All destinations"], ["DEU", "Germany (DEU)"]]
    assert [code for code, _ in partners] == ["", "DEU", "JPN", "KOR", "USA", "VNM"]
    assert unknown.status_code == 404
    page = html(analyst_client.get("/charts/"))
    assert '<script src="/static/js/chart-choices.js" defer></script>' in page
    assert finders.find("js/chart-choices.js")
    assert "data-series-menu" in page and "data-partner-menu" in page


def test_series_without_figures_are_marked_as_such_in_the_menu(gacc, analyst_client):
    page = html(analyst_client.get("/charts/"))

    menu = re.search(r'<select name="series"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', menu))
    assert "no figures yet" not in options[GACC]
    empty = [code for code in options if code != GACC]
    assert empty, "the migrations make more series than the one imported"
    assert all(options[code].endswith("— no figures yet") for code in empty)


def test_several_partners_are_drawn_on_one_chart_and_tabled(magnets, analyst_client):
    response = analyst_client.get("/charts/?series=gacc-ndfeb-magnets&partner=JPN&partner=USA")

    monthly = figure(response, "figure-monthly")
    assert [trace["name"] for trace in monthly["data"]] == ["Japan", "United States"]
    assert {trace["type"] for trace in monthly["data"]} == {"scatter"}
    page = html(response)
    assert re.findall(r'<tr data-period="2025-12" data-partner="(\w+)"', page) == ["JPN", "USA"]
    rows = list(
        csv.DictReader(
            io.StringIO(
                analyst_client.get(
                    "/charts/?series=gacc-ndfeb-magnets&partner=JPN&partner=USA&format=csv"
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert {row["partner"] for row in rows} == {"JPN", "USA"}


def test_value_and_value_per_tonne_are_plotted_in_the_series_one_unit(analyst_client):
    lines = [
        f"{GACC},2025-10,,2000,3.497,CNY_100M,https://example.org/a\n",
        f"{GACC},2025-11,,1000,150,CNY_10K,https://example.org/b\n",
    ]
    from tests.dashboards.test_summaries import HEADER, import_bytes

    import_bytes((HEADER + "".join(lines)).encode(), "valued.csv")
    monthly_summaries_rebuild()
    unit = Series.objects.get(code=GACC).value_unit

    value = figure(analyst_client.get("/charts/", {"measure": "value"}), "figure-monthly")
    per_tonne = figure(analyst_client.get("/charts/", {"measure": "unit_value"}), "figure-monthly")

    assert unit == "CNY_1M"
    assert value["data"][0]["y"] == [pytest.approx(349.7), pytest.approx(1.5)]
    assert value["layout"]["yaxis"]["title"]["text"] == "CNY million"
    assert per_tonne["data"][0]["y"] == [pytest.approx(174_850.0), pytest.approx(1_500.0)]
    page = html(analyst_client.get("/charts/", {"measure": "value"}))
    assert "CNY_1M" not in page and "CNY_100M" not in page


def test_the_overviews_period_picker_moves_its_charts(gacc, analyst_client):
    latest = analyst_client.get("/")
    chosen = analyst_client.get("/", {"period": "2024-06"})

    latest_bars = figure(latest, "figure-monthly")["data"][0]
    chosen_bars = figure(chosen, "figure-monthly")["data"][0]
    assert max(latest_bars["x"]) == "2025-12-15"
    assert max(chosen_bars["x"]) == "2024-06-15"
    assert [t["name"] for t in figure(chosen, "figure-year-to-date")["data"]] == ["2024", "2023"]
    assert [t["name"] for t in figure(latest, "figure-year-to-date")["data"]] == ["2025", "2024"]


def test_the_legend_lists_the_events_and_bands_and_links_the_measures(
    gacc, analyst_client, reference_data
):
    page = html(analyst_client.get("/", {"period": "2025-12"}))
    monthly = figure(analyst_client.get("/"), "figure-monthly")

    numbers = [n["text"] for n in monthly["layout"]["annotations"] if n["text"].isdigit()]
    assert numbers == [str(number) for number in range(1, len(numbers) + 1)]
    assert re.findall(r'<li class="chart-events__item" data-event="(\d+)"', page) == numbers
    assert re.search(r'data-event="\d+"[^>]*>.*?href="/control-measures/\d+/"', page, re.S)
    assert "data-band" in page
    assert any(
        s["type"] == "rect" and s.get("name") == "suspension" for s in monthly["layout"]["shapes"]
    )


def test_the_figures_carry_the_source_the_data_date_and_raregate(gacc, analyst_client):
    response = analyst_client.get("/")

    for element_id in ("figure-monthly", "figure-year-to-date"):
        subtitle = figure(response, element_id)["layout"]["title"]["subtitle"]["text"]
        assert subtitle == "Source: China customs (GACC) · data to Dec 2025 · RareGate"
