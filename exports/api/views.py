"""The imports REST API: upload a customs file, follow its batch, list the batches."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from exports import services
from exports.api.serializers import (
    ImportBatchDetailSerializer,
    ImportBatchSerializer,
    ImportPreviewSerializer,
    ImportUploadSerializer,
    WithdrawalSerializer,
)
from exports.forms import ImportBatchFilter
from exports.models import ImportBatch
from exports.services.batches import InvalidTransition
from exports.services.reading import upload_read

LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    location=OpenApiParameter.HEADER,
    description="The batch's URL, to follow it until it ends.",
    response=[202],
)


@extend_schema_view(
    list=extend_schema(summary="List import batches, newest first"),
    retrieve=extend_schema(
        summary="One import batch",
        description="Its counts, skipped rows by reason, warnings, why it failed, the first row "
        "errors and, while it is pending or running, its progress.",
    ),
    create=extend_schema(
        summary="Upload a customs file to import (Compliance)",
        description="Stores the file as a pending batch and imports it in the background: poll "
        "the batch's URL until its status is succeeded or failed. A file with any row error "
        "stores nothing. The same bytes uploaded again return the existing batch (a withdrawn one "
        "included: it is not imported again). POST /api/v1/imports/preview/ first to see what "
        "the file would change.",
        request={"multipart/form-data": ImportUploadSerializer},
        parameters=[LOCATION],
        responses={
            202: OpenApiResponse(
                ImportBatchDetailSerializer, description="Accepted: the new, pending batch."
            ),
            200: OpenApiResponse(
                ImportBatchDetailSerializer,
                description="The same file was uploaded before: its batch; nothing new stored.",
            ),
            400: OpenApiResponse(description="No file, an empty file or one over the size limit."),
            401: OpenApiResponse(description="Not authenticated."),
            403: OpenApiResponse(description="Only Compliance may upload."),
        },
    ),
)
class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Uploaded customs files and what became of them."""

    queryset = ImportBatch.objects.select_related("uploaded_by")
    serializer_class = ImportBatchSerializer
    filterset_class = ImportBatchFilter
    ordering_fields = ["created_at", "finished_at", "rows_read", "rows_stored"]
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            # A batch's row errors can run to megabytes; the list shows only the counts.
            queryset = queryset.defer("errors", "warnings", "skipped_reasons", "message")
        return queryset

    def get_serializer_class(self):
        if self.action == "list":
            return ImportBatchSerializer
        return ImportBatchDetailSerializer

    def create(self, request: Request) -> Response:
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        batch, created = services.import_batch_register(
            file=file, original_name=file.name, uploaded_by=request.user
        )
        # Read again: without a broker the import has already run by now.
        data = self.get_serializer(self.get_queryset().get(pk=batch.pk)).data
        if not created:
            return Response(data, status=status.HTTP_200_OK)
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

    @extend_schema(
        summary="Run a failed import again, from the file it stored",
        request=None,
        responses={202: ImportBatchDetailSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def retry(self, request: Request, pk: str) -> Response:
        batch = self.get_object()
        try:
            services.import_batch_retry(batch_id=batch.pk)
        except InvalidTransition as error:
            raise serializers.ValidationError({"status": [str(error)]}) from error
        data = self.get_serializer(self.get_queryset().get(pk=batch.pk)).data
        return Response(data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Preview a customs file: what importing it would change (Compliance)",
        description="Reads the file as an import would and compares it with the current "
        "figures: the figures it would add, those it would revise (old → new, flagged when the "
        "new one is only a rounding of the old), how many it leaves unchanged, its row errors "
        "and warnings. Stores nothing: no batch, no record, no file.",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: ImportPreviewSerializer,
            400: OpenApiResponse(description="No file, an empty file or one over the size limit."),
            403: OpenApiResponse(description="Only Compliance may preview an import."),
        },
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def preview(self, request: Request) -> Response:
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        data = upload_read(file=file, name=file.name)
        preview = services.import_preview(data=data, file_name=file.name)
        return Response(ImportPreviewSerializer(preview).data)

    @extend_schema(
        summary="Withdraw a succeeded import, saying why (Compliance)",
        description="Its figures stop being current, those it had revised are current again, and "
        "the summaries they reach are rebuilt. The batch and its records stay, with who withdrew "
        "it, when and why. Only a succeeded import can be withdrawn, once.",
        request=WithdrawalSerializer,
        responses={
            200: ImportBatchDetailSerializer,
            400: OpenApiResponse(description="No reason, or the import cannot be withdrawn."),
            403: OpenApiResponse(description="Only Compliance may withdraw an import."),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        parser_classes=[JSONParser, FormParser, MultiPartParser],
    )
    def withdrawal(self, request: Request, pk: str) -> Response:
        batch = self.get_object()
        body = WithdrawalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.import_batch_withdraw(
                batch_id=batch.pk, reason=body.validated_data["reason"], user=request.user
            )
        except InvalidTransition as error:
            raise serializers.ValidationError({"status": [str(error)]}) from error
        data = self.get_serializer(self.get_queryset().get(pk=batch.pk)).data
        return Response(data, status=status.HTTP_200_OK)
