"""RareGate's own CSV: series,period,partner,tonnes,value,value_unit,source_url."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pandas as pd

from .base import ParseFailure, ParseResult, listed
from .validation import row_errors, validate_rows

COLUMNS = ("series", "period", "partner", "tonnes", "value", "value_unit", "source_url")
_TEXT_COLUMNS = ("series", "period", "partner", "value_unit", "source_url")


def is_raregate_header(cells: list[str]) -> bool:
    return {"series", "period", "tonnes"} <= set(cells)


def parse_raregate_csv(data: bytes, *, encoding: str, known_series: frozenset[str]) -> ParseResult:
    """Parse a RareGate CSV file (its header already recognised)."""
    try:
        header = pd.read_csv(io.BytesIO(data), encoding=encoding, nrows=0, dtype=str)
        original = {str(column).strip(): column for column in header.columns}
        header_cells = list(original)
        missing = [column for column in COLUMNS if column not in header_cells]
        if missing:
            raise ParseFailure(
                f"The RareGate CSV header lacks {', '.join(missing)}: expected {','.join(COLUMNS)}."
            )
        with warnings.catch_warnings():
            # A first row longer than the header would otherwise be cut short in silence.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.BytesIO(data),
                encoding=encoding,
                index_col=False,
                # Few distinct texts, so categories; numbers as text, so a bad one gets its error.
                dtype={original[column]: "category" for column in _TEXT_COLUMNS}
                | {original["tonnes"]: str, original["value"]: str},
                skip_blank_lines=False,
                keep_default_na=False,
                na_values=[""],
            )
    except pd.errors.ParserWarning as error:
        raise ParseFailure(
            "The RareGate CSV file could not be read: a row has more fields than the header."
        ) from error
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise ParseFailure(
            f"The RareGate CSV file could not be read: {str(error).strip()}."
        ) from error
    frame.columns = [str(column).strip() for column in frame.columns]
    frame = frame[list(COLUMNS)]
    blank = frame.isna().all(axis=1).to_numpy()
    lines = np.arange(2, len(frame) + 2)[~blank]
    frame = frame[~blank].reset_index(drop=True)
    if frame.empty:
        raise ParseFailure("The RareGate CSV file has a header but no rows.")
    extra = [column for column in header_cells if column not in COLUMNS]
    rows, errors = validate_rows(frame.assign(line=lines), known_series=known_series)
    return ParseResult(
        format="raregate_csv",
        rows=rows,
        rows_read=len(frame),
        errors=row_errors(errors),
        warnings=[f"Ignored column(s) {listed(extra)}."] if extra else [],
    )
