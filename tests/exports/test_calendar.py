"""The release calendar: what is due when, what is overdue, what awaits its breakdown by
destination, and the alert a week after a release is overdue; with time frozen on days before, in
and after each window."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from dashboards.selectors import series_freshness
from dashboards.services import monthly_summaries_rebuild
from exports.calendar import calendar_of, freshness
from exports.models import Series
from licensing.alerts.models import Alert
from licensing.alerts.services import alerts_raise
from tests.conftest import client_for
from tests.dashboards.test_summaries import import_data_file, import_rows
from tests.factories import UserFactory

GACC = "gacc-rare-earths"
MAGNETS = "gacc-ndfeb-magnets"
COMTRADE = "comtrade-rare-earths-group"
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 1))
OCTOBER = (date(2026, 10, 1), date(2026, 10, 1))


def series(code: str) -> Series:
    return Series(code=code, name=code, source=code.split("-")[0])


def names(dues) -> list[str]:
    return [due.period_name for due in dues]


@pytest.mark.parametrize(
    ("today", "overdue", "not_yet_due", "next_text"),
    [
        # Before November's window: it is not yet due, and it is the next release.
        (date(2026, 12, 1), ["October 2026"], ["November 2026"], "about 7–14 December 2026"),
        (date(2026, 12, 6), ["October 2026"], ["November 2026"], "about 7–14 December 2026"),
        # In the window, on its last day: still due, not overdue.
        (date(2026, 12, 14), ["October 2026"], ["November 2026"], "about 7–14 December 2026"),
        # The day after: November is overdue, December is next (due in January).
        (date(2026, 12, 15), ["October 2026", "November 2026"], [], "about 7–14 January 2027"),
    ],
)
def test_the_headline_is_due_about_the_7th_to_14th_of_the_next_month(
    today, overdue, not_yet_due, next_text
):
    state = freshness(series(GACC), on=today, latest=(date(2026, 9, 1), date(2026, 9, 1)))
    assert names(state.overdue) == overdue
    assert names(state.not_yet_due) == not_yet_due
    assert state.next.when == next_text
    assert state.next.release.name == "headline"


def test_january_and_february_come_together_in_march():
    on_10_february = freshness(
        series(GACC), on=date(2027, 2, 10), latest=(date(2026, 12, 1), date(2026, 12, 1))
    )
    # January has ended but is published with February: nothing is due before March.
    assert on_10_february.unpublished == []
    assert on_10_february.next.text == (
        "January–February 2027's headline is due about 7–14 March 2027"
    )
    on_16_march = freshness(
        series(GACC), on=date(2027, 3, 16), latest=(date(2026, 12, 1), date(2026, 12, 1))
    )
    assert names(on_16_march.overdue) == ["January–February 2027"]
    assert on_16_march.next.text == "March 2027's headline is due about 7–14 April 2027"


def test_magnets_come_with_the_detail_about_the_20th_and_comtrade_two_months_after():
    magnets = freshness(series(MAGNETS), on=date(2026, 12, 19), latest=OCTOBER)
    assert names(magnets.not_yet_due) == ["November 2026"]
    assert magnets.next.text == (
        "November 2026's country and commodity detail is due about 18–22 December 2026"
    )
    assert names(freshness(series(MAGNETS), on=date(2026, 12, 23), latest=OCTOBER).overdue) == [
        "November 2026"
    ]
    comtrade = freshness(series(COMTRADE), on=date(2026, 12, 1), latest=(date(2026, 8, 1),) * 2)
    # September's data comes during November, October's during December.
    assert names(comtrade.overdue) == ["September 2026"]
    assert names(comtrade.not_yet_due) == ["October 2026", "November 2026"]
    assert comtrade.next.text == "October 2026's monthly data is due during December 2026"
    assert calendar_of(series("comtrade-850511")).total.months_after == 2


def test_the_warning_counts_the_releases_missing_since_the_latest_month():
    state = freshness(
        series(GACC), on=date(2026, 12, 1), latest=(date(2026, 1, 1), date(2026, 2, 1))
    )
    assert state.behind_text == (
        "8 releases missing since February 2026: March–October 2026 were due by 14 November 2026."
    )
    # A chart shades them as overdue, and November as not yet published.
    assert state.chart_months[0] == (date(2026, 3, 1), date(2026, 3, 1), True)
    assert state.chart_months[-1] == (*NOVEMBER, False)
    assert freshness(series(GACC), on=date(2026, 12, 1), latest=OCTOBER).behind_text == ""


@pytest.mark.parametrize(
    ("today", "alerted"),
    [
        (date(2026, 11, 21), False),  # October's window ended on 14 November: a week later
        (date(2026, 11, 22), True),  # more than a week overdue
    ],
)
def test_the_alert_waits_a_week_after_the_window(today, alerted):
    state = freshness(series(GACC), on=today, latest=(date(2026, 9, 1), date(2026, 9, 1)))
    assert names(state.overdue) == ["October 2026"]
    assert (state.alert_due is not None) is alerted


@pytest.mark.django_db
class TestFromTheDatabase:
    def test_freshness_reads_the_summaries_and_the_breakdown_awaited(self):
        import_rows(MAGNETS, [("2026-08", 5000), ("2026-09", 5100), ("2026-10", 5200)])
        import_rows(MAGNETS, [("2026-08", 900)], partner="USA")
        monthly_summaries_rebuild()
        (state,) = series_freshness(on=date(2026, 11, 10), codes=[MAGNETS])
        assert state.latest == OCTOBER
        assert state.imported_at is not None
        # The destinations run to August: September and October await theirs.
        assert names(state.awaiting_breakdown) == ["September 2026", "October 2026"]
        assert [due.last < state.on for due in state.awaiting_breakdown] == [True, False]
        assert state.next.period == NOVEMBER

    def test_a_series_held_only_by_destination_is_as_current_as_its_newest_partner(self):
        import_rows(COMTRADE, [("2024-11", 700)], partner="DEU")
        import_rows(COMTRADE, [("2024-12", 800)], partner="USA")
        monthly_summaries_rebuild()
        (state,) = series_freshness(on=date(2025, 1, 20), codes=[COMTRADE])
        assert state.latest == (date(2024, 12, 1), date(2024, 12, 1))
        assert state.imported_at is not None
        assert state.awaiting_breakdown == []

    def test_a_series_without_figures_says_so(self):
        (state,) = series_freshness(on=date(2026, 12, 1), codes=["comtrade-284610"])
        assert state.latest is None and state.next is None and state.overdue == []

    def test_one_alert_per_overdue_release_a_week_after_it(self):
        import_rows(GACC, [("2026-09", 5000)])
        monthly_summaries_rebuild()
        with time_machine.travel(date(2026, 11, 21)):
            assert not Alert.objects.filter(kind=Alert.Kind.RELEASE_OVERDUE).exists()
            alerts_raise(on=timezone.localdate())
            assert not Alert.objects.filter(kind=Alert.Kind.RELEASE_OVERDUE).exists()
        alerts_raise(on=date(2026, 11, 22))
        (alert,) = Alert.objects.filter(kind=Alert.Kind.RELEASE_OVERDUE)
        assert alert.series == GACC
        assert alert.concerns_on == date(2026, 11, 14)
        assert "October 2026's headline was due by 14 November 2026" in alert.message
        # Raised once: the next run raises nothing new; November's is its own alert.
        alerts_raise(on=date(2026, 11, 30))
        assert Alert.objects.filter(kind=Alert.Kind.RELEASE_OVERDUE).count() == 1
        alerts_raise(on=date(2026, 12, 22))
        concerns = Alert.objects.filter(kind=Alert.Kind.RELEASE_OVERDUE).values_list(
            "concerns_on", flat=True
        )
        assert sorted(concerns) == [date(2026, 11, 14), date(2026, 12, 14)]

    @pytest.mark.parametrize(
        ("today", "next_text", "behind"),
        [
            # Before November's window, on its last day, and the day after it.
            (date(2026, 12, 6), "November 2026's headline is due about 7–14 December 2026", 8),
            (date(2026, 12, 14), "November 2026's headline is due about 7–14 December 2026", 8),
            (date(2026, 12, 15), "December 2026's headline is due about 7–14 January 2027", 9),
        ],
    )
    def test_the_pages_say_what_is_next_and_what_is_behind_on_the_day(
        self, today, next_text, behind
    ):
        import_rows(GACC, [("2026-01/2026-02", 10468.3)])
        import_rows(MAGNETS, [("2026-10", 5200)])
        monthly_summaries_rebuild()
        client = client_for(UserFactory(role="Analyst"))
        with time_machine.travel(today):
            overview = client.get("/").content.decode().replace("&#x27;", "'")
            charts = client.get("/charts/", {"series": GACC}).content.decode()
        assert f"Next: {next_text}." in overview
        assert f"{behind} releases missing since February 2026" in overview
        assert f"{behind} releases missing since February 2026" in charts
        # The magnets are current until their November window (18–22 December) has passed.
        magnets = overview[overview.index(f'data-series="{MAGNETS}"') :]
        magnets = magnets[: magnets.index("</article>")]
        assert 'data-freshness="overdue"' not in magnets

    def test_the_hourly_check_raises_the_overdue_alert(self):
        import_rows(GACC, [("2026-09", 5000)])
        monthly_summaries_rebuild()
        with time_machine.travel(date(2026, 11, 22)):
            call_command("raise_alerts", stdout=io.StringIO())
        (alert,) = Alert.objects.filter(kind=Alert.Kind.RELEASE_OVERDUE)
        assert alert.raised_on == date(2026, 11, 22)
        page = client_for(UserFactory(role="Analyst")).get("/alerts/").content.decode()
        assert "is not in RareGate" in page
        assert f"/charts/?series={GACC}" in page

    @time_machine.travel(date(2026, 12, 1))
    def test_the_overview_says_how_current_the_figures_are(self):
        import_data_file("gacc_rare_earths_monthly.csv")
        import_data_file("gacc_ndfeb_magnets_monthly.csv")
        import_data_file("updates_2025-12_to_2026-03.csv")
        monthly_summaries_rebuild()
        page = client_for(UserFactory(role="Manager")).get("/").content.decode()
        assert "The data runs to February 2026 (magnets to March 2026)." in page
        assert (
            "8 releases missing since February 2026: March–October 2026 were due by "
            "14 November 2026." in page
        )
        assert "November 2026&#x27;s headline is due about 7–14 December 2026" in page
        assert "10,468.3 t" in page and "+23.0%" in page
