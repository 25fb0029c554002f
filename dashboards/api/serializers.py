"""The dashboards API's shapes: a series, and one summary period with its comparisons."""

from __future__ import annotations

from rest_framework import serializers

from dashboards.models import MonthlySummary
from exports.models import Series


class SeriesSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="dashboards-api:series-detail", lookup_field="code"
    )
    hs_codes = serializers.SerializerMethodField(help_text="The HS codes it covers, e.g. 8505.11.")

    class Meta:
        model = Series
        fields = ["code", "url", "name", "source", "hs_codes", "unit", "description"]

    def get_hs_codes(self, series: Series) -> list[str]:
        return [code.strip() for code in series.hs_codes.split(";") if code.strip()]


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
