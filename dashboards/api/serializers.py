"""The dashboards API's shapes: a series (with how current it is), and one summary period with
its comparisons."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.periods import period_label
from dashboards.models import MonthlySummary
from dashboards.selectors import series_freshness
from exports.calendar import Due, Freshness
from exports.models import Series


class SeriesSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="dashboards-api:series-detail", lookup_field="code"
    )
    hs_codes = serializers.SerializerMethodField(help_text="The HS codes it covers, e.g. 8505.11.")

    class Meta:
        model = Series
        fields = [
            "code",
            "url",
            "name",
            "source",
            "hs_codes",
            "unit",
            "value_unit",
            "description",
        ]

    def get_hs_codes(self, series: Series) -> list[str]:
        return [code.strip() for code in series.hs_codes.split(";") if code.strip()]


class DueSerializer(serializers.Serializer):
    """One release of one period by the series' calendar."""

    period = serializers.SerializerMethodField(help_text="YYYY-MM, or YYYY-MM/YYYY-MM.")
    release = serializers.CharField(source="release.name", help_text="e.g. headline.")
    due_from = serializers.DateField(source="first")
    due_by = serializers.DateField(source="last")
    text = serializers.CharField(help_text="In words, as the pages write it.")

    def get_period(self, due: Due) -> str:
        return period_label(*due.period)


class FreshnessSerializer(serializers.Serializer):
    """How current a series is today, by its release calendar."""

    on = serializers.DateField()
    latest = serializers.SerializerMethodField(help_text="The newest period held; null if none.")
    imported_at = serializers.DateTimeField(allow_null=True)
    next = DueSerializer(allow_null=True, help_text="The next release expected.")
    overdue = DueSerializer(many=True, help_text="Releases past their window, not held.")
    not_yet_due = DueSerializer(many=True, help_text="Months ended, releases not yet due.")
    awaiting_breakdown = DueSerializer(
        many=True, help_text="Held to all destinations; the breakdown by destination to come."
    )
    behind = serializers.CharField(source="behind_text", help_text="Empty when none is overdue.")

    def get_latest(self, freshness: Freshness) -> str | None:
        return period_label(*freshness.latest) if freshness.latest else None


class SeriesDetailSerializer(SeriesSerializer):
    freshness = serializers.SerializerMethodField()

    class Meta(SeriesSerializer.Meta):
        fields = [*SeriesSerializer.Meta.fields, "freshness"]

    @extend_schema_field(FreshnessSerializer)
    def get_freshness(self, series: Series) -> dict:
        (current,) = series_freshness(on=timezone.localdate(), codes=[series.code])
        return FreshnessSerializer(current).data


class MonthlySummarySerializer(serializers.ModelSerializer):
    series = serializers.SlugRelatedField(read_only=True, slug_field="code")
    partner = serializers.CharField(
        read_only=True,
        help_text="ISO 3166-1 alpha-3 code of the destination; empty for all destinations.",
    )
    period = serializers.CharField(
        source="period_label",
        read_only=True,
        help_text="YYYY-MM, or YYYY-MM/YYYY-MM for a January–February span.",
    )
    period_start = serializers.DateField(read_only=True, help_text="First day of its first month.")
    period_end = serializers.DateField(read_only=True, help_text="First day of its last month.")
    mom_pct = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Against the month before; null for a span, after a span or across a gap.",
    )
    yoy_pct = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Against the same period a year earlier; null when there is none.",
    )
    ytd_tonnes = serializers.DecimalField(
        max_digits=20,
        decimal_places=3,
        read_only=True,
        help_text="January to this period; a partial sum when ytd_complete is false.",
    )
    ytd_complete = serializers.BooleanField(
        read_only=True, help_text="Whether every month of the year so far is present."
    )
    ytd_yoy_pct = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Against the year to date a year earlier; null unless both are complete.",
    )
    batch = serializers.IntegerField(
        source="batch_id", read_only=True, help_text="The import batch the figure came from."
    )
    record = serializers.IntegerField(
        source="record_id", read_only=True, help_text="The export record behind the figure."
    )

    class Meta:
        model = MonthlySummary
        fields = [
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
            "record",
            "source_url",
        ]
        read_only_fields = fields
