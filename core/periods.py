"""Months and periods, written once for every app.

A month is stored as its first day; a period is a month or a span of months (GACC publishes
January and February as one), stored as the first days of its first and last months. In text a
month is "YYYY-MM" and a span "YYYY-MM/YYYY-MM".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

MONTH_FORMAT = "%Y-%m"
_YEAR = r"\d{4}"
_MONTH = r"0[1-9]|1[0-2]"
# A month as "YYYY-MM", whole (the API schema's pattern).
MONTH_PATTERN = rf"^{_YEAR}-({_MONTH})$"
_PERIOD = re.compile(rf"({_YEAR})-({_MONTH})(?:/({_YEAR})-({_MONTH}))?")


def month_index(day: date) -> int:
    """The months since year 0: consecutive months have consecutive indexes."""
    return day.year * 12 + day.month - 1


def month_at(index: int) -> date:
    """The first day of the month with this month_index."""
    return date(index // 12, index % 12 + 1, 1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s (before it, if negative)."""
    return month_at(month_index(day) + months)


def months_spanned(start: date, end: date) -> int:
    """How many months a period from `start`'s month to `end`'s covers, both included."""
    return month_index(end) - month_index(start) + 1


def month_end(day: date) -> date:
    """The last day of the month `day` is in."""
    return add_months(day, 1) - timedelta(days=1)


def a_year_before(day: date) -> date:
    """The same month a year earlier (months are first days, so no 29 February to trip on)."""
    return day.replace(year=day.year - 1)


def month_code(day: date | None) -> str:
    """ "2025-11"; empty for no month."""
    return f"{day:{MONTH_FORMAT}}" if day else ""


def parse_month(text: str) -> date | None:
    """The first day of the month written YYYY-MM; None when the text is no such month."""
    try:
        return datetime.strptime(text, MONTH_FORMAT).date()
    except ValueError:
        return None


def period_label(start: date, end: date) -> str:
    """A period in RareGate's notation: "2025-11", or "2025-01/2025-02" for a span."""
    if start == end:
        return month_code(start)
    return f"{month_code(start)}/{month_code(end)}"


def parse_period(period: str) -> tuple[str, str, str | None]:
    """(start, end, problem) of a period in RareGate's notation; problem is None when it is fine.

    A period is one month or January–February of one year (the span GACC publishes).
    """
    match = _PERIOD.fullmatch(period)
    if not match:
        shown = f"'{period}'" if period else "empty"
        return "", "", f"malformed period {shown}: expected YYYY-MM or YYYY-MM/YYYY-MM"
    year, month, end_year, end_month = match.groups()
    if "0000" in (year, end_year):
        return "", "", f"period {period} has the year 0000: a date's year starts at 0001"
    start = f"{year}-{month}"
    end = f"{end_year}-{end_month}" if end_year else start
    if end == start or (year == end_year and month == "01" and end_month == "02"):
        return start, end, None
    return start, end, f"period {period} is neither a month nor January–February of one year"


def name_of_month(month: int) -> str:
    """ "January" for 1."""
    return date(2000, month, 1).strftime("%B")


def month_name(day: date) -> str:
    """ "December 2025"."""
    return period_name(day, day)


def period_name(start: date, end: date, *, short: bool = False) -> str:
    """ "December 2025", or "January–February 2025" for a span; `short`: "Jan–Feb 2025"."""
    month = "%b" if short else "%B"
    if start == end:
        return start.strftime(f"{month} %Y")
    if start.year == end.year:
        return f"{start.strftime(month)}–{end.strftime(f'{month} %Y')}"
    return f"{start.strftime(f'{month} %Y')}–{end.strftime(f'{month} %Y')}"


def year_to_date_name(end: date, *, short: bool = False) -> str:
    """The months of `end`'s year up to it: "January–March 2026", "January 2026" in January."""
    return period_name(date(end.year, 1, 1), end.replace(day=1), short=short)


def months_uncovered(periods: Iterable[tuple[date, date]], through: date) -> list[str]:
    """The names of the months of `through`'s year, up to it, that none of `periods` covers."""
    covered: set[int] = set()
    for start, end in periods:
        if start.year == through.year and start <= through:
            covered.update(range(start.month, end.month + 1))
    return [name_of_month(month) for month in range(1, through.month + 1) if month not in covered]
