"""Shared, vectorised validation of candidate rows: every problem becomes a RowError.

A parser hands over a frame with CANDIDATE_COLUMNS: `period` in RareGate's notation
("YYYY-MM" or "YYYY-MM/YYYY-MM"); `tonnes` and `value` as read (text or numbers, in the file's
units; the scales turn them into tonnes and into the value unit). Validation works on whole
columns and on the distinct values of text columns, never row by row (a file may have a million
rows), and builds a message only for the rows that have the problem.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError

from core.links import web_url
from core.periods import parse_period

from .base import NORMALISED_COLUMNS, VALUE_UNITS, RowError
from .countries import ISO_ALPHA3

CANDIDATE_COLUMNS = ["series", "period", "partner", "tonnes", "value", "value_unit", "source_url"]
# The order in which one line's errors are listed.
_COLUMN_ORDER = ["series", "period", "partner", "tonnes", "value", "value_unit", "source_url"]
# What the stored columns hold (ExportRecord: tonnes 18 digits, value 22, both 3 decimals; the
# source URL 500 characters): larger is a row error, found before any write.
MAX_TONNES, MAX_VALUE = 10.0**15, 10.0**19
MAX_URL_LENGTH = 500
_TEXT_COLUMNS = ["series", "period_start", "period_end", "partner", "value_unit", "source_url"]


def error_frame(lines, column: str | None, messages, *, order: int = 0) -> pd.DataFrame:
    """Row errors as a frame (line, column, message, order): cheap to build for many rows."""
    lines = np.asarray(lines, dtype="int64")
    if isinstance(messages, str):
        messages = [messages] * len(lines)
    return pd.DataFrame(
        {
            "line": lines,
            "column": np.full(len(lines), column, dtype=object),
            "message": np.asarray(messages, dtype=object),
            "order": np.full(len(lines), order, dtype="int64"),
        }
    )


def row_errors(*frames: pd.DataFrame | None) -> list[RowError]:
    """Merge error frames into RowErrors sorted by line, then by column."""
    frames = [frame for frame in frames if frame is not None and len(frame)]
    if not frames:
        return []
    errors = pd.concat(frames, ignore_index=True).sort_values(
        ["line", "order"], kind="stable", ignore_index=True
    )
    return [
        RowError(line, column, message)
        for line, column, message in zip(
            errors["line"].tolist(),
            errors["column"].tolist(),
            errors["message"].tolist(),
            strict=True,
        )
    ]


def text(column: pd.Series, *, upper: bool = False) -> pd.Series:
    """A column as stripped text ("" for missing), computed once per distinct value."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    cleaned = [_cell_text(value) for value in uniques] + [""]
    if upper:
        cleaned = [cell.upper() for cell in cleaned]
    return pd.Series(np.asarray(cleaned, dtype=object)[codes], index=column.index, dtype=object)


def combination_codes(columns: list[pd.Series]) -> np.ndarray:
    """One code per distinct combination of the columns' values, numbered in order of appearance."""
    codes = pd.DataFrame(
        {position: pd.factorize(column)[0] for position, column in enumerate(columns)}
    )
    return codes.groupby(list(codes.columns), sort=False).ngroup().to_numpy()


def map_distinct(columns: list[pd.Series], function: Callable[..., object]) -> np.ndarray:
    """function(*cells) for each row, computed once per distinct combination of text cells."""
    cells = [text(column).to_numpy() for column in columns]
    groups = combination_codes([pd.Series(column) for column in cells])
    if len(groups) == 0:
        return np.empty(0, dtype=object)
    first_rows = pd.Series(np.arange(len(groups))).groupby(groups).first().to_numpy()
    results = np.empty(len(first_rows), dtype=object)
    results[:] = [function(*(column[row] for column in cells)) for row in first_rows]
    return results[groups]


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def numbers(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(float values, mask of non-empty cells that are not a finite number) of a column as read."""
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        values = raw.astype("float64")
        not_numbers = pd.Series(np.isinf(values.to_numpy()), index=raw.index)
        return values.where(~not_numbers), not_numbers
    cells = text(raw)
    values = pd.to_numeric(cells.where(cells != "", None), errors="coerce").astype("float64")
    not_numbers = (cells != "") & ~np.isfinite(values.fillna(np.inf))
    return values.where(~not_numbers), not_numbers


class _Errors:
    def __init__(self, lines: np.ndarray, names: Mapping[str, str]):
        self.lines = lines
        self.names = names
        self.frames: list[pd.DataFrame] = []
        self.bad = np.zeros(len(lines), dtype=bool)

    def add(self, mask, column: str, message: str | Callable[[np.ndarray], pd.Series]) -> None:
        """Record an error for the rows in mask; a callable builds messages for those rows only."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        messages = message if isinstance(message, str) else message(mask)
        order = _COLUMN_ORDER.index(column)
        self.frames.append(error_frame(self.lines[mask], self.names[column], messages, order=order))
        self.bad |= mask


def validate_rows(
    frame: pd.DataFrame,
    *,
    known_series: frozenset[str],
    columns: Mapping[str, str] | None = None,
    tonnes_scale: float | np.ndarray = 1.0,
    value_scale: float | np.ndarray = 1.0,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Check candidate rows: (rows without errors, as NORMALISED_COLUMNS; error frame or None).

    `columns` names, for messages, the source column behind a candidate column.
    """
    frame = frame.reset_index(drop=True)
    names = {column: column for column in _COLUMN_ORDER} | dict(columns or {})
    errors = _Errors(frame["line"].to_numpy(dtype="int64"), names)

    series = text(frame["series"])
    series_ok = series.isin(known_series).to_numpy()
    known = ", ".join(sorted(known_series)) or "none"
    errors.add(
        ~series_ok, "series", lambda m: "unknown series '" + series[m] + f"' (known: {known})"
    )

    period_text = text(frame["period"])
    codes, uniques = pd.factorize(period_text)
    parsed = [parse_period(period) for period in uniques]
    period_start = pd.Series(np.asarray([p[0] for p in parsed] + [""], dtype=object)[codes])
    period_end = pd.Series(np.asarray([p[1] for p in parsed] + [""], dtype=object)[codes])
    problems = np.asarray([p[2] for p in parsed] + [None], dtype=object)[codes]
    period_ok = pd.isna(problems)
    errors.add(~period_ok, "period", lambda m: problems[m])

    partner = text(frame["partner"], upper=True)
    partner_ok = (partner.eq("") | partner.isin(ISO_ALPHA3)).to_numpy()
    errors.add(
        ~partner_ok,
        "partner",
        lambda m: (
            "unknown partner '"
            + partner[m]
            + "': expected an ISO 3166-1 alpha-3 code, or nothing for all destinations"
        ),
    )

    tonnes, tonnes_not_number = _check_number(frame["tonnes"], "tonnes", errors)
    tonnes = tonnes * tonnes_scale
    _at_most(tonnes, MAX_TONNES, "tonnes", errors)
    errors.add(
        tonnes.isna() & ~tonnes_not_number,
        "tonnes",
        f"{names['tonnes']} is empty: a quantity is required",
    )
    value, _ = _check_number(frame["value"], "value", errors)
    value = value * value_scale
    _at_most(value, MAX_VALUE, "value", errors)

    unit = text(frame["value_unit"])
    errors.add(
        ~(unit.isin(VALUE_UNITS) | unit.eq("")),
        "value_unit",
        lambda m: "unknown value unit '" + unit[m] + f"' (known: {', '.join(VALUE_UNITS)})",
    )
    errors.add(
        value.notna() & unit.eq(""),
        "value_unit",
        lambda m: (
            f"{names['value']} "
            + text(frame["value"][m])
            + f" has no unit: {names['value_unit']} is empty"
        ),
    )

    source_url = text(frame["source_url"])
    url_problems = map_distinct([source_url], _url_problem)
    errors.add(pd.notna(url_problems), "source_url", lambda m: url_problems[m])

    keys = pd.DataFrame(
        {"series": series, "start": period_start, "end": period_end, "partner": partner}
    )
    key_ok = series_ok & period_ok & partner_ok
    duplicate, earlier = _duplicates(keys, key_ok, errors.lines)
    errors.add(
        duplicate,
        "period",
        lambda m: (
            "series "
            + series[m]
            + ", period "
            + period_text[m]
            + " and partner "
            + partner[m].where(partner[m] != "", "(all destinations)")
            + " already appear on line "
            + earlier[m].astype(str)
        ),
    )
    _span_conflicts(keys, key_ok & ~duplicate, errors)

    rows = pd.DataFrame(
        {
            "series": series,
            "period_start": period_start,
            "period_end": period_end,
            "partner": partner,
            "tonnes": tonnes,
            "value": value,
            "value_unit": unit.where(value.notna(), ""),
            "source_url": source_url,
            "line": errors.lines,
        }
    )[NORMALISED_COLUMNS]
    rows = rows[~errors.bad].reset_index(drop=True)
    rows = rows.astype(dict.fromkeys(_TEXT_COLUMNS, str))
    found = pd.concat(errors.frames, ignore_index=True) if errors.frames else None
    return rows, found


def _url_problem(url: str) -> str | None:
    """What is wrong with a source URL: only http(s) links, of the column's length, are kept."""
    if not url:
        return None
    shown = url[:80] + ("…" if len(url) > 80 else "")
    if "\x00" in url:
        return "source_url holds a NUL character"
    if len(url) > MAX_URL_LENGTH:
        return f"source_url is {len(url):,} characters long: at most {MAX_URL_LENGTH}"
    try:
        web_url(url)
    except ValidationError:
        return f"source_url '{shown}' is not an http or https link"
    return None


def _at_most(values: pd.Series, limit: float, column: str, errors: _Errors) -> None:
    """A figure the stored column cannot hold."""
    name = errors.names[column]
    errors.add(
        values >= limit,
        column,
        lambda m: (
            f"{name} is too large: "
            + values[m].map("{:.6g}".format)
            + f" (must be below {limit:.0e})"
        ),
    )


def _check_number(raw: pd.Series, column: str, errors: _Errors) -> tuple[pd.Series, pd.Series]:
    values, not_numbers = numbers(raw)
    name = errors.names[column]
    errors.add(not_numbers, column, lambda m: f"{name} is not a number: '" + text(raw[m]) + "'")
    errors.add(values < 0, column, lambda m: f"{name} is negative: " + text(raw[m]))
    return values, not_numbers


def _duplicates(keys: pd.DataFrame, key_ok: np.ndarray, lines: np.ndarray):
    """Mask of rows repeating an earlier row's key, and the line where that key first appears."""
    combined = combination_codes([keys[column] for column in ("series", "start", "end", "partner")])
    # Rows whose key is itself invalid get a key of their own, so they never match.
    key = pd.Series(np.where(key_ok, combined, -1 - np.arange(len(keys))))
    duplicate = key.duplicated(keep="first").to_numpy()
    earlier = pd.Series(lines).groupby(key).transform("first")
    return duplicate, earlier


def _span_conflicts(keys: pd.DataFrame, usable: np.ndarray, errors: _Errors) -> None:
    """A January–February span beside a January or February figure: an error on the later line."""
    keys = keys.assign(row=np.arange(len(keys)), line=errors.lines)[usable]
    spans = keys[keys["start"] != keys["end"]]
    if spans.empty:
        return
    months = keys[(keys["start"] == keys["end"]) & keys["start"].str[5:].isin(["01", "02"])]
    pairs = spans.assign(year=spans["start"].str[:4]).merge(
        months.assign(year=months["start"].str[:4]),
        on=["series", "partner", "year"],
        suffixes=("_span", "_month"),
    )
    if pairs.empty:
        return
    span_later = (pairs["line_span"] > pairs["line_month"]).to_numpy()
    span = pairs["start_span"] + "/" + pairs["end_span"]
    messages = np.where(
        span_later,
        "the January–February span "
        + span
        + " overlaps the figure for "
        + pairs["start_month"]
        + " on line "
        + pairs["line_month"].astype(str)
        + " (same series and partner)",
        pairs["start_month"]
        + " overlaps the January–February span "
        + span
        + " on line "
        + pairs["line_span"].astype(str)
        + " (same series and partner)",
    )
    rows = np.where(span_later, pairs["row_span"], pairs["row_month"])
    errors.frames.append(
        error_frame(
            errors.lines[rows],
            errors.names["period"],
            messages,
            order=_COLUMN_ORDER.index("period"),
        )
    )
    errors.bad[rows] = True
