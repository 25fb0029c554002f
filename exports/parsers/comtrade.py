"""UN Comtrade files: the 47-column API CSV, the API JSON response and the 34-column bulk file.

All three share one normalisation: China's (156) monthly (M) exports (X) of the tracked HS codes
are kept; every other row is skipped and counted by reason; net weight in kg becomes tonnes; and
the per-HS figures of each period and partner make the rare-earths group's figure (group_rows).
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter

import numpy as np
import pandas as pd

from .base import MAX_COLUMNS, NORMALISED_COLUMNS, ParseFailure, ParseResult
from .countries import comtrade_partner_iso
from .validation import error_frame, map_distinct, row_errors, text, validate_rows

TRACKED_COMMODITIES = ("280530", "284610", "284690", "850511")
TRACKED = "China's (156) monthly exports (X) of HS " + ", ".join(TRACKED_COMMODITIES)
# The series that sums HS 280530, 284690 and 850511 (exports.series), and its members.
GROUP_SERIES = "comtrade-rare-earths-group"
GROUP_MEMBERS = ("comtrade-280530", "comtrade-284690", "comtrade-850511")
VALUE_UNIT = "USD"  # primaryValue
# The columns RareGate reads; the optional ones, when present, keep only totals.
REQUIRED_COLUMNS = (
    "freqCode",
    "reporterCode",
    "flowCode",
    "partnerCode",
    "cmdCode",
    "period",
    "netWgt",
    "primaryValue",
)
OPTIONAL_COLUMNS = ("refYear", "refMonth", "partner2Code", "customsCode", "motCode")
QUANTITY_COLUMNS = ("qtyUnitCode", "qty")
NUMBER_COLUMNS = ("netWgt", "primaryValue", "qty")
KILOGRAMS = "8"  # Comtrade's quantity unit code for kg
LABELS = {
    "comtrade_api_csv": "UN Comtrade API CSV file",
    "comtrade_api_json": "UN Comtrade API JSON response",
    "comtrade_bulk": "UN Comtrade bulk file",
}
MESSAGE_COLUMNS = {
    "series": "cmdCode",
    "period": "period",
    "partner": "partnerCode",
    "tonnes": "netWgt",
    "value": "primaryValue",
    "value_unit": "primaryValue",
}
# (column, test of its text values, reason a row fails it), in the order they are applied.
SCOPE_CHECKS = (
    ("reporterCode", lambda v: v == "156", "reporter {} is not China (156)"),
    ("flowCode", lambda v: v == "X", "flow {} is not exports (X)"),
    ("freqCode", lambda v: v == "M", "frequency {} is not monthly"),
    ("cmdCode", lambda v: v.isin(TRACKED_COMMODITIES), "commodity {} is not tracked"),
    ("partner2Code", lambda v: v.isin(["0", ""]), "second partner {} is a breakdown, not a total"),
    ("customsCode", lambda v: v.isin(["C00", ""]), "customs code {} is a breakdown, not a total"),
    ("motCode", lambda v: v.isin(["0", ""]), "mode of transport {} is a breakdown, not a total"),
)


def comtrade_layout(first_line: str) -> str | None:
    """The Comtrade layout ("comtrade_bulk", "comtrade_api_csv") a header line is, or None."""
    separator = "\t" if "\t" in first_line else ","
    cells = [cell.strip().strip('"').strip() for cell in first_line.split(separator)]
    if not set(REQUIRED_COLUMNS) <= set(cells):
        return None
    if cells[0] == "datasetCode" and separator == "\t":
        return "comtrade_bulk"
    if cells[0] == "typeCode" and cells[-1] == "isAggregate":
        return "comtrade_api_csv"
    return None


def parse_comtrade_csv(
    data: bytes, *, encoding: str, layout: str, known_series: frozenset[str]
) -> ParseResult:
    """Parse a Comtrade API CSV or bulk file (its header already recognised)."""
    separator = "\t" if layout == "comtrade_bulk" else ","
    header = pd.read_csv(io.BytesIO(data), sep=separator, encoding=encoding, nrows=0)
    wanted = REQUIRED_COLUMNS + OPTIONAL_COLUMNS + QUANTITY_COLUMNS
    usecols = [column for column in header.columns if column in wanted]
    options = {
        "sep": separator,
        "encoding": encoding,
        "usecols": usecols,
        "index_col": False,  # a row longer than the header must not turn cells into an index
        "skip_blank_lines": False,
        "keep_default_na": False,
        "na_values": [""],
    }
    # Codes are read as categories (a handful of distinct values) and numbers as floats: a
    # million rows then cost little memory. A file with text in a number column is read again
    # with that column as text, so the rows at fault get their own errors.
    dtypes = {column: "category" for column in usecols if column not in NUMBER_COLUMNS}
    try:
        try:
            frame = pd.read_csv(io.BytesIO(data), dtype=dtypes | _floats(usecols), **options)
        except ValueError:
            frame = pd.read_csv(io.BytesIO(data), dtype=dtypes | _texts(usecols), **options)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise ParseFailure(
            f"The {LABELS[layout]} could not be read: {str(error).strip()}."
        ) from error
    blank = frame.isna().all(axis=1).to_numpy()
    lines = np.arange(2, len(frame) + 2)[~blank]
    return normalise(frame[~blank], lines, layout=layout, known_series=known_series)


def _floats(columns) -> dict:
    return {column: "float64" for column in columns if column in NUMBER_COLUMNS}


def _texts(columns) -> dict:
    return {column: "str" for column in columns if column in NUMBER_COLUMNS}


def parse_comtrade_json(document_text: str, *, known_series: frozenset[str]) -> ParseResult:
    """Parse a Comtrade API response: {"elapsedTime": …, "count": n, "data": [...], "error": …}."""
    label = LABELS["comtrade_api_json"]
    try:
        document = json.loads(document_text)
    except json.JSONDecodeError as error:
        raise ParseFailure(f"The file looks like JSON but is not valid JSON ({error}).") from error
    except RecursionError:
        raise ParseFailure(
            "The JSON file nests its arrays or objects too deeply to be a UN Comtrade API response."
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise ParseFailure(
            'The JSON file is not a UN Comtrade API response: expected {"data": [...]}.'
        )
    records = document["data"]
    if not records:
        error = str(document.get("error") or "").strip()
        said = f" Its error says: {error}" if error else ""
        raise ParseFailure(f"The {label} holds no records (its data list is empty).{said}")
    if not all(isinstance(record, dict) for record in records):
        raise ParseFailure(f"The {label}'s data list holds something other than records.")
    fields = set().union(*records)
    if len(fields) > MAX_COLUMNS:
        raise ParseFailure(
            f"The {label}'s records have {len(fields):,} different fields; a customs file has "
            f"at most {MAX_COLUMNS} columns."
        )
    frame = pd.DataFrame.from_records(records)
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise ParseFailure(f"The {label}'s records lack {', '.join(missing)}.")
    result = normalise(
        frame,
        np.arange(1, len(frame) + 1),
        layout="comtrade_api_json",
        known_series=known_series,
    )
    count = document.get("count")
    if isinstance(count, int) and count > len(records):
        result.warnings.append(
            f"The response says it has {count} records but holds {len(records)}: "
            "Comtrade cuts long responses short, so some figures may be missing."
        )
    return result


def normalise(
    frame: pd.DataFrame, lines: np.ndarray, *, layout: str, known_series: frozenset[str]
) -> ParseResult:
    """Keep the rows in scope, map them to candidate rows and validate them."""
    label = LABELS[layout]
    frame = frame.reset_index(drop=True)
    lines = np.asarray(lines, dtype="int64")
    if frame.empty:
        raise ParseFailure(f"The {label} has a header but no rows.")
    skipped: Counter = Counter()
    in_scope = np.ones(len(frame), dtype=bool)
    for column, test, reason in SCOPE_CHECKS:
        if column not in frame.columns:
            continue
        values = text(frame[column])
        failing = in_scope & ~test(values).to_numpy()
        if failing.any():
            for value, count in values[failing].value_counts(sort=False).items():
                skipped[reason.format(value or "(empty)")] += int(count)
            in_scope &= ~failing
    if not in_scope.any():
        found = "; ".join(
            f"{count} {'row' if count == 1 else 'rows'} where {reason}"
            for reason, count in skipped.most_common()
        )
        raise ParseFailure(
            f"The {label} has {len(frame)} rows, none in scope: {found}. "
            f"RareGate imports {TRACKED}."
        )
    frame = frame[in_scope].reset_index(drop=True)
    lines = lines[in_scope]

    partner = map_distinct([frame["partnerCode"]], comtrade_partner_iso)
    unknown = pd.isna(partner)
    partner_errors = error_frame(
        lines[unknown],
        "partnerCode",
        "unknown partner code " + text(frame["partnerCode"][unknown]) + " (Comtrade)",
        order=2,
    )
    frame, lines, partner = frame[~unknown], lines[~unknown], partner[~unknown]

    rows, errors = validate_rows(
        _candidates(frame, lines, partner),
        known_series=known_series,
        columns=MESSAGE_COLUMNS,
        tonnes_scale=0.001,
    )
    grouped = group_rows(rows, known_series=known_series)
    derived = len(grouped) - len(rows)
    warnings = []
    if derived:
        # Stored beside the rows read, so a batch stores more figures than it read.
        warnings.append(
            f"{derived:,} {GROUP_SERIES} figure{'s' if derived != 1 else ''} derived: HS "
            f"{', '.join(code.split('-')[1] for code in GROUP_MEMBERS)} summed for each month "
            "and partner that has all three."
        )
    return ParseResult(
        format=layout,
        rows=grouped,
        rows_read=int(in_scope.size),
        errors=row_errors(partner_errors, errors),
        skipped=skipped,
        warnings=warnings,
    )


def _candidates(frame: pd.DataFrame, lines: np.ndarray, partner: np.ndarray) -> pd.DataFrame:
    if {"refYear", "refMonth"} <= set(frame.columns):
        period = map_distinct([frame["refYear"], frame["refMonth"], frame["period"]], _period)
    else:
        period = map_distinct([frame["period"]], lambda period: _period("", "", period))
    weight = frame["netWgt"]
    if set(QUANTITY_COLUMNS) <= set(frame.columns):
        # Without a net weight, a quantity reported in kg says the same thing.
        in_kg = (text(frame["qtyUnitCode"]) == KILOGRAMS).to_numpy()
        weight = weight.where(weight.notna() | ~in_kg, frame["qty"])
    return pd.DataFrame(
        {
            "series": map_distinct([frame["cmdCode"]], lambda code: f"comtrade-{code}"),
            "period": period,
            "partner": partner,
            "tonnes": weight.to_numpy(),
            "value": frame["primaryValue"].to_numpy(),
            "value_unit": VALUE_UNIT,
            "source_url": "",
            "line": lines,
        }
    )


def group_rows(rows: pd.DataFrame, *, known_series: frozenset[str]) -> pd.DataFrame:
    """The rows, and a GROUP_SERIES row for each period and partner where every one of
    GROUP_MEMBERS is present: their tonnes summed, and their values when all three have one.

    Derived here, in the normalisation every Comtrade file goes through, so that the group
    continues from the per-HS figures whether they were uploaded or fetched. A group row's line
    is the first of its members'.
    """
    if GROUP_SERIES not in known_series or rows.empty:
        return rows
    members = rows[rows["series"].isin(GROUP_MEMBERS)]
    sums = members.groupby(["period_start", "period_end", "partner"], sort=False).agg(
        members=("series", "nunique"),
        tonnes=("tonnes", "sum"),
        value=("value", "sum"),
        values=("value", "count"),
        line=("line", "min"),
    )
    complete = sums[sums["members"] == len(GROUP_MEMBERS)].reset_index()
    if complete.empty:
        return rows
    valued = (complete["values"] == len(GROUP_MEMBERS)).to_numpy()
    group = complete.assign(
        series=GROUP_SERIES,
        value=complete["value"].where(valued),
        value_unit=np.where(valued, VALUE_UNIT, ""),
        source_url="",
    )[NORMALISED_COLUMNS]
    return pd.concat([rows, group], ignore_index=True)


def _period(year: str, month: str, period: str) -> str:
    """RareGate's "YYYY-MM" from refYear and refMonth, or from period "YYYYMM"."""
    if year and month.isdigit():
        return f"{year}-{int(month):02d}"
    if re.fullmatch(r"\d{6}", period):
        return f"{period[:4]}-{period[4:]}"
    return period
