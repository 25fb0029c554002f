"""Filters of the summaries endpoint: series, partner and a range of months."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from core.periods import MONTH_PATTERN
from dashboards.forms import MonthField
from dashboards.models import MonthlySummary
from dashboards.selectors import of_series

ALL_DESTINATIONS = "world"


class MonthFilter(django_filters.DateFilter):
    """A month written YYYY-MM."""

    field_class = MonthField


class MonthlySummaryFilter(django_filters.FilterSet):
    series = django_filters.CharFilter(
        method="filter_series", help_text="A series code, e.g. gacc-rare-earths."
    )
    partner = django_filters.CharFilter(
        method="filter_partner",
        help_text="An ISO 3166-1 alpha-3 code, or `world` for the totals to all destinations "
        "(stored with an empty partner). Without it, every partner and the totals.",
    )
    period_from = MonthFilter(field_name="period_end", lookup_expr="gte")
    period_to = MonthFilter(field_name="period_start", lookup_expr="lte")

    class Meta:
        model = MonthlySummary
        fields = ["series", "partner", "period_from", "period_to"]

    def filter_series(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset & of_series(value)

    def filter_partner(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = value.strip().upper()
        return queryset.filter(partner="" if code == ALL_DESTINATIONS.upper() else code)


# The months as the schema shows them (the filters alone would say "date").
MONTH_PARAMETERS = [
    OpenApiParameter(
        "period_from",
        OpenApiTypes.STR,
        pattern=MONTH_PATTERN,
        description="Periods ending in or after this month, YYYY-MM (e.g. 2025-01).",
    ),
    OpenApiParameter(
        "period_to",
        OpenApiTypes.STR,
        pattern=MONTH_PATTERN,
        description="Periods starting in or before this month, YYYY-MM (e.g. 2025-12).",
    ),
]
