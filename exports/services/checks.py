"""Checks of a parsed file against what is already stored."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from core.periods import name_of_month
from exports.models import ExportRecord, Series, YearToDateFigure
from exports.parsers.base import RowError

# GACC publishes tonnes to three decimals; allow for the rounding of both cumulative figures.
CUMULATIVE_TOLERANCE_TONNES = 0.5


def span_conflicts(rows: pd.DataFrame) -> list[RowError]:
    """A January–February span beside a stored January or February figure, or the reverse."""
    if rows.empty:
        return []
    years = rows["period_start"].str[:4]
    is_span = rows["period_start"] != rows["period_end"]
    in_jan_feb = rows["period_start"].str[5:7].isin(["01", "02"])
    candidates = rows[in_jan_feb]
    if candidates.empty:
        return []
    if not is_span.any():
        # Months only: a conflict needs a stored span, and most series have none.
        spans = ExportRecord.objects.filter(
            is_current=True,
            series__code__in=candidates["series"].unique().tolist(),
            period_start__month=1,
            period_end__month=2,
        )
        if not spans.exists():
            return []
    stored = ExportRecord.objects.filter(
        is_current=True,
        series__code__in=candidates["series"].unique().tolist(),
        partner__in=candidates["partner"].unique().tolist(),
        period_start__year__in=[int(y) for y in years[in_jan_feb].unique()],
        period_start__month__in=[1, 2],
    ).values_list("series__code", "partner", "period_start", "period_end")
    stored_spans, stored_months = set(), set()
    for series, partner, start, end in stored:
        key = (series, partner, str(start.year))
        (stored_spans if start != end else stored_months).add(key)
    if not stored_spans and not stored_months:
        return []
    errors = []
    for row, year, span in zip(
        candidates.itertuples(index=False), years[in_jan_feb], is_span[in_jan_feb], strict=True
    ):
        key = (row.series, row.partner, year)
        if span and key in stored_months:
            errors.append(
                RowError(
                    row.line,
                    "period",
                    f"{row.series} {year}: a January or February figure is already stored, so "
                    "a combined January–February span cannot be added beside it.",
                )
            )
        elif not span and key in stored_spans:
            errors.append(
                RowError(
                    row.line,
                    "period",
                    f"{row.series} {year}: a combined January–February span is already stored, "
                    "so a figure for January or February alone cannot be added beside it.",
                )
            )
    return errors


def _stored_year_to_date(series_codes: list[str]) -> dict[tuple, float]:
    figures: dict[tuple, float] = {}
    # Newest batch first, so the first figure seen for a key is the latest.
    for figure in (
        YearToDateFigure.objects.filter(series__code__in=series_codes)
        .select_related("series")
        .order_by("-batch_id")
    ):
        key = (figure.series.code, figure.partner, figure.year, figure.through_month)
        figures.setdefault(key, float(figure.tonnes))
    return figures


def cumulative_warnings(rows: pd.DataFrame, cumulative: pd.DataFrame | None) -> list[str]:
    """Month figures that disagree with the difference of two January-to-month figures."""
    if cumulative is None or cumulative.empty or rows.empty:
        return []
    figures = _stored_year_to_date(rows["series"].unique().tolist())
    for row in cumulative.itertuples(index=False):
        figures[(row.series, row.partner, int(row.year), int(row.through_month))] = float(
            row.tonnes
        )
    warnings = []
    for row in rows.itertuples(index=False):
        year, month = int(row.period_end[:4]), int(row.period_end[5:7])
        through = figures.get((row.series, row.partner, year, month))
        if through is None:
            continue
        if row.period_start[5:7] == "01":  # January, or the January–February span
            before, label = 0.0, ""
        else:
            before = figures.get((row.series, row.partner, year, month - 1))
            if before is None:
                continue
            label = f" minus January–{name_of_month(month - 1)} ({before:,.3f} t)"
        expected = through - before
        if abs(float(row.tonnes) - expected) > CUMULATIVE_TOLERANCE_TONNES:
            period = row.period_start
            if row.period_start != row.period_end:
                period += f"/{row.period_end}"
            warnings.append(
                f"{row.series} {period}: the month figure {float(row.tonnes):,.3f} t differs "
                f"from January–{name_of_month(month)} ({through:,.3f} t){label} = "
                f"{expected:,.3f} t by {float(row.tonnes) - expected:+,.3f} t (line {row.line})."
            )
    return warnings


def year_to_date_store(cumulative: pd.DataFrame | None, *, batch) -> int:
    if cumulative is None or cumulative.empty:
        return 0
    series_ids = dict(Series.objects.values_list("code", "id"))
    YearToDateFigure.objects.bulk_create(
        YearToDateFigure(
            series_id=series_ids[row.series],
            year=int(row.year),
            through_month=int(row.through_month),
            partner=row.partner or "",
            tonnes=Decimal(f"{float(row.tonnes):.3f}"),
            batch=batch,
        )
        for row in cumulative.itertuples(index=False)
    )
    return len(cumulative)
