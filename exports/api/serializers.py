"""The imports API's shapes: a batch in the list, a batch in full, and the upload."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exports import services
from exports.models import ImportBatch


@extend_schema_field(
    {
        "type": "string",
        "enum": ImportBatch.Status.values,
        "description": "pending → running → succeeded or failed",
    },
    component_name="ImportBatchStatus",
)
class StatusField(serializers.ChoiceField):
    """A batch's status: one named enum, not one per serializer that shows it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ImportBatch.Status.choices, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "enum": ImportBatch.Format.values,
        "description": "The layout recognised from the content; null until it is.",
    },
    component_name="ImportBatchFormat",
)
class FormatField(serializers.ChoiceField):
    """A batch's source format; null (stored as "") until the content has been read."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ImportBatch.Format.choices, **kwargs)

    def to_representation(self, value: str) -> str | None:
        return value or None


class ImportUploadSerializer(serializers.Serializer):
    # Empty files pass here: the service refuses them, with the same message as the page.
    file = serializers.FileField(
        allow_empty_file=True,
        help_text="A RareGate CSV, GACC table (.xlsx, .xls, .csv), UN Comtrade API CSV or JSON, "
        "or UN Comtrade bulk file (.tsv or .gz); the format is recognised from the content.",
    )


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text="1-based line (record for JSON).")
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    """What a pending or running batch last reported."""

    stage = serializers.ChoiceField(
        choices=["reading", "parsing", "writing", "succeeded", "failed"]
    )
    size = serializers.IntegerField(required=False, help_text="Bytes read, from parsing on.")
    rows = serializers.IntegerField(required=False, help_text="Rows being written.")


class ImportBatchSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="exports-api:import-batch-detail")
    status = StatusField(read_only=True)
    format = FormatField(read_only=True, allow_null=True)
    uploaded_by = serializers.SlugRelatedField(
        read_only=True, allow_null=True, slug_field="username", help_text="Who uploaded it."
    )

    class Meta:
        model = ImportBatch
        # Never the stored file's path: it is served by a checked page.
        fields = [
            "id",
            "url",
            "status",
            "format",
            "original_name",
            "size",
            "sha256",
            "rows_read",
            "rows_stored",
            "rows_superseding",
            "rows_unchanged",
            "rows_skipped",
            "rows_in_error",
            "uploaded_by",
            "created_at",
            "started_at",
            "finished_at",
        ]


class ImportBatchDetailSerializer(ImportBatchSerializer):
    skipped_reasons = serializers.DictField(
        child=serializers.IntegerField(), help_text="Rows skipped, by reason."
    )
    warnings = serializers.ListField(child=serializers.CharField())
    errors_count = serializers.SerializerMethodField(help_text="All row errors.")
    errors = serializers.SerializerMethodField(
        help_text=f"The first {settings.IMPORT_ERRORS_SHOWN} row errors, by line."
    )
    progress = serializers.SerializerMethodField(
        help_text="While pending or running: the stage reached; null once finished."
    )

    class Meta(ImportBatchSerializer.Meta):
        fields = [
            *ImportBatchSerializer.Meta.fields,
            "message",
            "skipped_reasons",
            "warnings",
            "errors_count",
            "errors",
            "progress",
        ]

    def get_errors_count(self, batch: ImportBatch) -> int:
        return len(batch.errors)

    @extend_schema_field(RowErrorSerializer(many=True))
    def get_errors(self, batch: ImportBatch) -> list[dict]:
        return batch.errors[: settings.IMPORT_ERRORS_SHOWN]

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_progress(self, batch: ImportBatch) -> dict | None:
        if batch.is_finished:
            return None
        return services.import_batch_progress(batch.pk)
