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
        "description": "pending → running → succeeded or failed; a succeeded import may be "
        "withdrawn",
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


class WithdrawalSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why the import is withdrawn; kept with it and its figures."
    )


class FigureSerializer(serializers.Serializer):
    """One figure of a preview, to every decimal it is given to."""

    series = serializers.CharField()
    period = serializers.CharField(
        source="period_label", help_text="YYYY-MM, or YYYY-MM/YYYY-MM for a January–February span."
    )
    partner = serializers.CharField(help_text="ISO 3166-1 alpha-3; empty for all destinations.")
    tonnes = serializers.DecimalField(max_digits=18, decimal_places=3, normalize_output=True)
    value = serializers.DecimalField(
        max_digits=22, decimal_places=3, normalize_output=True, allow_null=True
    )
    value_unit = serializers.CharField(help_text="The unit the value is given in; empty without.")
    line = serializers.IntegerField(allow_null=True, help_text="In the file: a figure it gives.")
    batch = serializers.IntegerField(
        source="batch_id", allow_null=True, help_text="The import of a stored figure."
    )
    record = serializers.IntegerField(
        source="record_id", allow_null=True, help_text="A stored figure's id."
    )


class RevisionSerializer(serializers.Serializer):
    old = FigureSerializer(help_text="The current figure the file would replace.")
    new = FigureSerializer(help_text="The file's figure.")
    less_precise = serializers.BooleanField(
        help_text="The new tonnes or value has fewer decimals and equals the old one rounded."
    )
    tonnes_less_precise = serializers.BooleanField()
    value_less_precise = serializers.BooleanField()


class ImportPreviewSerializer(serializers.Serializer):
    """What importing a file would do; nothing is stored."""

    file_name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    format = FormatField(allow_null=True)
    message = serializers.CharField(
        help_text="Why importing it would store nothing (unreadable, or row errors); else empty."
    )
    rows_read = serializers.IntegerField()
    rows_skipped = serializers.IntegerField()
    skipped_reasons = serializers.DictField(child=serializers.IntegerField())
    errors_count = serializers.IntegerField(source="errors_total")
    errors = RowErrorSerializer(
        many=True, help_text=f"The first {settings.IMPORT_ERRORS_SHOWN} row errors, by line."
    )
    warnings = serializers.ListField(child=serializers.CharField())
    additions_count = serializers.IntegerField(source="additions_total")
    additions = FigureSerializer(many=True, help_text="The first new figures (200 at most).")
    revisions_count = serializers.IntegerField(source="revisions_total")
    revisions = RevisionSerializer(many=True, help_text="The first revisions (200 at most).")
    less_precise_count = serializers.IntegerField(source="less_precise_total")
    unchanged_count = serializers.IntegerField(source="unchanged")
    existing_batch = serializers.IntegerField(
        source="existing.pk",
        allow_null=True,
        help_text="The import these very bytes already are; importing them again stores nothing.",
    )
    existing_status = StatusField(source="existing.status", allow_null=True)


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
    withdrawn_by = serializers.SlugRelatedField(
        read_only=True, allow_null=True, slug_field="username", help_text="Who withdrew it."
    )

    class Meta(ImportBatchSerializer.Meta):
        fields = [
            *ImportBatchSerializer.Meta.fields,
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
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
