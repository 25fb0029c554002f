"""The charts page: one series, its partners, a measure and a range drawn, tabled and
downloadable as CSV (the CSV's columns are a contract other tools read: what it is and where
it comes from are in its filename, the source_url column and the note beside the button)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.generic import TemplateView

from core.downloads import csv_download
from core.formatting import NA, percent, percent_number, tonnes
from core.periods import add_months, month_code
from core.views import PageMixin
from dashboards import figures, selectors
from dashboards.charts import TONNES
from dashboards.forms import ChartsForm, charts_form, partner_choices
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
    partners: tuple[str, ...]  # "" = all destinations
    start: date | None
    end: date | None
    defaulted: bool = False  # no range was chosen: the last MONTHS_SHOWN months
    destinations: bool = False  # the series has figures per partner
    measure: str = TONNES

    @property
    def partner(self) -> str:
        """The first partner chosen: the one the year to date and the default range follow."""
        return self.partners[0]

    @property
    def several(self) -> bool:
        return len(self.partners) > 1


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
    """Exactly the plotted figures, one row per period and partner, values in the series' one
    unit; named raregate_…_to-YYYY-MM for the latest month it holds."""
    partners = "+".join(partner or "all" for partner in choice.partners)
    parts = ["raregate", choice.series, partners, month_code(choice.start) or "first"]
    parts.append(month_code(choice.end) or "latest")
    if rows:
        parts.append(f"to-{month_code(max(row.period_end for row in rows))}")
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
    """The summaries drawn, partner by partner in the order chosen: a query per partner."""
    return [
        row
        for partner in choice.partners
        for row in selectors.summaries(
            series=choice.series, partner=partner, start=choice.start, end=choice.end
        )
    ]


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
        start = default_start(data["series"], data["partner"][0])
    return Choice(
        data["series"],
        data["partner"],
        start,
        data["end"],
        defaulted=start is not None and data["start"] is None,
        destinations=bool(form.partners),
        measure=data["measure"],
    )


class ChartsView(PageMixin, TemplateView):
    permission_required = PERMISSION
    template_name = "dashboards/charts.html"
    section = "charts"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("format") == "partners":
            return partner_options(request.GET.get("series", ""))
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
        facts = figures.SeriesFacts.of(current.series)
        published = {}
        if not choice.several:
            published = selectors.published_year_to_date(
                series=choice.series, partner=choice.partner, ends=[row.period_end for row in rows]
            )
        # The months not yet published follow the latest: shown when the range runs to it.
        unpublished = current.chart_months if choice.end is None else ()
        area = {
            "version": selectors.summary_version(),
            "series": choice.series,
            "facts": facts,
            "start": choice.start,
            "end": choice.end,
        }
        name = "_".join([choice.series, "+".join(p or "all" for p in choice.partners)])
        year = rows[-1].period_end.year if rows and not choice.several else None
        charts = [
            Chart(
                figures.MONTHLY,
                partial(
                    figures.monthly,
                    partners=choice.partners,
                    unpublished=unpublished,
                    measure=choice.measure,
                    **area,
                ),
                filename=f"raregate_{name}_{choice.measure}_monthly",
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
                        facts=facts,
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
            "partner_label": ", ".join(figures.partner_name(p) for p in choice.partners),
            "several": choice.several,
            "freshness": [current],
            "source": facts.source,
            "rows": [
                table_row(row, unit=unit, published=published.get(row.period_end)) for row in rows
            ],
            "value_unit": unit_words(unit),
            "published_year_to_date": bool(published),
            "charts": charts,
            "destination_charts": destination_charts,
        }


def partner_options(series: str) -> JsonResponse:
    """The partner menu of a series, as the page's script loads it when the series changes."""
    if not Series.objects.filter(code=series).exists():
        return JsonResponse({"error": "unknown series"}, status=404)
    return JsonResponse({"series": series, "partners": partner_choices(series)})
