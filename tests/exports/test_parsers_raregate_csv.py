"""RareGate's own CSV: series,period,partner,tonnes,value,value_unit,source_url."""

from __future__ import annotations

import pytest

from exports.parsers import ParseFailure

from .files import DATA, parse, raregate_csv


def test_it_reads_the_gacc_rare_earths_file_with_its_check_figures():
    result = parse((DATA / "gacc_rare_earths_monthly.csv").read_bytes())

    assert result.format == "raregate_csv"
    assert result.errors == []
    assert result.rows_read == len(result.rows) == 31
    rows = result.rows.set_index(["period_start", "period_end"])
    assert rows.loc[("2025-11", "2025-11"), "tonnes"] == 5493.873
    assert rows.loc[("2025-10", "2025-10"), "tonnes"] == 4343.473
    assert rows.loc[("2025-11", "2025-11"), "value_unit"] == "CNY_100M"
    assert rows.loc[("2025-01", "2025-02"), "tonnes"] == 8511.325
    assert set(result.rows["partner"]) == {""}


def test_it_reads_the_magnets_file_with_destinations():
    result = parse((DATA / "gacc_ndfeb_magnets_monthly.csv").read_bytes())

    assert result.errors == []
    assert len(result.rows) == result.rows_read == 30
    assert set(result.rows["series"]) == {"gacc-ndfeb-magnets"}
    assert "" in set(result.rows["partner"])
    assert set(result.rows["partner"]) - {""} <= {"USA", "DEU", "JPN", "KOR", "IND", "VNM", "ITA"}


def test_it_reads_the_comtrade_group_file():
    result = parse((DATA / "comtrade_rare_earths_by_partner_2017_2024.csv").read_bytes())

    assert result.errors == []
    assert len(result.rows) == 768
    first = result.rows.iloc[0]
    assert (first["series"], first["period_start"], first["partner"]) == (
        "comtrade-rare-earths-group",
        "2017-01",
        "DEU",
    )
    assert (first["tonnes"], first["value"], first["value_unit"]) == (392.107, 17630967.0, "USD")
    assert first["source_url"].startswith("https://github.com/qennis/ChinaCriticalMineralComtrade/")


def test_blank_lines_are_not_rows_and_keep_line_numbers_true():
    result = parse(
        raregate_csv(
            "gacc-rare-earths,2025-10,,4343.473,,,",
            "",
            "gacc-rare-earths,2025-11,,-1,,,",
        )
    )

    assert result.rows_read == 2
    assert [(error.line, error.column) for error in result.errors] == [(4, "tonnes")]


def test_columns_may_come_in_any_order_and_extra_columns_are_ignored_with_a_warning():
    header = "period,series,partner,tonnes,value,value_unit,source_url,note"
    result = parse(raregate_csv("2025-11,gacc-rare-earths,,5493.873,,,,preliminary", header=header))

    assert result.warnings == ["Ignored column(s) note."]
    assert result.rows[["series", "period_start", "tonnes"]].values.tolist() == [
        ["gacc-rare-earths", "2025-11", 5493.873]
    ]


def test_a_header_without_a_column_it_needs_fails():
    with pytest.raises(ParseFailure) as failure:
        parse(raregate_csv("gacc-rare-earths,2025-11,5493.873", header="series,period,tonnes"))

    assert str(failure.value) == (
        "The RareGate CSV header lacks partner, value, value_unit, source_url: "
        "expected series,period,partner,tonnes,value,value_unit,source_url."
    )


def test_a_header_alone_fails():
    with pytest.raises(ParseFailure, match=r"^The RareGate CSV file has a header but no rows\.$"):
        parse(raregate_csv())


def test_a_row_with_too_many_fields_fails_the_file_naming_the_line():
    with pytest.raises(ParseFailure) as failure:
        parse(
            raregate_csv(
                "gacc-rare-earths,2025-10,,4343.473,,,", "gacc-rare-earths,2025-11,,1,,,,x"
            )
        )

    assert str(failure.value) == (
        "The RareGate CSV file could not be read: Error tokenizing data. "
        "C error: Expected 7 fields in line 3, saw 8."
    )


def test_a_first_row_with_too_many_fields_fails_rather_than_losing_data():
    with pytest.raises(ParseFailure) as failure:
        parse(raregate_csv("gacc-rare-earths,2025-11,,5493.873,,,,x,y"))

    assert str(failure.value) == (
        "The RareGate CSV file could not be read: a row has more fields than the header."
    )
