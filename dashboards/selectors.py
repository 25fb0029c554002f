"""Reads for the dashboards: monthly summaries (never raw records) and the dates that matter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
from django.db import connection
from django.db.models import Case, Count, F, FloatField, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from core.formatting import period_in_words
from core.periods import months_uncovered
from dashboards.models import MonthlySummary, SummaryRebuild
from exports.calendar import Freshness, freshness
from exports.models import Series, YearToDateFigure
from exports.series import HEADLINE_SERIES
from licensing.models import ControlMeasure, Licence
from licensing.states import State, state_on

# The series whose currency the overview tells: the headline, and the magnets it is read beside.
OVERVIEW_SERIES = {HEADLINE_SERIES: "rare earths", "gacc-ndfeb-magnets": "magnets"}
SUMMARY_COLUMNS = [
    "period_start",
    "period_end",
    "tonnes",
    "value",
    "value_unit",
    "mom_pct",
    "yoy_pct",
    "ytd_tonnes",
    "ytd_complete",
    "ytd_yoy_pct",
    "batch_id",
    "record_id",
    "source_url",
]


def of_series(code: str) -> QuerySet[MonthlySummary]:
    """The summaries of the series with this code, found by the series' id: filtered through a
    join on the code, PostgreSQL cannot tell which rows of the summaries' index to read and scans
    every summary."""
    series_id = Series.objects.filter(code=code).values("id")[:1]
    return MonthlySummary.objects.filter(series_id=Subquery(series_id))


def summary_version() -> int:
    """The newest committed rebuild's id (0 before any): part of every cached figure's key.

    Kept in the database, so it cannot be evicted: a rebuild always moves it on, and figures
    cached under an older version are simply never read again.
    """
    newest = SummaryRebuild.objects.order_by("-id").values_list("id", flat=True).first()
    return newest or 0


def _within(
    rows: QuerySet[MonthlySummary], start: date | None, end: date | None
) -> QuerySet[MonthlySummary]:
    """The periods that reach into the months from `start` to `end` (either open)."""
    if start:
        rows = rows.filter(period_end__gte=start)
    if end:
        rows = rows.filter(period_start__lte=end)
    return rows


def summaries(
    *, series: str, partner: str = "", start: date | None = None, end: date | None = None
) -> QuerySet[MonthlySummary]:
    """One series' summaries to one partner ("" = all destinations), oldest first."""
    return _within(of_series(series).filter(partner=partner), start, end).order_by("period_start")


def summary_frame(
    *, series: str, partner: str = "", start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """The summaries as the chart builders take them (see dashboards/charts.py)."""
    rows = list(
        summaries(series=series, partner=partner, start=start, end=end).values(*SUMMARY_COLUMNS)
    )
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for column in ("tonnes", "value", "ytd_tonnes", "mom_pct", "yoy_pct", "ytd_yoy_pct"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["ytd_complete"] = frame["ytd_complete"].astype(bool)
    frame["label"] = [
        period_in_words(start, end)
        for start, end in zip(frame["period_start"], frame["period_end"], strict=True)
    ]
    return frame


DESTINATIONS_SHOWN = 8


def _to_partners(series: str, start: date | None, end: date | None) -> QuerySet[MonthlySummary]:
    return _within(of_series(series).exclude(partner=""), start, end)


def destination_stack(
    *,
    series: str,
    start: date | None = None,
    end: date | None = None,
    top: int = DESTINATIONS_SHOWN,
) -> pd.DataFrame:
    """Tonnes by period of the `top` partners by total over the range, the other partners summed
    under a missing partner (NaN), and the total to all destinations under "" (so that a chart
    can show what no partner accounts for): summed by the database, a few hundred rows."""
    rows = _to_partners(series, start, end)
    # Ties broken by partner code, so that the same data always stacks the same way.
    leaders = (
        rows.values("partner")
        .annotate(total=Sum("tonnes"))
        .order_by("-total", "partner")
        .values("partner")[:top]
    )
    shown = Case(
        When(partner="", then=Value("")),
        When(partner__in=leaders, then=F("partner")),
        default=None,
    )
    # Only the periods some partner has: a total with no breakdown yet is not a destination chart.
    broken_down = rows.values("period_start")
    stacked = (
        _within(of_series(series), start, end)
        .filter(period_start__in=broken_down)
        .values("period_start", shown_partner=shown)
        .annotate(period_tonnes=Cast(Sum("tonnes"), FloatField()))
        .order_by("period_start", "shown_partner")
        .values_list("period_start", "shown_partner", "period_tonnes")
    )
    return pd.DataFrame.from_records(list(stacked), columns=["period_start", "partner", "tonnes"])


def destination_latest(
    *, series: str, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Tonnes by partner in the latest period of the range."""
    rows = _to_partners(series, start, end)
    # By end, on the series' index by end; the periods of one partner never overlap.
    latest = rows.order_by("-period_end").values("period_end")[:1]
    columns = ["period_start", "period_end", "partner", "tonnes"]
    found = (
        rows.filter(period_end=Subquery(latest))
        .annotate(partner_tonnes=Cast("tonnes", FloatField()))
        .order_by("partner")
    )
    return pd.DataFrame.from_records(
        list(found.values_list(*columns[:3], "partner_tonnes")), columns=columns
    )


# PostgreSQL finds the distinct values of an index's column by reading every entry; this reads
# one entry per partner instead (the next partner after the last one found).
PARTNERS_SQL = """
WITH RECURSIVE chosen(id) AS (SELECT id FROM {series} WHERE code = %(code)s),
found(partner) AS (
    (SELECT partner FROM {table} WHERE series_id = (SELECT id FROM chosen)
     ORDER BY partner LIMIT 1)
    UNION ALL
    SELECT (SELECT partner FROM {table}
            WHERE series_id = (SELECT id FROM chosen) AND partner > found.partner
            ORDER BY partner LIMIT 1)
    FROM found WHERE found.partner IS NOT NULL
)
SELECT partner FROM found WHERE partner IS NOT NULL
"""


def partners_of(series: str) -> list[str]:
    """The partners a series has summaries for, in order ("" for all destinations first)."""
    if connection.vendor != "postgresql":
        partners = of_series(series).values_list("partner", flat=True)
        return list(partners.distinct().order_by("partner"))
    sql = PARTNERS_SQL.format(table=MonthlySummary._meta.db_table, series=Series._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"code": series})
        return [partner for (partner,) in cursor.fetchall()]


def series_freshness(*, on: date, codes: list[str]) -> list[Freshness]:
    """How current each of these series is on `on` by its release calendar (exports.calendar),
    in the order given: three reads each, all on the summaries' indexes."""
    found = {series.code: series for series in Series.objects.filter(code__in=codes)}
    return [_freshness(found[code], on) for code in codes if code in found]


def _freshness(series: Series, on: date) -> Freshness:
    rows = MonthlySummary.objects.filter(series=series).select_related("batch")
    latest = rows.filter(partner="").order_by("-period_start").first()
    if latest is None:
        # A series held only by destination (a Comtrade file of partners) is as current as
        # its newest partner's month.
        latest = rows.order_by("-period_end").first()  # the index on (series, period_end)
        if latest is None:
            return freshness(series, on=on, latest=None)
        return freshness(
            series,
            on=on,
            latest=(latest.period_start, latest.period_end),
            imported_at=latest.batch.finished_at,
        )
    # The newest period held by destination, by the index on (series, period_end).
    by_partner = rows.exclude(partner="").order_by("-period_end").values("period_end")[:1]
    after = rows.filter(partner="", period_start__gt=Subquery(by_partner)).order_by("period_start")
    return freshness(
        series,
        on=on,
        latest=(latest.period_start, latest.period_end),
        imported_at=latest.batch.finished_at,
        awaiting_breakdown=list(after.values_list("period_start", "period_end")),
    )


def published_year_to_date(
    *, series: str, partner: str = "", ends: list[date]
) -> dict[date, Decimal]:
    """The source's own January-to-month figure (GACC's cumulative column) for each of these
    period ends that has one, the newest import's when several gave it; one query."""
    wanted = {(end.year, end.month) for end in ends}
    if not wanted:
        return {}
    years = {year for year, _ in wanted}
    rows = (
        YearToDateFigure.objects.filter(series__code=series, partner=partner, year__in=years)
        .order_by("-batch_id")
        .values_list("year", "through_month", "tonnes")
    )
    found: dict[date, Decimal] = {}
    for year, month, tonnes in rows:
        if (year, month) in wanted:
            found.setdefault(date(year, month, 1), tonnes)
    return found


def periods_of(series: str, partner: str = "") -> list[MonthlySummary]:
    """The periods a series has, newest first (for choosing a month on the overview)."""
    return list(summaries(series=series, partner=partner).order_by("-period_start"))


@dataclass
class Card:
    """The headline figures of one period, with what the year to date lacks when incomplete."""

    summary: MonthlySummary
    ytd_missing: list[str] = field(default_factory=list)
    ytd_published: Decimal | None = None  # the source's own January-to-month figure


def headline_card(*, series: str = HEADLINE_SERIES, period: date | None = None) -> Card | None:
    """The latest period of the series to all destinations, or the one starting on `period`."""
    rows = summaries(series=series).select_related("series", "batch")
    summary = (
        rows.filter(period_start=period).first()
        if period
        else rows.order_by("-period_start").first()
    )
    if summary is None:
        return None
    published = published_year_to_date(series=series, ends=[summary.period_end])
    return Card(
        summary=summary,
        ytd_missing=_months_missing(summary),
        ytd_published=published.get(summary.period_end),
    )


def _months_missing(summary: MonthlySummary) -> list[str]:
    if summary.ytd_complete:
        return []
    periods = summaries(
        series=summary.series.code,
        partner=summary.partner,
        start=date(summary.period_end.year, 1, 1),
        end=summary.period_end,
    ).values_list("period_start", "period_end")
    return months_uncovered(periods, summary.period_end)


def _merged(names: list[str], suffix: str) -> str:
    """ "No. 57", "No. 61" + " suspended" -> "Nos. 57, 61 suspended"."""
    numbers = sorted((name[4:] for name in names if name.startswith("No. ")), key=int)
    if len(numbers) == len(names) > 1:
        return f"Nos. {', '.join(numbers)}{suffix}"
    return "; ".join(names) + suffix


def _measure_events(measure: ControlMeasure, today: date, suspending: set[int]):
    """(day, kind, suffix) of what happened to a measure, as known today (licensing.states):
    never "in force" on a day it was suspended or not yet effective."""
    if measure.kind == ControlMeasure.Kind.GENERAL_LICENCES_ISSUED:
        yield measure.effective_from, "general_licences", ""
        return
    effective = state_on(measure, measure.effective_from)
    if effective.state == State.IN_FORCE:
        yield measure.effective_from, "measure", " in force"
    elif effective.state == State.SUSPENDED:
        yield measure.announced_on, "measure", " announced (suspended before it took effect)"
    start = measure.suspended_from
    if start is not None and state_on(measure, start - timedelta(days=1)).state == State.IN_FORCE:
        yield start, "suspension_start", " suspended"
    ends = measure.pause_ends_on
    if ends is None or measure.pk in suspending:
        # A suspension's end is told by the measures it suspends.
        return
    after = ends + timedelta(days=1)
    if after > today:
        yield after, "suspension_end", " suspension ends"
        return
    state = state_on(measure, after)
    was_in_force = effective.state == State.IN_FORCE
    suffix = {
        State.AWAITING_CONFIRMATION: " suspension ended — awaiting confirmation",
        State.EXTENDED: " suspension extended",
        State.ENDED: " ended",
        State.IN_FORCE: " back in force" if was_in_force else " in force",
    }[state.state]
    yield after, "suspension_end", suffix


def policy_events(*, today: date | None = None) -> pd.DataFrame:
    """Dates to mark on charts (see policy_marks)."""
    return policy_marks(today=today)[0]


EVENT_COLUMNS = ["date", "label", "kind", "measures"]
BAND_COLUMNS = ["start", "end", "label", "measures"]


def policy_marks(*, today: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What charts mark, as known today: the events (measures taking effect, suspensions and
    their ends, general licences, expiries) and the suspension windows, as shaded bands.

    Events of one kind on one day are merged ("Nos. 57, 61, 62 suspended"), and so are the
    windows of measures suspended together. `measures` holds the (name, id) of the measures an
    event or band is about, for the links under a chart. Two queries, whatever the chart.
    """
    today = today or timezone.localdate()
    grouped: dict[tuple[date, str, str], list[tuple[str, int]]] = {}
    ordered = ControlMeasure.objects.order_by("effective_from", "reference")
    measures = list(ordered.select_related("suspended_by"))
    suspending = {measure.suspended_by_id for measure in measures if measure.suspended_by_id}
    windows: dict[tuple[date, date | None], list[tuple[str, int]]] = {}
    for measure in measures:
        for day, kind, suffix in _measure_events(measure, today, suspending):
            name = measure.reference if kind == "general_licences" else measure.short_name
            grouped.setdefault((day, kind, suffix), []).append((name, measure.pk))
        window = _suspension_window(measure)
        if window:
            windows.setdefault(window, []).append((measure.short_name, measure.pk))
    events = [
        {
            "date": day,
            "label": _merged([name for name, _ in named], suffix),
            "kind": kind,
            "measures": tuple(named),
        }
        for (day, kind, suffix), named in grouped.items()
    ]
    expiries = (
        Licence.objects.filter(status=Licence.Status.ISSUED, valid_until__isnull=False)
        .values("valid_until")
        .annotate(count=Count("id"))
        .order_by("valid_until")
    )
    for row in expiries:
        count = row["count"]
        noun = "licence expires" if count == 1 else f"{count} licences expire"
        events.append(
            {"date": row["valid_until"], "label": noun, "kind": "licence_expiry", "measures": ()}
        )
    frame = pd.DataFrame(events, columns=EVENT_COLUMNS)
    bands = pd.DataFrame(
        [
            {
                "start": start,
                "end": end,
                "label": _merged([name for name, _ in named], " suspended"),
                "measures": tuple(named),
            }
            for (start, end), named in sorted(windows.items(), key=lambda item: item[0][0])
        ],
        columns=BAND_COLUMNS,
    )
    return frame.sort_values("date", kind="stable").reset_index(drop=True), bands


def _suspension_window(measure: ControlMeasure) -> tuple[date, date | None] | None:
    """The days a measure was (or is to be) suspended, an extension included; None when it never
    was. A suspension measure's own days in force are not a window: they are its measures'."""
    start = measure.suspended_from
    if start is None or measure.kind == ControlMeasure.Kind.SUSPENSION:
        return None
    end = measure.suspended_until
    if end is not None:
        after = state_on(measure, end + timedelta(days=1))
        if after is not None and after.state == State.EXTENDED:
            end = after.until
    return start, end
