"""How export figures are shown and written out, by the imports pages and the dashboards alike:
value units by name, and CSV cells a spreadsheet will not run."""

from __future__ import annotations

from typing import Any

VALUE_UNIT_LABELS = {
    "CNY_100M": "100 million CNY",
    "CNY_10K": "10,000 CNY",
    "USD": "USD",
    "USD_1K": "thousand USD",
    "USD_1M": "million USD",
}
# What a spreadsheet would run as a formula when it starts a cell (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text instead of running it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
