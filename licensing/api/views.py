"""The licensing REST API: reads through selectors and filters, writes through services."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core.views import FetchingPaginator
from licensing import scenarios, services
from licensing.api.serializers import (
    ApprovalInputSerializer,
    ApprovalSerializer,
    AutomakerListQuerySerializer,
    AutomakerQuerySerializer,
    AutomakerStatusSerializer,
    ElementSerializer,
    ExporterSerializer,
    HistoryRecordSerializer,
    HsCodeSerializer,
    ImporterInputSerializer,
    ImporterSerializer,
    LicenceInputSerializer,
    LicenceSerializer,
    LicenceTransitionInputSerializer,
    LicenceTransitionSerializer,
    SupplyLinkInputSerializer,
    SupplyLinkSerializer,
    TimelineEntrySerializer,
    TimelineQuerySerializer,
    WhatIfLossSerializer,
    WhatIfQuerySerializer,
    history_entry,
)
from licensing.filters import (
    ApprovalFilter,
    ImporterFilter,
    LicenceFilter,
    SupplyLinkFilter,
)
from licensing.history import versions
from licensing.models import (
    Approval,
    Automaker,
    Element,
    Exporter,
    HsCode,
    Importer,
    Licence,
    LicenceParty,
    SupplyLink,
)
from licensing.selectors import (
    LINK_RELATED,
    automaker_listing,
    automaker_status,
    status_row,
    today,
)

WRITE_ERRORS = {
    400: OpenApiResponse(description="Invalid input: {field: [messages]}, nothing stored."),
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="Only Compliance may write."),
}
EXPIRING_WITHIN = OpenApiParameter(
    "expiring_within",
    OpenApiTypes.INT,
    description="Only issued licences valid today and ending within this many days (0-3650).",
)


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pass


def read_schema(noun: str, plural: str) -> dict[str, Any]:
    return {
        "list": extend_schema(summary=f"List {plural}"),
        "retrieve": extend_schema(summary=f"One {noun}"),
    }


@extend_schema_view(**read_schema("element", "the rare-earth elements"))
class ElementViewSet(ReadOnlyViewSet):
    """The 17 rare earths."""

    queryset = Element.objects.all()
    serializer_class = ElementSerializer
    filterset_fields = ["group"]
    ordering_fields = ["atomic_number", "symbol", "name"]


@extend_schema_view(**read_schema("HS code", "the HS codes"))
class HsCodeViewSet(ReadOnlyViewSet):
    """Harmonized System headings, as customs write them (e.g. 8505.11)."""

    queryset = HsCode.objects.all()
    serializer_class = HsCodeSerializer
    ordering_fields = ["code"]


@extend_schema_view(**read_schema("exporter", "the exporters"))
class ExporterViewSet(ReadOnlyViewSet):
    """Chinese companies that hold export licences."""

    queryset = Exporter.objects.all()
    serializer_class = ExporterSerializer
    filterset_fields = ["province"]
    ordering_fields = ["name", "province"]


class ListingPagination(PageNumberPagination):
    """Pages whose objects and count come from one query (core.views.FetchingPaginator)."""

    django_paginator_class = FetchingPaginator


@extend_schema_view(
    list=extend_schema(
        summary="List automakers with their derived licence status",
        parameters=[AutomakerListQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="One automaker with its derived licence status",
        parameters=[AutomakerQuerySerializer],
    ),
)
class AutomakerViewSet(viewsets.GenericViewSet):
    """Automakers, each with the status its approvals and their licences give on a date."""

    queryset = Automaker.objects.all()
    serializer_class = AutomakerStatusSerializer
    # The status is derived in the selector, which filters and sorts it.
    filter_backends: list = []

    pagination_class = ListingPagination

    def list(self, request: Request) -> Response:
        query = _query(AutomakerListQuerySerializer, request)
        status = query.get("status", "")

        def fetch(offset: int, limit: int) -> tuple[list[Automaker], int]:
            listing = automaker_listing(
                on=query.get("on") or today(),
                status=status,
                sort=query.get("ordering", "name"),
                offset=offset,
                limit=limit,
            )
            return listing.automakers, listing.total(status)

        page = self.paginate_queryset(fetch)
        rows = [status_row(automaker) for automaker in page]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        query = _query(AutomakerQuerySerializer, request)
        row = automaker_status(automaker=self.get_object(), on=query.get("on"))
        return Response(self.get_serializer(row).data)

    @extend_schema(
        summary="Its status on the first day and on each day it changes",
        parameters=[TimelineQuerySerializer],
        responses=TimelineEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request: Request, pk: str) -> Response:
        query = _query(TimelineQuerySerializer, request)
        changes = scenarios.timeline(self.get_object(), query["from"], query["to"])
        return Response(TimelineEntrySerializer(changes, many=True).data)


def _query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class HistoryMixin:
    """GET …/{id}/history/: the object's saved versions, newest first."""

    @extend_schema(
        summary="Change history, newest first",
        description="Who changed what and when; `changes` lists each field's old and new value.",
        responses=HistoryRecordSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request: Request, pk: str) -> Response:
        page = self.paginate_queryset(versions(self.get_object().history.all()))
        entries = [history_entry(version) for version in page]
        return self.get_paginated_response(HistoryRecordSerializer(entries, many=True).data)


class WriteMixin:
    """Validates input with an input serializer; answers with the output serializer."""

    input_serializer_class: type[serializers.Serializer]

    def _input(self, request: Request, *, partial: bool = False) -> dict[str, Any]:
        serializer = self.input_serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _output(self, instance: Any, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)


def write_schema(noun: str, request: type[serializers.Serializer], response: Any) -> dict:
    return {
        "create": extend_schema(
            summary=f"Record {noun} (Compliance)",
            request=request,
            responses={201: response, **WRITE_ERRORS},
        ),
        "update": extend_schema(
            summary=f"Replace {noun} (Compliance)",
            request=request,
            responses={200: response, **WRITE_ERRORS},
        ),
        "partial_update": extend_schema(
            summary=f"Change {noun} (Compliance)",
            request=request,
            responses={200: response, **WRITE_ERRORS},
        ),
    }


@extend_schema_view(
    list=extend_schema(summary="List licences", parameters=[EXPIRING_WITHIN]),
    retrieve=extend_schema(summary="One licence"),
    **write_schema("a licence", LicenceInputSerializer, LicenceSerializer),
)
class LicenceViewSet(HistoryMixin, WriteMixin, ReadOnlyViewSet):
    """Export licences; a status change must follow the licence lifecycle."""

    # Lists, not related managers, for what only the serializer reads: a manager per licence
    # and relation costs more than its rows.
    queryset = Licence.objects.select_related("exporter").prefetch_related(
        Prefetch("elements", to_attr="element_list"),
        Prefetch("hs_codes", to_attr="hs_code_list"),
        "transitions",
        Prefetch(
            "parties",
            LicenceParty.objects.select_related("importer", "automaker"),
            to_attr="party_list",
        ),
    )
    serializer_class = LicenceSerializer
    input_serializer_class = LicenceInputSerializer
    filterset_class = LicenceFilter
    ordering_fields = ["valid_until", "valid_from", "issued_on", "status", "exporter__name"]

    def create(self, request: Request) -> Response:
        licence = services.licence_create(**self._input(request), user=request.user)
        return self._output(licence, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        licence = self.get_object()
        data = self._input(request, partial=partial)
        services.licence_update(licence=licence, data=data, user=request.user)
        return self._output(licence)

    @extend_schema(
        methods=["GET"],
        summary="Its dated changes of status, oldest first",
        responses=LicenceTransitionSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a change of status that takes effect on a date (Compliance)",
        request=LicenceTransitionInputSerializer,
        responses={201: LicenceSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def transitions(self, request: Request, pk: str) -> Response:
        licence = self.get_object()
        if request.method == "GET":
            changes = licence.transitions.select_related("recorded_by")
            return Response(LicenceTransitionSerializer(changes, many=True).data)
        change = LicenceTransitionInputSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        data = change.validated_data
        services.licence_transition(
            licence=licence,
            to_status=services.TRANSITION_STATUSES[data["status"]],
            effective_on=data["effective_on"],
            reason=data["reason"],
            source_url=data.get("source_url", ""),
            user=request.user,
        )
        return self._output(licence, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List approvals"),
    retrieve=extend_schema(summary="One approval"),
    **write_schema("an approval", ApprovalInputSerializer, ApprovalSerializer),
)
class ApprovalViewSet(HistoryMixin, WriteMixin, ReadOnlyViewSet):
    """Claims that shipments to an automaker are approved (or not), with their evidence."""

    queryset = Approval.objects.select_related(
        "automaker", "exporter", "importer", "licence", "recorded_by"
    )
    serializer_class = ApprovalSerializer
    input_serializer_class = ApprovalInputSerializer
    filterset_class = ApprovalFilter
    ordering_fields = ["claimed_on", "status", "evidence_grade", "automaker__name", "updated_at"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def create(self, request: Request) -> Response:
        approval = services.approval_record(**self._input(request), user=request.user)
        return self._output(approval, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        approval = self.get_object()
        data = self._input(request, partial=partial)
        services.approval_update(approval=approval, data=data, user=request.user)
        return self._output(approval)


@extend_schema_view(
    **read_schema("importer", "the importers"),
    **write_schema("an importer", ImporterInputSerializer, ImporterSerializer),
)
class ImporterViewSet(HistoryMixin, WriteMixin, ReadOnlyViewSet):
    """Foreign consignees: Tier-1 suppliers, distributors, automakers' own buyers."""

    queryset = Importer.objects.prefetch_related("supplies")
    serializer_class = ImporterSerializer
    input_serializer_class = ImporterInputSerializer
    filterset_class = ImporterFilter
    ordering_fields = ["name", "country"]

    def create(self, request: Request) -> Response:
        importer = services.importer_create(**self._input(request), user=request.user)
        return self._output(importer, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        importer = self.get_object()
        data = self._input(request, partial=partial)
        services.importer_update(importer=importer, data=data, user=request.user)
        return self._output(importer)


@extend_schema_view(
    **read_schema("supply link", "who supplies whom"),
    **write_schema("a supply link", SupplyLinkInputSerializer, SupplyLinkSerializer),
)
class SupplyLinkViewSet(HistoryMixin, WriteMixin, ReadOnlyViewSet):
    """Who supplies whom (an exporter or importer to an importer or automaker), from and until
    when, on what evidence."""

    queryset = SupplyLink.objects.select_related(*LINK_RELATED)
    serializer_class = SupplyLinkSerializer
    input_serializer_class = SupplyLinkInputSerializer
    filterset_class = SupplyLinkFilter
    ordering_fields = ["valid_from", "valid_until", "created_at"]

    def create(self, request: Request) -> Response:
        link = services.supply_link_record(**self._input(request), user=request.user)
        return self._output(link, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        link = self.get_object()
        data = self._input(request, partial=partial)
        services.supply_link_update(link=link, data=data, user=request.user)
        return self._output(link)


class WhatIfView(GenericAPIView):
    """The automakers that would lose all cover if a licence were not renewed or revoked."""

    queryset = Automaker.objects.none()  # for the permission: reading automakers
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        summary="What if a licence were not renewed, or revoked",
        parameters=[WhatIfQuerySerializer],
        responses=WhatIfLossSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = _query(WhatIfQuerySerializer, request)
        losses = scenarios.what_if(query["licence"], query["event"], query.get("on") or today())
        return Response(WhatIfLossSerializer(losses, many=True).data)
