"""GACC's monthly table of major export commodities (全国出口重点商品量值表)."""

from __future__ import annotations

import io
import zipfile

import pytest

from exports.parsers import ParseFailure, RowError

from .files import gacc_csv, gacc_grid, gacc_xlsx, parse

NOT_TRACKED = "commodity is not tracked (only 稀土 and 稀土永磁 are)"


def rows_of(result) -> list[dict]:
    return result.rows.drop(columns="source_url").to_dict("records")


def test_a_november_table_in_gb18030_gives_the_month_and_the_cumulative_figure():
    result = parse(gacc_csv(gacc_grid(), encoding="gb18030"))

    assert result.format == "gacc_table"
    assert result.errors == []
    assert rows_of(result) == [
        {
            "series": "gacc-rare-earths",
            "period_start": "2025-11",
            "period_end": "2025-11",
            "partner": "",
            "tonnes": 5493.873,
            "value": 48796.0,
            "value_unit": "USD_1K",
            "line": 6,
        }
    ]
    assert result.cumulative.to_dict("records") == [
        {
            "series": "gacc-rare-earths",
            "year": 2025,
            "through_month": 11,
            "partner": "",
            "tonnes": 58193.0,
            "value": 512345.0,
            "value_unit": "USD_1K",
            "line": 6,
        }
    ]
    assert result.rows_read == 3
    assert result.skipped == {NOT_TRACKED: 2}


def test_the_same_table_in_utf8_reads_the_same():
    utf8 = parse(gacc_csv(gacc_grid(), encoding="utf-8"))
    with_bom = parse(gacc_csv(gacc_grid(), encoding="utf-8-sig"))

    assert rows_of(utf8) == rows_of(with_bom) == rows_of(parse(gacc_csv(gacc_grid())))


def test_a_january_february_table_gives_the_combined_span():
    grid = gacc_grid(
        title="2025年1-2月全国出口重点商品量值表",
        month="1-2月",
        through="1至2月",
        rare_earths=["稀土", "吨", "8,511.325", "5.86", "8,511.325", "5.86"],
    )

    result = parse(gacc_csv(grid))

    assert rows_of(result)[0] | {"value": None} == {
        "series": "gacc-rare-earths",
        "period_start": "2025-01",
        "period_end": "2025-02",
        "partner": "",
        "tonnes": 8511.325,
        "value": None,
        "value_unit": "USD_1K",
        "line": 6,
    }
    assert result.cumulative[["year", "through_month", "tonnes"]].values.tolist() == [
        [2025, 2, 8511.325]
    ]


def test_a_january_february_table_without_a_cumulative_block_counts_the_span_as_cumulative():
    result = parse(gacc_csv(gacc_grid(month="1-2月", through=None)))

    assert (result.rows["period_start"][0], result.rows["period_end"][0]) == ("2025-01", "2025-02")
    assert result.cumulative[["through_month", "tonnes"]].values.tolist() == [[2, 5493.873]]


@pytest.mark.parametrize("through", ["1至11月", "1-11月", "1—11月", "1–11月", "1月-11月", "1~11月"])
def test_it_accepts_the_ways_gacc_writes_january_to_month(through):
    result = parse(gacc_csv(gacc_grid(through=through)))

    assert result.cumulative[["through_month", "tonnes"]].values.tolist() == [[11, 58193.0]]


@pytest.mark.parametrize(
    ("unit_line", "value_unit", "value"),
    [
        ("单位：千美元", "USD_1K", 48796.0),
        ("金额单位：亿元", "CNY_100M", 48796.0),
        ("数量单位：吨；金额单位：万元", "CNY_10K", 48796.0),
        ("单位：万美元", "USD_1K", 487960.0),
    ],
)
def test_it_reads_the_value_unit_from_the_unit_line(unit_line, value_unit, value):
    result = parse(gacc_csv(gacc_grid(unit_line=unit_line)))

    assert (result.rows["value_unit"][0], result.rows["value"][0]) == (value_unit, value)


def test_quantities_in_ten_thousand_tonnes_become_tonnes():
    grid = gacc_grid(rare_earths=["稀土", "万吨", "0.55", "48,796", "5.8193", "512,345"])

    result = parse(gacc_csv(grid))

    assert result.rows["tonnes"][0] == pytest.approx(5500.0)
    assert result.cumulative["tonnes"][0] == pytest.approx(58193.0)


def test_a_magnets_row_becomes_the_magnets_series():
    grid = gacc_grid(extra_rows=[["稀土永磁", "吨", "5,170", "301,234", "52,190", "2,960,123"]])

    result = parse(gacc_csv(grid))

    assert result.rows[["series", "tonnes", "line"]].values.tolist() == [
        ["gacc-rare-earths", 5493.873, 6],
        ["gacc-ndfeb-magnets", 5170.0, 8],
    ]
    assert result.skipped == {NOT_TRACKED: 2}


def test_a_quantity_unit_it_does_not_know_is_a_row_error():
    result = parse(gacc_csv(gacc_grid(rare_earths=["稀土", "千件", "5", "48", "58", "512"])))

    assert result.errors == [
        RowError(6, "计量单位", "unknown quantity unit '千件' for 稀土: expected 吨 or 万吨")
    ]
    assert result.rows.empty


def test_figures_that_are_not_numbers_are_row_errors_naming_the_column():
    grid = gacc_grid(rare_earths=["稀土", "吨", "about 5000", "48,796", "n/a", "512,345"])

    result = parse(gacc_csv(grid))

    assert result.errors == [
        RowError(6, "11月 数量", "11月 数量 is not a number: 'about 5000'"),
        RowError(6, "1至11月 数量", "1至11月 数量 is not a number: 'n/a'"),
    ]
    assert result.rows.empty
    assert result.cumulative.empty


def test_a_table_without_a_year_fails_asking_for_one():
    with pytest.raises(ParseFailure) as failure:
        parse(gacc_csv(gacc_grid(title="全国出口重点商品量值表")))

    assert str(failure.value) == (
        "The GACC table gives no year: its title should say it, "
        "as in '2025年11月全国出口重点商品量值表'."
    )


def test_a_table_without_a_value_unit_fails():
    with pytest.raises(ParseFailure) as failure:
        parse(gacc_csv(gacc_grid(unit_line="")))

    assert str(failure.value) == (
        "The GACC table gives no value unit: expected a line such as "
        "'单位：千美元' or '金额单位：亿元'."
    )


def test_a_table_without_rare_earths_fails():
    grid = [row for row in gacc_grid() if row[0] != "稀土"]

    with pytest.raises(ParseFailure) as failure:
        parse(gacc_csv(grid))

    assert str(failure.value) == (
        "The GACC table has 2 commodity rows but none for 稀土 (rare earths) "
        "or 稀土永磁 (rare-earth permanent magnets)."
    )


def test_a_cumulative_column_for_another_month_fails():
    with pytest.raises(ParseFailure) as failure:
        parse(gacc_csv(gacc_grid(through="1至10月")))

    assert str(failure.value) == (
        "The GACC table's month column is 11月 but its January-to-month column is 1至10月: "
        "they should end in the same month."
    )


def test_a_text_about_rare_earths_without_the_table_header_fails():
    text = "2025年11月稀土出口\n稀土,5493.873\n".encode()

    with pytest.raises(ParseFailure) as failure:
        parse(text)

    assert str(failure.value) == (
        "The file reads like a GACC table but is not one: it lacks a header row with 商品名称 "
        "and month columns such as 11月, 1-2月 or 1至11月."
    )


def test_an_xlsx_workbook_is_searched_sheet_by_sheet():
    workbook = gacc_xlsx(
        ("说明", [["海关统计数据"], ["本表为初步统计数"]]),
        ("出口", gacc_grid(unit_line="金额单位：亿元", rare_earths=_yuan_row())),
    )

    result = parse(workbook)

    assert result.format == "gacc_table"
    assert rows_of(result) == [
        {
            "series": "gacc-rare-earths",
            "period_start": "2025-11",
            "period_end": "2025-11",
            "partner": "",
            "tonnes": 5493.873,
            "value": 3.497,
            "value_unit": "CNY_100M",
            "line": 6,
        }
    ]
    assert result.cumulative[["tonnes", "value", "value_unit"]].values.tolist() == [
        [58193.0, 35.1, "CNY_100M"]
    ]


def _yuan_row() -> list[str]:
    return ["稀土", "吨", "5,493.873", "3.497", "58,193", "35.1"]


def test_a_workbook_with_no_matching_sheet_fails_naming_the_sheets():
    workbook = gacc_xlsx(("Sheet1", [["hello"]]), ("数据", [["商品", "数量"], ["稀土", "1"]]))

    with pytest.raises(ParseFailure) as failure:
        parse(workbook)

    assert str(failure.value) == (
        "No sheet in this workbook looks like a GACC table (a header row with 商品名称 and month "
        "columns such as 11月, 1-2月 or 1至11月); sheets seen: 'Sheet1', '数据'."
    )


def test_an_xls_workbook_is_read_with_xlrd(monkeypatch):
    # No .xls writer is installed: stand in for xlrd's reading and check what reaches it.
    grid = gacc_grid()
    calls = []

    def read_xls_sheets(data):
        calls.append(data[:8])
        return {"Sheet1": [[""]], "表1": grid}

    monkeypatch.setattr("exports.parsers.gacc_table.read_xls_sheets", read_xls_sheets)

    result = parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)

    assert calls == [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]
    assert result.rows[["series", "period_start", "tonnes", "line"]].values.tolist() == [
        ["gacc-rare-earths", "2025-11", 5493.873, 6]
    ]


def test_an_xls_that_xlrd_cannot_read_fails_clearly():
    with pytest.raises(ParseFailure) as failure:
        parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)

    assert str(failure.value).startswith(
        "The file is an Excel 97–2003 workbook (.xls) but it could not be read ("
    )


def test_an_xlsx_that_cannot_be_read_fails_clearly():
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not a workbook")

    with pytest.raises(ParseFailure) as failure:
        parse(broken.getvalue())

    assert str(failure.value).startswith(
        "The file is an Excel workbook (.xlsx) but it could not be read ("
    )


def test_spaced_out_labels_and_a_sub_item_name_are_recognised():
    grid = gacc_grid(
        title="2025 年 11 月全国出口重点商品量值表",
        through="1 至 11 月",
        rare_earths=["  其中：稀土", "吨", "5,493.873", "48,796", "58,193", "512,345"],
    )
    grid[2][0] = "商\u3000品\u3000名\u3000称"

    result = parse(gacc_csv(grid))

    assert result.rows[["series", "period_start", "tonnes"]].values.tolist() == [
        ["gacc-rare-earths", "2025-11", 5493.873]
    ]
    assert result.cumulative[["through_month", "tonnes"]].values.tolist() == [[11, 58193.0]]
