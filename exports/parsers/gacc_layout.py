"""Where the parts of a GACC table are: header rows, month blocks, year and value unit.

Works on a grid of cell texts, whatever file the grid came from (.csv, .xlsx, .xls).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .base import ParseFailure

# Text in the unit line -> (value unit, factor to it); longer texts first ("千美元" before "美元").
VALUE_UNIT_TEXTS = (
    ("百万美元", "USD_1M", 1.0),
    ("亿美元", "USD_1M", 100.0),
    ("千美元", "USD_1K", 1.0),
    ("万美元", "USD_1K", 10.0),
    ("亿元", "CNY_100M", 1.0),
    ("万元", "CNY_10K", 1.0),
    ("千元", "CNY_10K", 0.1),
    ("美元", "USD", 1.0),
)
_SPACE = re.compile(r"\s+")
_MONTH = re.compile(r"(?:\d{4}年)?(\d{1,2})月份?")
_THROUGH = re.compile(r"(?:\d{4}年)?1月?[-—–―~～至－]+(\d{1,2})月份?")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
SHAPE = "a header row with 商品名称 and month columns such as 11月, 1-2月 or 1至11月"


def clean(cell) -> str:
    """A cell as text: numbers without a spurious ".0", no surrounding blanks (nor U+3000)."""
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def compact(cell: str) -> str:
    """A label without any blank, as GACC spaces them out ("商 品 名 称")."""
    return _SPACE.sub("", cell)


@dataclass
class Block:
    label: str
    months: tuple[int, int]  # (first, last) month covered
    quantity: int | None  # column index of 数量
    value: int | None  # column index of 金额


@dataclass
class Table:
    header: int  # row index of the header row with 商品名称
    name: int
    unit: int | None
    month: Block
    cumulative: Block | None


def looks_like_gacc_text(text: str) -> bool:
    head = _SPACE.sub("", text[:20_000])
    return "商品名称" in head or ("稀土" in head and "月" in head)


def find_table(grid: list[list[str]]) -> Table | None:
    """Where the table's parts are, or None when the grid has no GACC header."""
    grid = [[compact(cell) for cell in row] for row in grid]
    for index, row in enumerate(grid):
        names = [column for column, cell in enumerate(row) if "商品名称" in cell]
        if names:
            return _table_at(grid, index, names[0])
    return None


def _table_at(grid: list[list[str]], header: int, name: int) -> Table | None:
    row = grid[header]
    units = [column for column, cell in enumerate(row) if "计量单位" in cell or cell == "单位"]
    unit = units[0] if units else None
    first = max(name, unit if unit is not None else name) + 1
    starts = [column for column in range(first, len(row)) if row[column]]
    under = grid[header + 1] if header + 1 < len(grid) else []
    # The last block runs to the end of the row under the header: a workbook's header row ends
    # at its last label.
    width = max(len(row), len(under))
    blocks = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else width
        months = _months(row[start])
        if months is None:
            continue
        span = under[start:end]
        blocks.append(
            Block(row[start], months, _column(span, "数量", start), _column(span, "金额", start))
        )
    singles = [block for block in blocks if block.months[0] == block.months[1]]
    january_february = [block for block in blocks if block.months == (1, 2)]
    if singles:
        month = singles[0]
    elif january_february:
        month = january_february[0]
    else:
        return None
    later = [block for block in blocks if block is not month and block.months[0] == 1]
    cumulative = later[0] if later else (month if month.months == (1, 2) else None)
    return Table(header, name, unit, month, cumulative)


def _months(label: str) -> tuple[int, int] | None:
    if match := _MONTH.fullmatch(label):
        month = int(match.group(1))
        return (month, month) if 1 <= month <= 12 else None
    if match := _THROUGH.fullmatch(label):
        month = int(match.group(1))
        return (1, month) if 2 <= month <= 12 else None
    return None


def _column(cells: list[str], word: str, offset: int) -> int | None:
    for position, cell in enumerate(cells):
        if word in cell and "同比" not in cell and "%" not in cell and "％" not in cell:
            return offset + position
    return None


def table_year(grid: list[list[str]], table: Table) -> int:
    for row in grid[: table.header + 1]:
        for cell in row:
            if match := _YEAR.search(cell):
                return int(match.group(1))
    raise ParseFailure(
        "The GACC table gives no year: its title should say it, "
        "as in '2025年11月全国出口重点商品量值表'."
    )


def table_value_unit(grid: list[list[str]], table: Table) -> tuple[str, float]:
    for row in grid[: table.header + 2]:
        for cell in row:
            if "单位" in cell or "金额" in cell:
                for unit_text, unit, factor in VALUE_UNIT_TEXTS:
                    if unit_text in cell:
                        return unit, factor
    raise ParseFailure(
        "The GACC table gives no value unit: expected a line such as "
        "'单位：千美元' or '金额单位：亿元'."
    )
