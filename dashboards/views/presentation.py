"""The overview's headline figures as the page writes them, and why a figure is n/a."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from core.formatting import NA, percent, tonnes
from core.periods import (
    a_year_before,
    add_months,
    month_name,
    months_uncovered,
    period_name,
    year_to_date_name,
)
from dashboards.figures import Drawn
from dashboards.models import MonthlySummary
from dashboards.selectors import Card


@dataclass
class Stat:
    """One card: its label, the figure as written, and what it compares with or why it is n/a."""

    label: str
    value: str
    note: str
    missing: bool = False
    key: str = ""
    flag: str = ""  # a warning beside the figure


# A sum of months further than this from the source's own year to date is flagged.
PUBLISHED_TOLERANCE_PCT = 0.1


@dataclass(frozen=True)
class PublishedYearToDate:
    """The source's own January-to-month figure beside the sum of the months held."""

    tonnes: Decimal
    difference_pct: float | None  # of the sum against it; None when the sum is incomplete

    @property
    def shown(self) -> str:
        return tonnes(self.tonnes)

    @property
    def text(self) -> str:
        return f"as published: {self.shown}"

    @property
    def flag(self) -> str:
        """ "the months sum to 0.4% more" when they differ by more than the tolerance."""
        if self.difference_pct is None or abs(self.difference_pct) <= PUBLISHED_TOLERANCE_PCT:
            return ""
        more = "more" if self.difference_pct > 0 else "less"
        return f"the months sum to {abs(self.difference_pct):.1f}% {more} than published"


def published_year_to_date(
    summary: MonthlySummary, published: Decimal | None
) -> PublishedYearToDate | None:
    if published is None:
        return None
    difference = None
    if summary.ytd_complete and published:
        difference = float((summary.ytd_tonnes - published) / published * 100)
    return PublishedYearToDate(published, difference)


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
        _year_to_date(
            summary, card.ytd_missing, published_year_to_date(summary, card.ytd_published)
        ),
        _year_to_date_yoy(summary, by_end, rows),
    ]
    return CardView(summary=summary, period=period, stats=stats)


def _month_on_month(summary: MonthlySummary, by_end: dict) -> Stat:
    label = "Month on month"
    if summary.mom_pct is not None:
        previous = by_end.get(add_months(summary.period_start, -1))
        against = f"against {month_name(previous.period_start)}" if previous else ""
        return Stat(label, percent(summary.mom_pct), against, key="mom")
    if summary.is_span:
        reason = "no MoM: a January–February span is not compared with a single month"
    else:
        previous_month = add_months(summary.period_start, -1)
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


def _year_to_date(
    summary: MonthlySummary, missing: list[str], published: PublishedYearToDate | None
) -> Stat:
    label = "Year to date"
    also = f"; {published.text}" if published else ""
    if summary.ytd_complete:
        return Stat(
            label,
            tonnes(summary.ytd_tonnes),
            f"{year_to_date_name(summary.period_end)}, the sum of months{also}",
            key="ytd",
            flag=published.flag if published else "",
        )
    reason = f"YTD incomplete: lacks {', '.join(missing)}" if missing else "YTD incomplete"
    return Stat(label, NA, reason + also, missing=True, key="ytd")


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
        lacking = months_uncovered(((row.period_start, row.period_end) for row in rows), end)
        reason = f"no YTD YoY: {year_to_date_name(end)} is incomplete"
        if lacking:
            reason += f" (lacks {', '.join(lacking)})"
    else:
        reason = f"no YTD YoY: {year_to_date_name(end)} was 0 t"
    return Stat(label, NA, reason, missing=True, key="ytd_yoy")


@dataclass
class Chart:
    """A cached figure on a page: its json_script element, what the plot is called, and the
    events and suspension windows it marks (dashboards.figures.Drawn), listed under it.

    The figure is fetched only when the page renders it, not when its fragment is cached.
    """

    element_id: str
    build: Callable[[], Drawn]
    filename: str
    caption: str = ""

    @cached_property
    def drawn_figure(self) -> Drawn:
        return self.build()

    @property
    def script(self) -> str:
        return self.drawn_figure.script

    @property
    def marks(self) -> list:
        return self.drawn_figure.marks

    @property
    def bands(self) -> list:
        return self.drawn_figure.bands

    @property
    def drawn(self) -> bool:
        return bool(self.script)
