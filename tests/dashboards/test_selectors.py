"""The dashboards' reads of the summaries by destination, summed by the database."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboards.selectors import destination_latest, destination_stack
from dashboards.services import monthly_summaries_rebuild
from tests.dashboards.test_summaries import import_rows

pytestmark = pytest.mark.django_db

MAGNETS = "gacc-ndfeb-magnets"
OCTOBER, NOVEMBER, DECEMBER = date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)


@pytest.fixture
def by_destination():
    """October to December 2025 to five partners, and the total to all destinations."""
    tonnes = {
        "JPN": [100.0, 1.0, 2.0],
        "USA": [1.0, 60.0, 3.0],
        "KOR": [0.0, 70.0, 4.0],
        "DEU": [5.0, 7.0, 8.0],
        "VNM": [2.0, 3.0, 9.0],
    }
    months = ["2025-10", "2025-11", "2025-12"]
    for partner, values in tonnes.items():
        import_rows(MAGNETS, list(zip(months, values, strict=True)), partner=partner)
    import_rows(MAGNETS, list(zip(months, [999.0] * 3, strict=True)))
    monthly_summaries_rebuild()


def stacked(**choice) -> dict[tuple[date, str | None], float]:
    frame = destination_stack(series=MAGNETS, **choice)
    return {
        (start, None if pd.isna(partner) else partner): tonnes
        for start, partner, tonnes in zip(
            frame["period_start"], frame["partner"], frame["tonnes"], strict=True
        )
    }


def test_the_stack_keeps_the_leading_partners_by_total_and_sums_the_rest(by_destination):
    rows = stacked(top=2)

    # Totals: JPN 103, KOR 74, USA 64, DEU 20, VNM 14; the all-destinations total comes as "",
    # not as a partner, so that a chart can show what no partner accounts for.
    assert {partner for _, partner in rows} == {"JPN", "KOR", None, ""}
    assert rows[(DECEMBER, "")] == 999.0
    assert rows[(OCTOBER, None)] == 1.0 + 5.0 + 2.0
    assert rows[(NOVEMBER, None)] == 60.0 + 7.0 + 3.0
    assert rows[(DECEMBER, "KOR")] == 4.0


def test_the_leaders_are_those_of_the_range_chosen(by_destination):
    rows = stacked(top=1, start=DECEMBER)

    assert set(rows) == {(DECEMBER, "VNM"), (DECEMBER, None), (DECEMBER, "")}
    assert rows[(DECEMBER, None)] == 2.0 + 3.0 + 4.0 + 8.0


def test_with_every_partner_leading_nothing_is_summed(by_destination):
    assert None not in {partner for _, partner in stacked(top=8)}


def test_the_map_reads_every_partner_of_the_latest_period_in_the_range(by_destination):
    latest = destination_latest(series=MAGNETS, end=NOVEMBER)

    assert set(latest["period_start"]) == {NOVEMBER}
    assert dict(zip(latest["partner"], latest["tonnes"], strict=True)) == {
        "DEU": 7.0,
        "JPN": 1.0,
        "KOR": 70.0,
        "USA": 60.0,
        "VNM": 3.0,
    }


def test_a_series_with_no_partners_reads_empty(by_destination):
    assert destination_stack(series="gacc-rare-earths").empty
    assert destination_latest(series="gacc-rare-earths").empty
