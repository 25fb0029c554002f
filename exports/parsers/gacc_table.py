"""GACC's monthly table of major export commodities (全国出口重点商品量值表): .csv, .xlsx, .xls.

Layout: title and unit lines; a header row with 商品名称, 计量单位 and blocks headed by the month
("11月", or "1-2月" for the combined January–February span) and by January-to-month ("1至11月");
under it a row naming each block's columns (数量, 金额, 同比…); then one row per commodity.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from .base import ParseFailure, ParseResult
from .gacc_layout import (
    SHAPE,
    Block,
    Table,
    clean,
    compact,
    find_table,
    table_value_unit,
    table_year,
)
from .validation import error_frame, numbers, row_errors, validate_rows

SERIES_BY_COMMODITY = {
    "稀土": "gacc-rare-earths",
    "稀土永磁": "gacc-ndfeb-magnets",
    "稀土永磁体": "gacc-ndfeb-magnets",
}
NOT_TRACKED = "commodity is not tracked (only 稀土 and 稀土永磁 are)"
QUANTITY_UNITS = {"吨": 1.0, "万吨": 10_000.0, "千克": 0.001, "公斤": 0.001}
_CUMULATIVE_ORDER = 10  # after the month's errors on the same line
_EMPTY_NUMBERS = {"", "-", "—", "－", "…"}


def parse_gacc_csv(text: str, *, known_series: frozenset[str]) -> ParseResult:
    """Parse a GACC table saved as CSV (comma- or tab-separated)."""
    head = text[:5000]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    grid, lines = [], []
    try:
        for row in reader:
            grid.append([clean(cell) for cell in row])
            lines.append(reader.line_num)
    except csv.Error as error:
        raise ParseFailure(f"The GACC table could not be read as CSV: {error}") from error
    table = find_table(grid)
    if table is None:
        raise ParseFailure(f"The file reads like a GACC table but is not one: it lacks {SHAPE}.")
    return parse_gacc_grid(grid, lines, table, known_series=known_series)


def parse_gacc_workbook(data: bytes, *, kind: str, known_series: frozenset[str]) -> ParseResult:
    """Parse a GACC table in an .xlsx or .xls workbook: the first sheet that looks like one."""
    try:
        sheets = read_xls_sheets(data) if kind == "xls" else read_xlsx_sheets(data)
    except ParseFailure:
        raise
    except Exception as error:  # noqa: BLE001 - the readers raise many types for a damaged file
        described = "Excel 97–2003 workbook (.xls)" if kind == "xls" else "Excel workbook (.xlsx)"
        raise ParseFailure(
            f"The file is an {described} but it could not be read ({error})."
        ) from error
    for rows in sheets.values():
        grid = [[clean(cell) for cell in row] for row in rows]
        table = find_table(grid)
        if table is not None:
            return parse_gacc_grid(
                grid, list(range(1, len(grid) + 1)), table, known_series=known_series
            )
    seen = ", ".join(f"'{name}'" for name in sheets) or "none"
    raise ParseFailure(
        f"No sheet in this workbook looks like a GACC table ({SHAPE}); sheets seen: {seen}."
    )


# The most a sheet may use: a GACC table is a few dozen rows by a dozen columns. A workbook
# declares cells far apart in a few bytes; these bound what reading it allocates.
SHEET_MAX_ROWS, SHEET_MAX_COLUMNS = 100_000, 200


def _within_limits(sheet: str, rows: int, columns: int) -> None:
    """Refuse a sheet whose used range is larger than SHEET_MAX_ROWS × SHEET_MAX_COLUMNS."""
    if rows > SHEET_MAX_ROWS or columns > SHEET_MAX_COLUMNS:
        used = f"A1:{get_column_letter(max(columns, 1))}{max(rows, 1)}"
        raise ParseFailure(
            f"Sheet '{sheet}' uses the range {used} ({rows:,} rows × {columns:,} columns); "
            f"a sheet may use at most {SHEET_MAX_ROWS:,} rows and {SHEET_MAX_COLUMNS} columns."
        )


def _trimmed(row: tuple) -> list:
    """A row without its trailing empty cells."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return list(row[:end])


def read_xlsx_sheets(data: bytes) -> dict[str, list[list]]:
    """Every sheet's cells, row by row from row 1, each row up to its last cell: openpyxl in
    read-only mode, the used range measured from the cells themselves (not the size the file
    declares) and refused past the limits before any row is kept."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = {}
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            try:
                sheet.calculate_dimension(force=True)
            except UnboundLocalError:  # openpyxl's measure of a sheet without a single row
                sheets[sheet.title] = []
                continue
            _within_limits(sheet.title, sheet.max_row, sheet.max_column)
            rows = sheet.iter_rows(
                max_row=sheet.max_row, max_col=sheet.max_column, values_only=True
            )
            sheets[sheet.title] = [_trimmed(row) for row in rows]
        return sheets
    finally:
        book.close()


def read_xls_sheets(data: bytes) -> dict[str, list[list]]:
    """Every sheet's cells, row by row from row 1 (xlrd directly: pandas deprecates its engine),
    each row up to its last cell, a sheet refused past the limits before its rows are kept."""
    import xlrd

    book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
    sheets = {}
    for sheet in book.sheets():
        _within_limits(sheet.name, sheet.nrows, sheet.ncols)
        sheets[sheet.name] = [sheet.row_values(row) for row in range(sheet.nrows)]
    return sheets


def _period(year: int, block: Block) -> str:
    first, last = block.months
    if first == last:
        return f"{year}-{last:02d}"
    return f"{year}-01/{year}-02"


def _number_text(cell: str) -> str:
    cell = cell.replace(",", "").replace("，", "")
    return "" if cell in _EMPTY_NUMBERS else cell


def parse_gacc_grid(
    grid: list[list[str]], lines: list[int], table: Table, *, known_series: frozenset[str]
) -> ParseResult:
    """Turn a located GACC table into candidate rows (month) and cumulative figures."""
    month, cumulative = table.month, table.cumulative
    for block in (month, cumulative):
        if block is not None and (block.quantity is None or block.value is None):
            raise ParseFailure(
                f"The GACC table's column {block.label} has no 数量 and 金额 columns under it."
            )
    if cumulative is not None and cumulative.months[1] != month.months[1]:
        raise ParseFailure(
            f"The GACC table's month column is {month.label} but its January-to-month "
            f"column is {cumulative.label}: they should end in the same month."
        )
    year = table_year(grid, table)
    value_unit, value_factor = table_value_unit(grid, table)

    def cell(row: list[str], column: int | None) -> str:
        return row[column] if column is not None and column < len(row) else ""

    records, unit_errors, rows_read, skipped = [], [], 0, 0
    for row, line in zip(grid[table.header + 2 :], lines[table.header + 2 :], strict=True):
        name = re.sub(r"^其中[:：]", "", compact(cell(row, table.name))).strip("*#")
        figures = [cell(row, block.quantity) for block in (month, cumulative) if block]
        if not name or not any(figures):
            continue  # blank lines, notes and section titles
        rows_read += 1
        series = SERIES_BY_COMMODITY.get(name)
        if series is None:
            skipped += 1
            continue
        unit = compact(cell(row, table.unit)) if table.unit is not None else "吨"
        if unit not in QUANTITY_UNITS:
            unit_errors.append(
                (line, f"unknown quantity unit '{unit}' for {name}: expected 吨 or 万吨")
            )
            continue
        records.append(
            {
                "series": series,
                "period": _period(year, month),
                "partner": "",
                "tonnes": _number_text(cell(row, month.quantity)),
                "value": _number_text(cell(row, month.value)),
                "value_unit": value_unit,
                "source_url": "",
                "line": line,
                "scale": QUANTITY_UNITS[unit],
                "through_tonnes": _number_text(
                    cell(row, cumulative.quantity if cumulative else None)
                ),
                "through_value": _number_text(cell(row, cumulative.value if cumulative else None)),
            }
        )
    if not records and not unit_errors:
        raise ParseFailure(
            f"The GACC table has {rows_read} commodity rows but none for 稀土 (rare earths) "
            "or 稀土永磁 (rare-earth permanent magnets)."
        )
    frame = pd.DataFrame(records, columns=list(_RECORD_COLUMNS))
    unit_column = grid[table.header][table.unit] if table.unit is not None else "计量单位"
    rows, errors = validate_rows(
        frame,
        known_series=known_series,
        columns={
            "series": grid[table.header][table.name],
            "period": month.label,
            "partner": grid[table.header][table.name],
            "tonnes": f"{month.label} 数量",
            "value": f"{month.label} 金额",
            "value_unit": "单位",
        },
        tonnes_scale=frame["scale"].to_numpy(dtype="float64"),
        value_scale=value_factor,
    )
    through, through_errors = _cumulative(frame, cumulative, year, value_factor)
    return ParseResult(
        format="gacc_table",
        rows=rows,
        rows_read=rows_read,
        errors=row_errors(
            error_frame(
                [line for line, _ in unit_errors], unit_column, [m for _, m in unit_errors]
            ),
            errors,
            through_errors,
        ),
        skipped=Counter({NOT_TRACKED: skipped}) if skipped else Counter(),
        cumulative=through,
    )


_RECORD_COLUMNS = (
    "series",
    "period",
    "partner",
    "tonnes",
    "value",
    "value_unit",
    "source_url",
    "line",
    "scale",
    "through_tonnes",
    "through_value",
)
CUMULATIVE_COLUMNS = [
    "series",
    "year",
    "through_month",
    "partner",
    "tonnes",
    "value",
    "value_unit",
    "line",
]


def _cumulative(frame: pd.DataFrame, block: Block | None, year: int, value_factor: float):
    """The January-to-month figures, and errors for those that are not numbers."""
    empty = pd.DataFrame({column: [] for column in CUMULATIVE_COLUMNS})
    if block is None or frame.empty:
        return empty, None
    problems = []
    tonnes, tonnes_bad = numbers(frame["through_tonnes"])
    value, value_bad = numbers(frame["through_value"])
    for bad, values, raw, word in (
        (tonnes_bad, tonnes, frame["through_tonnes"], "数量"),
        (value_bad, value, frame["through_value"], "金额"),
    ):
        column = f"{block.label} {word}"
        problems.append(
            error_frame(
                frame["line"][bad],
                column,
                f"{column} is not a number: '" + raw[bad] + "'",
                order=_CUMULATIVE_ORDER,
            )
        )
        negative = (values < 0).to_numpy()
        problems.append(
            error_frame(
                frame["line"][negative],
                column,
                f"{column} is negative: " + raw[negative],
                order=_CUMULATIVE_ORDER,
            )
        )
    bad = (tonnes_bad | value_bad | (tonnes < 0) | (value < 0) | tonnes.isna()).to_numpy()
    through = pd.DataFrame(
        {
            "series": frame["series"],
            "year": year,
            "through_month": block.months[1],
            "partner": "",
            "tonnes": tonnes * frame["scale"],
            "value": value * value_factor,
            "value_unit": frame["value_unit"].where(value.notna(), ""),
            "line": frame["line"].astype("int64"),
        }
    )[~bad].reset_index(drop=True)
    return through, pd.concat(problems, ignore_index=True)
