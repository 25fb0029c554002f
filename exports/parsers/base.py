"""What every parser returns: normalised rows, row errors, skip counts and warnings.

A parser takes the file's bytes (already decompressed and size-checked) and returns a
ParseResult; it never touches the database. Rows are normalised to NORMALISED_COLUMNS:

- series: a Series code (e.g. "gacc-rare-earths", "comtrade-850511")
- period_start, period_end: "YYYY-MM"; equal for a month; "YYYY-01"/"YYYY-02" for the
  January–February span GACC publishes combined
- partner: ISO 3166-1 alpha-3, or "" for all destinations
- tonnes: float, >= 0
- value: float or NaN; value_unit: one of VALUE_UNITS, or "" when there is no value
- source_url: str ("" when the file gives none)
- line: the 1-based line (or record number for JSON) in the source file, for messages
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from exports.units import STORED

NORMALISED_COLUMNS = [
    "series",
    "period_start",
    "period_end",
    "partner",
    "tonnes",
    "value",
    "value_unit",
    "source_url",
    "line",
]
# The units a value may be in, as published (exports.units).
VALUE_UNITS = STORED


class ParseFailure(Exception):
    """The file as a whole cannot be read: its message says why, for the user."""


@dataclass(frozen=True)
class RowError:
    line: int | None
    column: str | None
    message: str

    def __post_init__(self) -> None:
        # Text from the file: a NUL is shown, never stored (PostgreSQL refuses it in text).
        object.__setattr__(self, "message", self.message.replace("\x00", "\\x00"))

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


# The widest header a customs file has (UN Comtrade's API CSV and JSON: 47 columns); a wider one
# is refused before any reader allocates its columns.
MAX_COLUMNS = 50


def listed(items: list[str], *, shown: int = 10) -> str:
    """Items for a message, the first `shown` of them: "a, b, c … and 999,990 more"."""
    rest = len(items) - shown
    head = ", ".join(items[:shown])
    return f"{head} … and {rest:,} more" if rest > 0 else head


@dataclass
class ParseResult:
    format: str
    rows: pd.DataFrame
    rows_read: int
    errors: list[RowError] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason -> number of rows
    warnings: list[str] = field(default_factory=list)
    # GACC tables only: the January-to-month figures, for cross-checks against stored ones.
    # Columns: series, year, through_month, partner, tonnes, value, value_unit, line.
    cumulative: pd.DataFrame | None = None
