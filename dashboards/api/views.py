"""The dashboards REST API: the series and their monthly summaries, read-only."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from dashboards.api.filters import MONTH_PARAMETERS, MonthlySummaryFilter
from dashboards.api.serializers import (
    MonthlySummarySerializer,
    SeriesDetailSerializer,
    SeriesSerializer,
)
from dashboards.models import MonthlySummary
from exports.models import Series

READ_ERRORS = {
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="No role that may read this."),
}


@extend_schema_view(
    list=extend_schema(
        summary="List the series", responses={200: SeriesSerializer(many=True), **READ_ERRORS}
    ),
    retrieve=extend_schema(
        summary="One series, by its code, with how current it is",
        description="`freshness` says, by the series' release calendar, the newest period held "
        "and when it was imported, the next release expected, the releases overdue and the "
        "periods awaiting their breakdown by destination, as of today.",
        responses={200: SeriesDetailSerializer, **READ_ERRORS},
    ),
)
class SeriesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What each figure measures: source, HS codes and unit."""

    queryset = Series.objects.all()
    serializer_class = SeriesSerializer
    lookup_field = "code"

    def get_serializer_class(self):
        return SeriesDetailSerializer if self.action == "retrieve" else SeriesSerializer

    ordering_fields = ["code", "name"]


@extend_schema_view(
    list=extend_schema(
        summary="List monthly summaries",
        description="Each period of each series to each partner (an empty partner is all "
        "destinations) with its month-on-month, year-on-year and year-to-date comparisons, "
        "derived from the current export records and rebuilt after every import. Ordered by "
        "series (in the order they were registered), partner and period.",
        parameters=MONTH_PARAMETERS,
        responses={200: MonthlySummarySerializer(many=True), **READ_ERRORS},
    ),
)
class MonthlySummaryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The derived monthly figures, never the raw records."""

    queryset = MonthlySummary.objects.select_related("series").order_by(
        "series_id", "partner", "period_start"
    )
    serializer_class = MonthlySummarySerializer
    filterset_class = MonthlySummaryFilter
    ordering_fields = ["period_start", "tonnes"]
