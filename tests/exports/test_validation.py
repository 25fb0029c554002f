"""Shared row validation: each problem is a RowError with its line, column and a plain message."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.periods import parse_period
from exports.parsers import RowError
from exports.parsers.base import VALUE_UNITS
from exports.parsers.validation import validate_rows
from exports.services.writing import UNIT_FACTORS

from .files import KNOWN_SERIES, parse, raregate_csv

URL = "https://example.org/figures"


def errors_of(*lines: str) -> list[RowError]:
    return parse(raregate_csv(*lines)).errors


def test_it_accepts_months_spans_partners_and_values():
    result = parse(
        raregate_csv(
            f"gacc-rare-earths,2025-01/2025-02,,8511.325,5.86277716,CNY_100M,{URL}",
            f"gacc-rare-earths,2025-11,,5493.873,,,{URL}",
            f"comtrade-rare-earths-group,2024-03,deu,392.107,17630967,USD,{URL}",
        )
    )

    assert result.errors == []
    assert result.rows.to_dict("records") == [
        {
            "series": "gacc-rare-earths",
            "period_start": "2025-01",
            "period_end": "2025-02",
            "partner": "",
            "tonnes": 8511.325,
            "value": 5.86277716,
            "value_unit": "CNY_100M",
            "source_url": URL,
            "line": 2,
        },
        {
            "series": "gacc-rare-earths",
            "period_start": "2025-11",
            "period_end": "2025-11",
            "partner": "",
            "tonnes": 5493.873,
            "value": pytest.approx(float("nan"), nan_ok=True),
            "value_unit": "",
            "source_url": URL,
            "line": 3,
        },
        {
            "series": "comtrade-rare-earths-group",
            "period_start": "2024-03",
            "period_end": "2024-03",
            "partner": "DEU",
            "tonnes": 392.107,
            "value": 17630967.0,
            "value_unit": "USD",
            "source_url": URL,
            "line": 4,
        },
    ]


def test_it_reports_an_unknown_series():
    assert errors_of("gacc-yttrium,2025-11,,1,,,") == [
        RowError(
            2,
            "series",
            "unknown series 'gacc-yttrium' (known: comtrade-280530, comtrade-284610, "
            "comtrade-284690, comtrade-850511, comtrade-rare-earths-group, gacc-ndfeb-magnets, "
            "gacc-rare-earths)",
        )
    ]


@pytest.mark.parametrize("period", ["2025/11", "2025-13", "11-2025", "2025-1", "2025-11/"])
def test_it_reports_a_malformed_period(period):
    assert errors_of(f"gacc-rare-earths,{period},,1,,,") == [
        RowError(2, "period", f"malformed period '{period}': expected YYYY-MM or YYYY-MM/YYYY-MM")
    ]


def test_it_reports_an_empty_period():
    assert errors_of("gacc-rare-earths,,,1,,,") == [
        RowError(2, "period", "malformed period empty: expected YYYY-MM or YYYY-MM/YYYY-MM")
    ]


@pytest.mark.parametrize("period", ["2025-01/2025-03", "2025-02/2025-03", "2024-12/2025-01"])
def test_it_reports_a_span_other_than_january_february(period):
    assert errors_of(f"gacc-rare-earths,{period},,1,,,") == [
        RowError(
            2, "period", f"period {period} is neither a month nor January–February of one year"
        )
    ]


def test_a_span_of_one_month_is_that_month():
    assert parse_period("2025-11/2025-11") == ("2025-11", "2025-11", None)


def test_it_reports_an_unknown_partner():
    assert errors_of(
        "gacc-ndfeb-magnets,2025-11,XXX,1,,,", "gacc-ndfeb-magnets,2025-11,DE,1,,,"
    ) == [
        RowError(
            2,
            "partner",
            "unknown partner 'XXX': expected an ISO 3166-1 alpha-3 code, "
            "or nothing for all destinations",
        ),
        RowError(
            3,
            "partner",
            "unknown partner 'DE': expected an ISO 3166-1 alpha-3 code, "
            "or nothing for all destinations",
        ),
    ]


def test_it_reports_negative_and_non_numeric_figures():
    assert errors_of(
        "gacc-rare-earths,2025-09,,-5,,,",
        "gacc-rare-earths,2025-10,,about 4000,,,",
        "gacc-rare-earths,2025-11,,5493.873,-3.2,CNY_100M,",
        "gacc-rare-earths,2025-12,,4392.1,n/a,CNY_100M,",
        "gacc-rare-earths,2026-01,,,,,",
    ) == [
        RowError(2, "tonnes", "tonnes is negative: -5"),
        RowError(3, "tonnes", "tonnes is not a number: 'about 4000'"),
        RowError(4, "value", "value is negative: -3.2"),
        RowError(5, "value", "value is not a number: 'n/a'"),
        RowError(6, "tonnes", "tonnes is empty: a quantity is required"),
    ]


def test_it_reports_an_unknown_value_unit_and_a_value_without_unit():
    assert errors_of(
        "gacc-rare-earths,2025-10,,4343.473,4.03,EUR,",
        "gacc-rare-earths,2025-11,,5493.873,3.49,,",
    ) == [
        RowError(
            2,
            "value_unit",
            "unknown value unit 'EUR' (known: CNY_100M, CNY_10K, USD, USD_1K, USD_1M)",
        ),
        RowError(3, "value_unit", "value 3.49 has no unit: value_unit is empty"),
    ]


def test_it_reports_the_same_key_twice_naming_the_earlier_line():
    assert errors_of(
        "gacc-rare-earths,2025-11,,5493.873,,,",
        "gacc-ndfeb-magnets,2025-11,USA,500,,,",
        "gacc-rare-earths,2025-11,,5400,,,",
        "gacc-ndfeb-magnets,2025-11,usa,510,,,",
        "gacc-ndfeb-magnets,2025-11,DEU,510,,,",
    ) == [
        RowError(
            4,
            "period",
            "series gacc-rare-earths, period 2025-11 and partner (all destinations) "
            "already appear on line 2",
        ),
        RowError(
            5,
            "period",
            "series gacc-ndfeb-magnets, period 2025-11 and partner USA already appear on line 3",
        ),
    ]


def test_it_reports_a_january_february_span_beside_a_month_of_it():
    assert errors_of(
        "gacc-rare-earths,2025-01,,4000,,,",
        "gacc-rare-earths,2025-01/2025-02,,8511.325,,,",
        "gacc-rare-earths,2025-02,,4511,,,",
        "gacc-ndfeb-magnets,2025-02,,1000,,,",  # another series
        "gacc-rare-earths,2024-02,,1000,,,",  # another year
        "gacc-rare-earths,2025-03,,5666.271,,,",
    ) == [
        RowError(
            3,
            "period",
            "the January–February span 2025-01/2025-02 overlaps the figure for 2025-01 on line 2 "
            "(same series and partner)",
        ),
        RowError(
            4,
            "period",
            "2025-02 overlaps the January–February span 2025-01/2025-02 on line 3 "
            "(same series and partner)",
        ),
    ]


def test_rows_with_errors_stay_out_of_the_rows_and_every_error_is_returned():
    lines = [f"gacc-rare-earths,{2000 + n // 12}-{n % 12 + 1:02d},,-1,,," for n in range(300)]
    result = parse(raregate_csv(*lines, "gacc-rare-earths,2030-01,,5,,,"))

    assert len(result.errors) == 300
    assert result.errors[-1] == RowError(301, "tonnes", "tonnes is negative: -1")
    assert result.rows["line"].tolist() == [302]
    assert result.rows_read == 301


def test_one_line_with_several_problems_lists_them_in_column_order():
    assert errors_of("nope,2025-13,ZZZ,-1,x,EUR,") == [
        RowError(
            2, "series", "unknown series 'nope' (known: " + ", ".join(sorted(KNOWN_SERIES)) + ")"
        ),
        RowError(2, "period", "malformed period '2025-13': expected YYYY-MM or YYYY-MM/YYYY-MM"),
        RowError(
            2,
            "partner",
            "unknown partner 'ZZZ': expected an ISO 3166-1 alpha-3 code, "
            "or nothing for all destinations",
        ),
        RowError(2, "tonnes", "tonnes is negative: -1"),
        RowError(2, "value", "value is not a number: 'x'"),
        RowError(
            2,
            "value_unit",
            "unknown value unit 'EUR' (known: CNY_100M, CNY_10K, USD, USD_1K, USD_1M)",
        ),
    ]


def test_it_scales_figures_and_names_source_columns_in_messages():
    frame = pd.DataFrame(
        {
            "series": ["comtrade-850511", "comtrade-850511"],
            "period": ["2025-11", "2025-12"],
            "partner": ["DEU", "DEU"],
            "tonnes": [1250500.0, -3.0],
            "value": [61234567.0, 1.0],
            "value_unit": ["USD", "USD"],
            "source_url": ["", ""],
            "line": [2, 3],
        }
    )

    rows, errors = validate_rows(
        frame, known_series=KNOWN_SERIES, columns={"tonnes": "netWgt"}, tonnes_scale=0.001
    )

    assert rows["tonnes"].tolist() == [1250.5]
    assert errors[["line", "column", "message"]].to_dict("records") == [
        {"line": 3, "column": "netWgt", "message": "netWgt is negative: -3"}
    ]
    assert not math.isnan(rows["value"][0])


def test_every_value_unit_the_parsers_accept_is_named_and_has_a_factor():
    assert VALUE_UNITS == ("CNY_100M", "CNY_10K", "USD", "USD_1K", "USD_1M")
    assert set(UNIT_FACTORS) == set(VALUE_UNITS)
