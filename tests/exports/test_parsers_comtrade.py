"""UN Comtrade: the 47-column API CSV, the API JSON response and the 34-column bulk file."""

from __future__ import annotations

import gzip

import pytest

from exports.parsers import ParseFailure, RowError

from .files import (
    KNOWN_SERIES,
    SAMPLES,
    comtrade_api_csv,
    comtrade_bulk,
    comtrade_json,
    comtrade_record,
    parse,
)

TRACKED = "RareGate imports China's (156) monthly exports (X) of HS 280530, 284610, 284690, 850511."
GERMANY_NOVEMBER = {
    "series": "comtrade-850511",
    "period_start": "2025-11",
    "period_end": "2025-11",
    "partner": "DEU",
    "tonnes": 1250.5,
    "value": 61234567.0,
    "value_unit": "USD",
    "source_url": "",
}


def test_the_sample_of_china_imports_of_integrated_circuits_has_nothing_in_scope():
    with pytest.raises(ParseFailure) as failure:
        parse((SAMPLES / "comtrade_api_china_imports_8542.csv").read_bytes())

    assert str(failure.value) == (
        "The UN Comtrade API CSV file has 173 rows, none in scope: "
        f"173 rows where flow M is not exports (X). {TRACKED}"
    )


def test_the_bulk_sample_is_recognised_as_a_bulk_file_with_nothing_in_scope():
    with pytest.raises(ParseFailure) as failure:
        parse((SAMPLES / "comtrade_bulk_final_excerpt.tsv").read_bytes())

    assert str(failure.value) == (
        "The UN Comtrade bulk file has 15 rows, none in scope: "
        f"15 rows where reporter 32 is not China (156). {TRACKED}"
    )


def test_the_bulk_sample_gzipped_fails_the_same_way():
    data = gzip.compress((SAMPLES / "comtrade_bulk_final_excerpt.tsv").read_bytes())

    with pytest.raises(ParseFailure, match=r"^The UN Comtrade bulk file has 15 rows, none"):
        parse(data)


def test_the_recorded_api_response_has_nothing_in_scope():
    with pytest.raises(ParseFailure) as failure:
        parse((SAMPLES / "comtrade_api_response.json").read_bytes())

    assert str(failure.value) == (
        "The UN Comtrade API JSON response has 4 rows, none in scope: "
        "2 rows where flow M is not exports (X); 2 rows where frequency A is not monthly. "
        f"{TRACKED}"
    )


def test_an_api_csv_keeps_china_monthly_exports_and_counts_what_it_skips():
    result = parse(
        comtrade_api_csv(
            comtrade_record(),
            comtrade_record(reporterCode=842),
            comtrade_record(flowCode="M"),
            comtrade_record(flowCode="RX"),
            comtrade_record(freqCode="A", refMonth=52, period=2025),
            comtrade_record(cmdCode="8542"),
            comtrade_record(cmdCode="284690", partnerCode=842, netWgt="20000", primaryValue=""),
            comtrade_record(motCode=2100),
        )
    )

    assert result.format == "comtrade_api_csv"
    assert result.errors == []
    assert result.rows_read == 8
    assert result.skipped == {
        "reporter 842 is not China (156)": 1,
        "flow M is not exports (X)": 1,
        "flow RX is not exports (X)": 1,
        "frequency A is not monthly": 1,
        "commodity 8542 is not tracked": 1,
        "mode of transport 2100 is a breakdown, not a total": 1,
    }
    records = result.rows.drop(columns="line").to_dict("records")
    assert records[0] == GERMANY_NOVEMBER
    assert records[1] | {"value": None} == GERMANY_NOVEMBER | {
        "series": "comtrade-284690",
        "partner": "USA",
        "tonnes": 20.0,
        "value": None,
        "value_unit": "",
    }
    assert result.rows["line"].tolist() == [2, 8]


@pytest.mark.parametrize(
    ("code", "iso"),
    [("0", ""), ("842", "USA"), ("699", "IND"), ("251", "FRA"), ("381", "ITA"), ("490", "TWN")],
)
def test_comtrade_partner_codes_become_iso_codes(code, iso):
    result = parse(comtrade_api_csv(comtrade_record(partnerCode=code)))

    assert result.rows["partner"].tolist() == [iso]


def test_an_unknown_partner_code_is_a_row_error():
    result = parse(
        comtrade_api_csv(
            comtrade_record(partnerCode=899),
            comtrade_record(partnerCode=58, refMonth=10, period=202510),
            comtrade_record(partnerCode=392),
        )
    )

    assert result.errors == [
        RowError(2, "partnerCode", "unknown partner code 899 (Comtrade)"),
        RowError(3, "partnerCode", "unknown partner code 58 (Comtrade)"),
    ]
    assert result.rows["partner"].tolist() == ["JPN"]


def test_the_period_comes_from_the_period_column_without_ref_year_and_month():
    result = parse(comtrade_api_csv(comtrade_record(refYear="", refMonth="", period="202503")))

    assert result.rows[["period_start", "period_end"]].values.tolist() == [["2025-03", "2025-03"]]


def test_a_quantity_in_kg_stands_in_for_a_missing_net_weight():
    result = parse(
        comtrade_api_csv(
            comtrade_record(netWgt="", qty="5000"),
            comtrade_record(netWgt="", qty="7", qtyUnitCode="5", partnerCode=392),
        )
    )

    assert result.rows["tonnes"].tolist() == [5.0]
    assert result.errors == [RowError(3, "netWgt", "netWgt is empty: a quantity is required")]


def test_bad_figures_are_row_errors_named_by_comtrade_column():
    result = parse(
        comtrade_api_csv(
            comtrade_record(netWgt="-5"),
            comtrade_record(primaryValue="lots", partnerCode=392),
            comtrade_record(cmdCode="280530", partnerCode=392),
        ),
        known_series=KNOWN_SERIES - {"comtrade-280530"},
    )

    assert result.errors[0] == RowError(2, "netWgt", "netWgt is negative: -5")
    assert result.errors[1] == RowError(3, "primaryValue", "primaryValue is not a number: 'lots'")
    assert result.errors[2].line == 4
    assert result.errors[2].column == "cmdCode"
    assert result.errors[2].message.startswith("unknown series 'comtrade-280530' (known: ")
    assert result.rows.empty


def test_the_same_partner_and_month_twice_is_a_duplicate():
    result = parse(comtrade_api_csv(comtrade_record(), comtrade_record(primaryValue="1")))

    assert result.errors == [
        RowError(
            3,
            "period",
            "series comtrade-850511, period 2025-11 and partner DEU already appear on line 2",
        )
    ]


def test_a_bulk_file_with_crlf_and_tabs_is_read():
    result = parse(comtrade_bulk(comtrade_record(), comtrade_record(partnerCode=0)))

    assert result.format == "comtrade_bulk"
    assert result.rows.drop(columns="line").to_dict("records") == [
        GERMANY_NOVEMBER,
        GERMANY_NOVEMBER | {"partner": ""},
    ]
    assert result.rows["line"].tolist() == [2, 3]


def test_a_gzipped_bulk_file_is_read():
    result = parse(comtrade_bulk(comtrade_record(), compress=True))

    assert result.format == "comtrade_bulk"
    assert result.rows.drop(columns="line").to_dict("records") == [GERMANY_NOVEMBER]


def test_a_json_response_is_read_with_record_numbers_as_lines():
    result = parse(
        comtrade_json(
            comtrade_record(flowCode="M"), comtrade_record(), comtrade_record(partnerCode=899)
        )
    )

    assert result.format == "comtrade_api_json"
    assert result.rows.drop(columns="line").to_dict("records") == [GERMANY_NOVEMBER]
    assert result.rows["line"].tolist() == [2]
    assert result.errors == [RowError(3, "partnerCode", "unknown partner code 899 (Comtrade)")]
    assert result.skipped == {"flow M is not exports (X)": 1}


def test_a_json_response_cut_short_carries_a_warning():
    result = parse(comtrade_json(comtrade_record(), count=250000))

    assert result.warnings == [
        "The response says it has 250000 records but holds 1: "
        "Comtrade cuts long responses short, so some figures may be missing."
    ]


def test_an_empty_json_response_fails_with_its_error():
    with pytest.raises(ParseFailure) as failure:
        parse(comtrade_json(error="Request rate limit exceeded"))

    assert str(failure.value) == (
        "The UN Comtrade API JSON response holds no records (its data list is empty). "
        "Its error says: Request rate limit exceeded"
    )


def test_json_without_a_data_list_fails():
    with pytest.raises(ParseFailure) as failure:
        parse(b'{"results": []}')

    assert str(failure.value) == (
        'The JSON file is not a UN Comtrade API response: expected {"data": [...]}.'
    )


def test_broken_json_fails():
    with pytest.raises(ParseFailure, match=r"^The file looks like JSON but is not valid JSON \("):
        parse(b'{"data": [')


def test_a_header_alone_fails():
    with pytest.raises(ParseFailure) as failure:
        parse(comtrade_api_csv())

    assert str(failure.value) == "The UN Comtrade API CSV file has a header but no rows."


def test_a_first_row_longer_than_the_header_keeps_its_columns_in_place():
    data = comtrade_api_csv(comtrade_record()).replace(b"False\n", b"False,extra\n")

    result = parse(data)

    assert result.rows.drop(columns="line").to_dict("records") == [GERMANY_NOVEMBER]


def group_members(**values) -> list[dict]:
    """HS 280530, 284690 and 850511 to one partner in one month: the rare-earths group."""
    return [
        comtrade_record(cmdCode="280530", netWgt="98200", primaryValue="5105400", **values),
        comtrade_record(cmdCode="284690", netWgt="820400", primaryValue="24612000", **values),
        comtrade_record(cmdCode="850511", netWgt="410250", primaryValue="21128000", **values),
    ]


def group_row(result) -> list[dict]:
    rows = result.rows[result.rows["series"] == "comtrade-rare-earths-group"]
    return rows.drop(columns=["series", "source_url"]).to_dict("records")


@pytest.mark.parametrize("build", [comtrade_json, comtrade_api_csv, comtrade_bulk])
def test_the_three_hs_codes_of_a_month_and_partner_make_a_group_row(build):
    result = parse(
        build(*group_members(partnerCode=392), comtrade_record(cmdCode="284610", partnerCode=392))
    )

    assert result.errors == []
    assert group_row(result) == [
        {
            "period_start": "2025-11",
            "period_end": "2025-11",
            "partner": "JPN",
            "tonnes": pytest.approx(1328.85),
            "value": 50845400.0,
            "value_unit": "USD",
            "line": 1 if build is comtrade_json else 2,  # its first member's (a header in CSV)
        }
    ]
    assert result.rows_read == 4
    assert len(result.rows) == 5
    # The batch will store more figures than it read, and says why.
    assert result.warnings == [
        "1 comtrade-rare-earths-group figure derived: HS 280530, 284690, 850511 summed for each "
        "month and partner that has all three."
    ]


def test_no_group_row_where_one_of_its_hs_codes_is_missing():
    members = group_members(partnerCode=842)
    result = parse(comtrade_json(*members[:2], *group_members(partnerCode=0)[1:]))

    assert group_row(result) == []
    assert len(result.rows) == 4
    assert result.warnings == []


def test_a_group_row_has_no_value_when_one_of_its_members_has_none():
    members = group_members(partnerCode=0)
    members[1]["primaryValue"] = ""

    rows = group_row(parse(comtrade_json(*members)))

    assert [(row["partner"], row["tonnes"], row["value_unit"]) for row in rows] == [
        ("", pytest.approx(1328.85), "")
    ]
    assert rows[0]["value"] != rows[0]["value"]  # NaN: no value, not a partial sum


def test_without_the_group_series_registered_no_group_row_is_made():
    result = parse(
        comtrade_json(*group_members()),
        known_series=KNOWN_SERIES - {"comtrade-rare-earths-group"},
    )

    assert result.errors == []
    assert set(result.rows["series"]) == {"comtrade-280530", "comtrade-284690", "comtrade-850511"}
