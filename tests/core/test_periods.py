"""Months and periods: the one module every app counts, parses and names them with."""

from __future__ import annotations

from datetime import date

import pytest

from core.periods import (
    a_year_before,
    add_months,
    month_at,
    month_code,
    month_end,
    month_index,
    month_name,
    months_spanned,
    months_uncovered,
    name_of_month,
    parse_month,
    period_label,
    period_name,
    year_to_date_name,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 11, 1), 1, date(2025, 12, 1)),
        (date(2025, 12, 1), 1, date(2026, 1, 1)),
        (date(2026, 1, 1), -1, date(2025, 12, 1)),
        (date(2025, 11, 1), -35, date(2022, 12, 1)),
        (date(2025, 11, 20), 0, date(2025, 11, 1)),
    ],
)
def test_it_adds_and_takes_months_across_years(day, months, expected):
    assert add_months(day, months) == expected


def test_a_month_index_counts_consecutive_months_and_comes_back_to_the_month():
    assert month_index(date(2026, 1, 1)) - month_index(date(2025, 12, 1)) == 1
    assert month_at(month_index(date(2025, 2, 1))) == date(2025, 2, 1)


def test_it_counts_the_months_a_period_covers_both_ends_included():
    assert months_spanned(date(2025, 1, 1), date(2025, 2, 1)) == 2
    assert months_spanned(date(2025, 3, 1), date(2025, 3, 1)) == 1
    assert months_spanned(date(2024, 12, 1), date(2025, 1, 1)) == 2


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (date(2025, 2, 1), date(2025, 2, 28)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2025, 12, 1), date(2025, 12, 31)),
        (date(2025, 4, 30), date(2025, 4, 30)),
    ],
)
def test_it_finds_the_last_day_of_a_month(day, end):
    assert month_end(day) == end


def test_a_year_before_is_the_same_month():
    assert a_year_before(date(2026, 1, 1)) == date(2025, 1, 1)


def test_it_writes_and_reads_months_as_yyyy_mm():
    assert month_code(date(2025, 1, 1)) == "2025-01"
    assert month_code(None) == ""
    assert parse_month("2025-11") == date(2025, 11, 1)
    assert parse_month("2025-13") is None
    assert parse_month("November") is None


def test_a_period_label_is_a_month_or_a_span():
    assert period_label(date(2025, 11, 1), date(2025, 11, 1)) == "2025-11"
    assert period_label(date(2025, 1, 1), date(2025, 2, 1)) == "2025-01/2025-02"


def test_it_names_months_and_periods_in_words():
    assert name_of_month(3) == "March"
    assert month_name(date(2025, 12, 1)) == "December 2025"
    assert period_name(date(2025, 12, 1), date(2025, 12, 1)) == "December 2025"
    assert period_name(date(2026, 1, 1), date(2026, 2, 1)) == "January–February 2026"
    assert period_name(date(2025, 12, 1), date(2026, 1, 1)) == "December 2025–January 2026"
    assert period_name(date(2026, 1, 1), date(2026, 2, 1), short=True) == "Jan–Feb 2026"
    assert period_name(date(2025, 12, 1), date(2026, 1, 1), short=True) == "Dec 2025–Jan 2026"


def test_it_names_a_year_to_date():
    assert year_to_date_name(date(2026, 1, 1)) == "January 2026"
    assert year_to_date_name(date(2025, 11, 1)) == "January–November 2025"
    assert year_to_date_name(date(2025, 11, 1), short=True) == "Jan–Nov 2025"
    assert year_to_date_name(date(2026, 1, 1), short=True) == "Jan 2026"


def test_it_names_the_months_of_the_year_so_far_that_no_period_covers():
    periods = [
        (date(2025, 1, 1), date(2025, 2, 1)),
        (date(2025, 4, 1), date(2025, 4, 1)),
        (date(2024, 3, 1), date(2024, 3, 1)),  # another year
        (date(2025, 6, 1), date(2025, 6, 1)),  # after the month asked about
    ]

    assert months_uncovered(periods, date(2025, 5, 1)) == ["March", "May"]
