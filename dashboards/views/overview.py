"""The overview: the latest GACC month in figures, licences about to expire, automakers by status,
and the monthly and year-to-date charts."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from core.periods import add_months, month_code, month_name, parse_month, period_name
from core.views import PageMixin
from dashboards import figures, selectors
from dashboards.models import MonthlySummary
from dashboards.views.presentation import Chart, card_view
from exports.calendar import Freshness
from licensing.selectors import (
    CoverStatus,
    automaker_listing,
    licences_expiring,
)

PERMISSION = "dashboards.view_monthlysummary"
# The monthly chart shows this many months up to the latest period.
MONTHS_SHOWN = 36
# The expiring-licences panel lists the soonest; the licence list has them all.
EXPIRING_SHOWN = 10


class OverviewView(PageMixin, TemplateView):
    permission_required = PERMISSION
    template_name = "dashboards/overview.html"
    section = "overview"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        on = timezone.localdate()
        freshness = selectors.series_freshness(on=on, codes=list(selectors.OVERVIEW_SERIES))
        context.update(on=on, freshness=freshness, runs_to=_runs_to(freshness))
        context.update(self._figures(self.request.GET.get("period", ""), freshness[0]))
        context.update(self._licensing(on))
        return context

    def _figures(self, asked: str, headline: Freshness) -> dict[str, Any]:
        series = selectors.HEADLINE_SERIES
        periods = selectors.periods_of(series)  # newest first
        chosen = parse_month(asked) if asked else None
        period_error = ""
        if asked and chosen not in {row.period_start for row in periods}:
            period_error = f"No figure for “{asked}”: showing the latest period instead."
            chosen = None
        card = None
        if periods:
            card = selectors.headline_card(series=series, period=chosen or periods[0].period_start)
        return dict(
            series=series,
            periods=[
                (month_code(row.period_start), period_name(row.period_start, row.period_end))
                for row in periods
            ],
            chosen=month_code(card.summary.period_start) if card else "",
            period_error=period_error,
            card=card_view(card, periods) if card else None,
            **self._charts(series, periods, headline, card.summary if card else None),
        )

    def _licensing(self, on: date) -> dict[str, Any]:
        expiring = licences_expiring(within_days=settings.EXPIRY_WARNING_DAYS, on=on)
        soonest = expiring.select_related("exporter").prefetch_related("transitions")
        soonest = soonest.order_by("valid_until", "exporter__name")
        counts = automaker_listing(on=on).counts
        return {
            "warning_days": settings.EXPIRY_WARNING_DAYS,
            "expiring_count": expiring.count(),
            "expiring": [(licence, licence.days_left(on)) for licence in soonest[:EXPIRING_SHOWN]],
            "automaker_counts": [(choice, counts[choice.value]) for choice in CoverStatus],
            "automaker_total": sum(counts.values()),
        }

    def _charts(
        self, series: str, periods: list, headline: Freshness, shown: MonthlySummary | None
    ) -> dict[str, Any]:
        """The monthly chart of the MONTHS_SHOWN months to the period shown (and the months
        not yet published after it when it is the latest); the year to date of its year."""
        if not periods or shown is None:
            return {"charts": []}
        latest = shown.period_start == periods[0].period_start
        version = selectors.summary_version()
        facts = figures.SeriesFacts.of(headline.series)
        start = add_months(shown.period_start, -(MONTHS_SHOWN - 1))
        end = None if latest else shown.period_start
        year = shown.period_end.year
        through = "" if latest else f" to {month_name(shown.period_start)}"
        return {
            "charts": [
                Chart(
                    figures.MONTHLY,
                    partial(
                        figures.monthly,
                        version=version,
                        series=series,
                        facts=facts,
                        start=start,
                        end=end,
                        unpublished=headline.chart_months if latest else (),
                    ),
                    filename=f"raregate-{series}-monthly-{month_code(shown.period_start)}",
                    caption=f"Tonnes per period from {month_name(start)}{through}, with the "
                    "control measures, suspensions, general licences and licence expiries of "
                    "those months, numbered as listed under the chart.",
                ),
                Chart(
                    figures.YEAR_TO_DATE,
                    partial(
                        figures.year_to_date,
                        version=version,
                        series=series,
                        facts=facts,
                        year=year,
                    ),
                    filename=f"raregate-{series}-year-to-date-{year}",
                    caption=f"Cumulative tonnes of {year} against {year - 1}, for the months "
                    "whose year to date is complete.",
                ),
            ]
        }


def _runs_to(freshness: list[Freshness]) -> str:
    """ "The data runs to February 2026 (magnets to March 2026)."; empty before any figure."""
    held = [(selectors.OVERVIEW_SERIES[f.series.code], f.runs_to) for f in freshness if f.latest]
    if not held:
        return ""
    (_, first), others = held[0], held[1:]
    also = "; ".join(f"{noun} to {month}" for noun, month in others if month != first)
    return f"The data runs to {first}" + (f" ({also})." if also else ".")


overview = OverviewView.as_view()


def home(request: HttpRequest) -> HttpResponse:
    """ "/": the overview for those who may see it, the automakers for everyone else."""
    if request.user.has_perm(PERMISSION):
        return overview(request)
    return redirect("licensing:automaker-list")
