"""CSV downloads that a spreadsheet opens as they are meant: UTF-8, and no cell run as a formula."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

# What a spreadsheet would run as a formula when it starts a cell (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text instead of running it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> Any:
    """Numbers stay numbers (a minus sign included); text that a spreadsheet would run is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    return spreadsheet_safe(value)


def csv_download(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """An attachment of `rows` under `header`, each cell made safe by csv_cell."""
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    # The byte-order mark makes spreadsheets read the file as UTF-8 (messages quote Chinese).
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return response
