"""The dashboards REST API: the series and their monthly summaries, read-only."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from dashboards.api.filters import MONTH_PARAMETERS, MonthlySummaryFilter
from dashboards.api.serializers import MonthlySummarySerializer, SeriesSerializer
from dashboards.models import MonthlySummary
from dashboards.selectors import summary_version
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
        summary="One series, by its code", responses={200: SeriesSerializer, **READ_ERRORS}
    ),
)
class SeriesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What each figure measures: source, HS codes and unit."""

    queryset = Series.objects.all()
    serializer_class = SeriesSerializer
    lookup_field = "code"
    ordering_fields = ["code", "name"]


@extend_schema_view(
    list=extend_schema(
        summary="List monthly summaries",
        description="Each period of each series to each partner (an empty partner is all "
        "destinations) with its month-on-month, year-on-year and year-to-date comparisons, "
        "derived from the current export records and rebuilt after every import. Ordered by "
        "series, partner and period.",
        parameters=MONTH_PARAMETERS,
        responses={200: MonthlySummarySerializer(many=True), **READ_ERRORS},
    ),
)
class MonthlySummaryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The derived monthly figures, never the raw records."""

    queryset = MonthlySummary.objects.select_related("series").order_by(
        "series__code", "partner", "period_start"
    )
    serializer_class = MonthlySummarySerializer
    filterset_class = MonthlySummaryFilter
    ordering_fields = ["period_start", "tonnes"]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Summaries change only with a rebuild: one answer per query until the next one.
        key = f"dashboards:api:summaries:v{summary_version()}:{request.get_full_path()}"
        data = cache.get(key)
        if data is None:
            data = super().list(request, *args, **kwargs).data
            cache.set(key, data, 3600)
        return Response(data)
