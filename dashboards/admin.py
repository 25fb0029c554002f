"""Read-only admin for the summaries: they are derived, and change only by a rebuild."""

from __future__ import annotations

from django.contrib import admin

from dashboards.models import MonthlySummary
from exports.admin import ReadOnlyAdmin


@admin.register(MonthlySummary)
class MonthlySummaryAdmin(ReadOnlyAdmin):
    list_display = [
        "series",
        "partner",
        "period_label",
        "tonnes",
        "mom_pct",
        "yoy_pct",
        "ytd_tonnes",
        "ytd_complete",
        "ytd_yoy_pct",
        "batch_id",
    ]
    list_filter = ["series", "ytd_complete"]
    list_select_related = ["series"]
    search_fields = ["partner"]
    date_hierarchy = "period_start"
