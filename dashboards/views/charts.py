"""The charts page: one series, partner and range drawn, tabled and downloadable as CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from core.downloads import csv_download
from core.formatting import NA, percent, percent_number, tonnes
from core.periods import add_months, month_code
from core.views import PageMixin
from dashboards import figures, selectors
from dashboards.forms import ChartsForm, charts_form
from dashboards.models import MonthlySummary
from dashboards.views.overview import MONTHS_SHOWN, PERMISSION
from dashboards.views.presentation import Chart, PublishedYearToDate, published_year_to_date
from exports.models import Series
from exports.units import amount, converted, unit_words

CSV_COLUMNS = [
    "series",
    "partner",
    "period",
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
    "batch",
    "source_url",
]


@dataclass
class Choice:
    series: str
    partner: str
    start: date | None
    end: date | None
    defaulted: bool = False  # no range was chosen: the last MONTHS_SHOWN months
    destinations: bool = False  # the series has figures per partner


@dataclass
class TableRow:
    summary: MonthlySummary
    tonnes: str
    value: str
    mom: str
    yoy: str
    ytd: str
    ytd_yoy: str
    ytd_published: PublishedYearToDate | None = None


def table_row(summary: MonthlySummary, *, unit: str, published: Decimal | None = None) -> TableRow:
    """A summary as the table writes it: its value in the series' one unit (`unit`)."""
    return TableRow(
        summary=summary,
        tonnes=tonnes(summary.tonnes),
        value=amount(summary.value, summary.value_unit, unit),
        mom=percent(summary.mom_pct),
        yoy=percent(summary.yoy_pct),
        ytd=tonnes(summary.ytd_tonnes) if summary.ytd_complete else NA,
        ytd_yoy=percent(summary.ytd_yoy_pct),
        ytd_published=published_year_to_date(summary, published),
    )


def summaries_csv(choice: Choice, rows: list[MonthlySummary], unit: str) -> HttpResponse:
    """Exactly the plotted figures, one row per period, values in the series' one unit."""
    parts = [choice.series, choice.partner or "all", month_code(choice.start) or "first"]
    parts.append(month_code(choice.end) or "latest")
    return csv_download(
        f"{'_'.join(parts)}.csv", CSV_COLUMNS, (_csv_row(row, choice, unit) for row in rows)
    )


def _csv_row(row: MonthlySummary, choice: Choice, unit: str) -> list:
    value = converted(row.value, row.value_unit, unit)
    return [
        choice.series,
        row.partner,
        row.period_label,
        row.period_start.isoformat(),
        row.period_end.isoformat(),
        row.tonnes,
        None if value is None else value.quantize(Decimal("0.001")),
        "" if value is None else unit,
        percent_number(row.mom_pct),
        percent_number(row.yoy_pct),
        row.ytd_tonnes if row.ytd_complete else None,
        row.ytd_complete,
        percent_number(row.ytd_yoy_pct),
        row.batch_id,
        row.source_url,
    ]


def plotted(choice: Choice) -> list[MonthlySummary]:
    return list(
        selectors.summaries(
            series=choice.series, partner=choice.partner, start=choice.start, end=choice.end
        )
    )


def default_start(series: str, partner: str) -> date | None:
    """With no range chosen, the last MONTHS_SHOWN months up to the latest period."""
    latest = (
        selectors.summaries(series=series, partner=partner)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    return add_months(latest, -(MONTHS_SHOWN - 1)) if latest else None


def choice_of(form: ChartsForm) -> Choice:
    """What a valid form asks to draw, the default range filled in."""
    data = form.cleaned_data
    start = data["start"]
    if start is None and data["end"] is None:
        start = default_start(data["series"], data["partner"])
    return Choice(
        data["series"],
        data["partner"],
        start,
        data["end"],
        defaulted=start is not None and data["start"] is None,
        destinations=bool(form.partners),
    )


class ChartsView(PageMixin, TemplateView):
    permission_required = PERMISSION
    template_name = "dashboards/charts.html"
    section = "charts"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = charts_form(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        choice = choice_of(form)
        if request.GET.get("format") == "csv":
            unit = Series.objects.values_list("value_unit", flat=True).get(code=choice.series)
            return summaries_csv(choice, plotted(choice), unit)
        return self.render_to_response(
            self.get_context_data(
                form=form, choice=choice, months_shown=MONTHS_SHOWN, drawn=self._drawn(choice)
            )
        )

    def _drawn(self, choice: Choice) -> dict:
        rows = plotted(choice)
        (current,) = selectors.series_freshness(on=timezone.localdate(), codes=[choice.series])
        unit = current.series.value_unit
        published = selectors.published_year_to_date(
            series=choice.series, partner=choice.partner, ends=[row.period_end for row in rows]
        )
        # The months not yet published follow the latest: shown when the range runs to it.
        unpublished = current.chart_months if choice.end is None else ()
        area = {
            "version": selectors.summary_version(),
            "series": choice.series,
            "start": choice.start,
            "end": choice.end,
        }
        name = "_".join([choice.series, choice.partner or "all"])
        year = rows[-1].period_end.year if rows else None
        charts = [
            Chart(
                figures.MONTHLY,
                partial(figures.monthly, partner=choice.partner, unpublished=unpublished, **area),
                filename=f"raregate_{name}_monthly",
            )
        ]
        if year:
            charts.append(
                Chart(
                    figures.YEAR_TO_DATE,
                    partial(
                        figures.year_to_date,
                        version=area["version"],
                        series=choice.series,
                        partner=choice.partner,
                        year=year,
                    ),
                    filename=f"raregate_{name}_year-to-date-{year}",
                )
            )
        destination_charts = []
        if choice.destinations:
            bars, world = figures.destinations(**area)
            destination_charts = [
                Chart(
                    figures.DESTINATIONS, bars, filename=f"raregate_{choice.series}_destinations"
                ),
                Chart(
                    figures.DESTINATION_MAP,
                    world,
                    filename=f"raregate_{choice.series}_destination-map",
                ),
            ]
        return {
            "partner_label": figures.partner_name(choice.partner),
            "freshness": [current],
            "rows": [
                table_row(row, unit=unit, published=published.get(row.period_end)) for row in rows
            ],
            "value_unit": unit_words(unit),
            "published_year_to_date": bool(published),
            "charts": charts,
            "destination_charts": destination_charts,
        }
