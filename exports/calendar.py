"""When each series' figures come out, and so what is held, what is due and what is overdue.

GACC publishes its preliminary headline (the rare-earth tonnage of its table of major export
commodities) about the 7th–14th of the following month, and its country and commodity detail
(magnets, destinations) about the 20th; January and February come together, in March. UN Comtrade
has China's monthly data about two months after the month. A release is overdue once the last day
of its window has passed without its figures in RareGate; the alert waits a week more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from core.formatting import day_in_words
from core.periods import add_months, month_end, month_name, period_name
from exports.models import Series

ALERT_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class Release:
    """One publication of a month's figures: what it brings and its window of days."""

    name: str  # "headline", "country detail", "monthly data"
    months_after: int  # 1: in the month after the period's last month
    first_day: int
    last_day: int | None  # None: to the end of that month

    def window(self, period_end: date) -> tuple[date, date]:
        month = add_months(period_end, self.months_after)
        last = month_end(month) if self.last_day is None else month.replace(day=self.last_day)
        return month.replace(day=self.first_day), last

    def due_text(self, period_end: date) -> str:
        first, last = self.window(period_end)
        if self.last_day is None:
            return f"during {first:%B %Y}"
        if first == last:
            return f"about {day_in_words(first)}"
        return f"about {first.day}–{day_in_words(last)}"


@dataclass(frozen=True)
class Calendar:
    """A series' releases: its total to all destinations, and its breakdown by destination when
    that comes later (None: both in one release)."""

    total: Release
    breakdown: Release | None = None
    joint_january_february: bool = False

    def periods_after(self, end: date, through: date):
        """The periods that follow one ending on `end`, up to those ending by `through`."""
        start = add_months(end, 1)
        while start <= through:
            if self.joint_january_february and start.month == 1:
                period = (start, start.replace(month=2))
            else:
                period = (start, start)
            if period[1] > through:
                return
            yield period
            start = add_months(period[1], 1)


GACC_HEADLINE = Release("headline", 1, 7, 14)
GACC_DETAIL = Release("country and commodity detail", 1, 18, 22)
COMTRADE_MONTHLY = Release("monthly data", 2, 1, None)
CALENDARS = {
    "gacc-rare-earths": Calendar(GACC_HEADLINE, GACC_DETAIL, joint_january_february=True),
    # Magnets are in GACC's detail: the total and the destinations come together.
    "gacc-ndfeb-magnets": Calendar(GACC_DETAIL, joint_january_february=True),
}
BY_SOURCE = {
    Series.Source.GACC: Calendar(GACC_HEADLINE, GACC_DETAIL, joint_january_february=True),
    Series.Source.COMTRADE: Calendar(COMTRADE_MONTHLY),
}


def calendar_of(series: Series) -> Calendar:
    return CALENDARS.get(series.code) or BY_SOURCE[series.source]


@dataclass(frozen=True)
class Due:
    """A release of one period: what, for which period, and its window."""

    period: tuple[date, date]
    release: Release
    first: date
    last: date

    @property
    def period_name(self) -> str:
        return period_name(*self.period)

    @property
    def text(self) -> str:
        """ "December 2026's headline is due about 7–14 January 2027"."""
        return f"{self.period_name}'s {self.release.name} is due {self.when}"

    @property
    def when(self) -> str:
        return self.release.due_text(self.period[1])


def _due(period: tuple[date, date], release: Release) -> Due:
    first, last = release.window(period[1])
    return Due(period, release, first, last)


@dataclass
class Freshness:
    """How current one series is on a day, by its calendar."""

    series: Series
    on: date
    latest: tuple[date, date] | None = None  # the newest period held, to all destinations
    imported_at: datetime | None = None  # when that period's figure was imported
    next: Due | None = None  # the next release expected
    overdue: list[Due] = field(default_factory=list)  # past their window, not held
    not_yet_due: list[Due] = field(default_factory=list)  # months ended, release not yet due
    awaiting_breakdown: list[Due] = field(default_factory=list)  # total held, no destinations

    @property
    def latest_name(self) -> str:
        return period_name(*self.latest) if self.latest else ""

    @property
    def runs_to(self) -> str:
        """The last month held: "February 2026" for a January–February span."""
        return month_name(self.latest[1]) if self.latest else ""

    @property
    def unpublished(self) -> list[Due]:
        """The periods ended but not held, oldest first: shown as not yet published."""
        return self.overdue + self.not_yet_due

    @property
    def chart_months(self) -> tuple[tuple[date, date, bool], ...]:
        """The unpublished periods as a chart shades them: (start, end, overdue)."""
        return tuple((*due.period, due in self.overdue) for due in self.unpublished)

    @property
    def alert_due(self) -> Due | None:
        """The newest release overdue by more than a week, if any."""
        late = [due for due in self.overdue if due.last + ALERT_AFTER < self.on]
        return late[-1] if late else None

    @property
    def behind_text(self) -> str:
        """ "8 releases missing since February 2026 (March–October 2026 were due by 14
        November 2026)"; empty when none is overdue."""
        if not self.overdue:
            return ""
        count = len(self.overdue)
        first, last = self.overdue[0], self.overdue[-1]
        months = period_name(first.period[0], last.period[1])
        noun = "release" if count == 1 else "releases"
        verb = "was" if count == 1 else "were"
        return (
            f"{count} {noun} missing since {self.runs_to}: {months} {verb} due by "
            f"{day_in_words(last.last)}."
        )


def freshness(
    series: Series,
    *,
    on: date,
    latest: tuple[date, date] | None,
    imported_at: datetime | None = None,
    awaiting_breakdown: list[tuple[date, date]] = (),
) -> Freshness:
    """Where the series stands on `on`, from what it holds: its latest period to all
    destinations and when that came in, and the periods held to all destinations after the
    newest held by destination (read by dashboards.selectors.series_freshness)."""
    result = Freshness(series=series, on=on, latest=latest, imported_at=imported_at)
    if latest is None:
        return result
    calendar = calendar_of(series)
    # The periods after the latest whose months have ended, then the one after them.
    for period in calendar.periods_after(latest[1], through=add_months(on, -1)):
        due = _due(period, calendar.total)
        (result.overdue if due.last < on else result.not_yet_due).append(due)
    ended = result.unpublished[-1].period[1] if result.unpublished else latest[1]
    upcoming = next(calendar.periods_after(ended, through=add_months(on, 24)))
    result.next = result.not_yet_due[0] if result.not_yet_due else _due(upcoming, calendar.total)
    breakdown = calendar.breakdown or calendar.total
    result.awaiting_breakdown = [_due(period, breakdown) for period in awaiting_breakdown]
    return result
