"""Small customs files in their real layouts, built in code for the parser tests."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import openpyxl

from exports.parsers import parse_file

SAMPLES = Path(__file__).parent / "samples"
DATA = Path(__file__).resolve().parents[2] / "data" / "exports"
KNOWN_SERIES = frozenset(
    {
        "gacc-rare-earths",
        "gacc-ndfeb-magnets",
        "comtrade-rare-earths-group",
        "comtrade-280530",
        "comtrade-284610",
        "comtrade-284690",
        "comtrade-850511",
    }
)
LIMIT = 50 * 1024 * 1024


def parse(data: bytes, *, known_series: frozenset[str] = KNOWN_SERIES, limit: int = LIMIT):
    return parse_file(data, known_series=known_series, max_expanded_bytes=limit)


# --- RareGate CSV -------------------------------------------------------------------------

RAREGATE_HEADER = "series,period,partner,tonnes,value,value_unit,source_url"


def raregate_csv(*lines: str, header: str = RAREGATE_HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


# --- GACC table ---------------------------------------------------------------------------

OTHER_COMMODITIES = [
    ["钢材", "万吨", "898", "5,201,345", "8,919", "52,468,126"],
    ["未锻轧铝及铝材", "万吨", "52", "1,612,345", "547", "16,780,234"],
]


def gacc_grid(
    *,
    title: str = "2025年11月全国出口重点商品量值表",
    unit_line: str = "单位：千美元",
    month: str = "11月",
    through: str | None = "1至11月",
    rare_earths: list[str] | None = None,
    extra_rows: list[list[str]] | None = None,
) -> list[list[str]]:
    """A GACC table: title, unit line, two header rows, commodity rows and a note.

    Each block spans 数量, 金额 and two 同比% columns, as GACC prints them.
    """
    rare_earths = rare_earths or ["稀土", "吨", "5,493.873", "48,796", "58,193", "512,345"]
    blocks = [month] + ([through] if through else [])
    header = ["商品名称", "计量单位"]
    under = ["", ""]
    for label in blocks:
        header += [label, "", "", ""]
        under += ["数量", "金额", "数量同比%", "金额同比%"]

    def row(cells: list[str]) -> list[str]:
        name, unit, *figures = cells
        out = [name, unit]
        for position in range(len(blocks)):
            out += [*figures[2 * position : 2 * position + 2], "1.5", "-2.3"]
        return out

    rows = [row(cells) for cells in OTHER_COMMODITIES[:1] + [rare_earths] + OTHER_COMMODITIES[1:]]
    rows += [row(cells) for cells in extra_rows or []]
    return [
        [title],
        [unit_line],
        header,
        under,
        *rows,
        ["注：本表数据为初步统计数。"],
    ]


def gacc_csv(grid: list[list[str]], *, encoding: str = "gb18030") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(grid)
    return out.getvalue().encode(encoding)


def gacc_xlsx(*sheets: tuple[str, list[list[str]]]) -> bytes:
    """A workbook with the given sheets; figures become numeric cells, as in GACC's files."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, grid in sheets:
        sheet = workbook.create_sheet(title)
        for row in grid:
            sheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value: str):
    try:
        return float(value.replace(",", ""))
    except ValueError:
        return value or None


# --- UN Comtrade --------------------------------------------------------------------------

API_HEADER = (SAMPLES / "comtrade_api_china_imports_8542.csv").read_text().splitlines()[0]
API_COLUMNS = API_HEADER.split(",")
BULK_HEADER = (SAMPLES / "comtrade_bulk_final_excerpt.tsv").read_bytes().split(b"\r\n")[0].decode()
BULK_COLUMNS = BULK_HEADER.split("\t")


def comtrade_record(**values) -> dict:
    """China's monthly exports of HS 850511 to Germany, November 2025; override any field."""
    record = {
        "typeCode": "C",
        "freqCode": "M",
        "refPeriodId": "20251101",
        "refYear": "2025",
        "refMonth": "11",
        "period": "202511",
        "reporterCode": "156",
        "flowCode": "X",
        "partnerCode": "276",
        "partner2Code": "0",
        "classificationCode": "H6",
        "classificationSearchCode": "HS",
        "isOriginalClassification": "True",
        "cmdCode": "850511",
        "customsCode": "C00",
        "mosCode": "0",
        "motCode": "0",
        "qtyUnitCode": "8",
        "qty": "1250500.0",
        "netWgt": "1250500.0",
        "primaryValue": "61234567.0",
        "datasetCode": "20251562025110100",
        "isReported": "True",
        "isAggregate": "False",
    }
    record.update({key: str(value) for key, value in values.items()})
    return record


def comtrade_api_csv(*records: dict) -> bytes:
    lines = [API_HEADER] + [",".join(record.get(c, "") for c in API_COLUMNS) for record in records]
    return ("\n".join(lines) + "\n").encode()


def comtrade_bulk(*records: dict, compress: bool = False) -> bytes:
    lines = [BULK_HEADER] + [
        "\t".join(record.get(c, "") for c in BULK_COLUMNS) for record in records
    ]
    data = ("\r\n".join(lines) + "\r\n").encode()
    return gzip.compress(data) if compress else data


def comtrade_json(*records: dict, count: int | None = None, error: str = "") -> bytes:
    numeric = {"refYear", "refMonth", "reporterCode", "partnerCode", "partner2Code", "motCode"}
    floats = {"netWgt", "qty", "primaryValue"}

    def typed(key: str, value: str):
        if value == "":
            return None
        if key in numeric:
            return int(value)
        return float(value) if key in floats else value

    data = [{key: typed(key, value) for key, value in record.items()} for record in records]
    document = {
        "elapsedTime": "0.03 secs",
        "count": len(data) if count is None else count,
        "data": data,
        "error": error,
    }
    return json.dumps(document, indent=4).encode()
