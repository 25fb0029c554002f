"""The monthly brief: the overview of one month on A4 for managers to print or keep as a PDF
(its KPIs, the monthly chart, automakers by status, licences expiring, the month's policy
events, how current the figures are and their sources)."""

from __future__ import annotations

from typing import Any

from core.periods import month_end
from dashboards import charts, selectors
from dashboards.views.overview import OverviewView


class BriefView(OverviewView):
    template_name = "dashboards/brief.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        card = context["card"]
        # The monthly chart only: the year to date is in the KPIs.
        context["charts"] = context["charts"][:1]
        context["events"] = month_events(card.summary) if card else []
        context["source"] = context["freshness"][0].series.get_source_display()
        return context


def month_events(summary) -> list[charts.Mark]:
    """The policy events of the period's months (measures taking effect, suspensions, general
    licences, licence expiries), in date order, as the chart's legend writes them."""
    events, _ = selectors.policy_marks()
    first, last = summary.period_start, month_end(summary.period_end)
    return charts.event_marks(events[(events["date"] >= first) & (events["date"] <= last)])


brief = BriefView.as_view()
