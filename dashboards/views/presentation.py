"""How the pages write figures: tonnes, signed percentages, periods, and why a figure is n/a."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from dashboards.models import MonthlySummary
from dashboards.selectors import Card

NA = "n/a"
MINUS = "\u2212"


def tonnes(value: Decimal | float | None, *, whole: bool = False) -> str:
    """4392.1 → "4,392.1 t", 4446 → "4,446 t"; `whole` rounds to the tonne (62,585 t)."""
    if value is None:
        return NA
    step = Decimal("1") if whole else Decimal("0.1")
    rounded = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    return f"{text.removesuffix('.0')} t"


def percent(value: float | None) -> str:
    """Signed, one decimal, a real minus sign: +26.5%, −20.1%."""
    if value is None:
        return NA
    rounded = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:+f}%".replace("-", MINUS)


def percent_number(value: float | None) -> float | None:
    """The percentage as shown, as a number (for the CSV download)."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def month_name(day: date) -> str:
    return f"{day:%B %Y}"


def period_name(start: date, end: date) -> str:
    """ "December 2025", or "January–February 2025" for a span."""
    if start == end:
        return month_name(start)
    if start.year == end.year:
        return f"{start:%B}–{end:%B %Y}"
    return f"{start:%B %Y}–{end:%B %Y}"


def year_to_date_name(end: date) -> str:
    return f"January {end.year}" if end.month == 1 else f"January–{end:%B %Y}"


def months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def a_year_before(day: date) -> date:
    return day.replace(year=day.year - 1)


@dataclass
class Stat:
    """One card: its label, the figure as written, and what it compares with or why it is n/a."""

    label: str
    value: str
    note: str
    missing: bool = False
    key: str = ""


@dataclass
class CardView:
    summary: MonthlySummary
    period: str
    stats: list[Stat] = field(default_factory=list)


def card_view(card: Card, rows: list[MonthlySummary]) -> CardView:
    """The five headline figures of a card, with a reason for each one that is missing.

    `rows` are the same series' periods to the same partner (any order): the comparisons are
    explained from them without another query.
    """
    summary = card.summary
    by_start = {row.period_start: row for row in rows}
    by_end = {row.period_end: row for row in rows}
    period = period_name(summary.period_start, summary.period_end)
    stats = [
        Stat("Exports", tonnes(summary.tonnes), period, key="tonnes"),
        _month_on_month(summary, by_end),
        _year_on_year(summary, by_start),
        _year_to_date(summary, card.ytd_missing),
        _year_to_date_yoy(summary, by_end, rows),
    ]
    return CardView(summary=summary, period=period, stats=stats)


def _month_on_month(summary: MonthlySummary, by_end: dict) -> Stat:
    label = "Month on month"
    if summary.mom_pct is not None:
        previous = by_end.get(months_before(summary.period_start, 1))
        against = f"against {month_name(previous.period_start)}" if previous else ""
        return Stat(label, percent(summary.mom_pct), against, key="mom")
    if summary.is_span:
        reason = "no MoM: a January–February span is not compared with a single month"
    else:
        previous_month = months_before(summary.period_start, 1)
        previous = by_end.get(previous_month)
        if previous is None:
            reason = f"no MoM: no figure for {month_name(previous_month)}"
        elif previous.is_span:
            reason = "no MoM: the previous period is a January–February span"
        else:
            reason = f"no MoM: {month_name(previous_month)} was 0 t"
    return Stat(label, NA, reason, missing=True, key="mom")


def _year_on_year(summary: MonthlySummary, by_start: dict) -> Stat:
    label = "Year on year"
    start, end = a_year_before(summary.period_start), a_year_before(summary.period_end)
    earlier = by_start.get(start)
    if summary.yoy_pct is not None:
        return Stat(
            label, percent(summary.yoy_pct), f"against {period_name(start, end)}", key="yoy"
        )
    if earlier is None or earlier.period_end != end:
        reason = f"no YoY: no figure for {period_name(start, end)}"
    else:
        reason = f"no YoY: {period_name(start, end)} was 0 t"
    return Stat(label, NA, reason, missing=True, key="yoy")


def _year_to_date(summary: MonthlySummary, missing: list[str]) -> Stat:
    label = "Year to date"
    if summary.ytd_complete:
        return Stat(
            label,
            tonnes(summary.ytd_tonnes, whole=True),
            year_to_date_name(summary.period_end),
            key="ytd",
        )
    reason = f"YTD incomplete: lacks {', '.join(missing)}" if missing else "YTD incomplete"
    return Stat(label, NA, reason, missing=True, key="ytd")


def _year_to_date_yoy(summary: MonthlySummary, by_end: dict, rows: list) -> Stat:
    label = "Year to date, year on year"
    end = a_year_before(summary.period_end)
    if summary.ytd_yoy_pct is not None:
        return Stat(
            label, percent(summary.ytd_yoy_pct), f"against {year_to_date_name(end)}", key="ytd_yoy"
        )
    earlier = by_end.get(end)
    if not summary.ytd_complete:
        reason = "no YTD YoY: this year to date is incomplete"
    elif earlier is None:
        reason = f"no YTD YoY: no figure for {month_name(end)}"
    elif not earlier.ytd_complete:
        lacking = months_lacking(rows, end)
        reason = f"no YTD YoY: {year_to_date_name(end)} is incomplete"
        if lacking:
            reason += f" (lacks {', '.join(lacking)})"
    else:
        reason = f"no YTD YoY: {year_to_date_name(end)} was 0 t"
    return Stat(label, NA, reason, missing=True, key="ytd_yoy")


def months_lacking(rows: list[MonthlySummary], through: date) -> list[str]:
    """The months of `through`'s year, up to it, that no period in `rows` covers."""
    covered: set[int] = set()
    for row in rows:
        if row.period_start.year == through.year and row.period_start <= through:
            covered.update(range(row.period_start.month, row.period_end.month + 1))
    return [
        date(through.year, month, 1).strftime("%B")
        for month in range(1, through.month + 1)
        if month not in covered
    ]


@dataclass
class Chart:
    """A cached figure on a page: its json_script element and what the plot is called.

    The figure is fetched only when the page renders it, not when its fragment is cached.
    """

    element_id: str
    build: Callable[[], str]
    filename: str
    caption: str = ""

    @cached_property
    def script(self) -> str:
        return self.build()

    @property
    def drawn(self) -> bool:
        return bool(self.script)
