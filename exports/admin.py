"""Read-only admin for the exports data: it changes only through imports."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from exports.models import ExportRecord, ImportBatch, Series, YearToDateFigure


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "source", "hs_codes", "unit"]
    list_filter = ["source"]
    search_fields = ["code", "name"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "original_name",
        "status",
        "format",
        "rows_read",
        "rows_stored",
        "rows_superseding",
        "rows_in_error",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["status", "format"]
    list_select_related = ["uploaded_by"]
    search_fields = ["original_name", "sha256"]
    date_hierarchy = "created_at"
    # The stored file is served by the imports page, and the row errors can be megabytes.
    exclude = ["file", "errors"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).defer("errors")


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "series",
        "period_start",
        "period_end",
        "partner",
        "tonnes",
        "value",
        "value_unit",
        "import_number",
        "is_current",
    ]
    list_filter = ["series", "is_current"]
    list_select_related = ["series"]
    search_fields = ["partner"]
    # A million rows: counting them all for every page is not worth it.
    show_full_result_count = False

    @admin.display(description="Import", ordering="batch")
    def import_number(self, record: ExportRecord) -> int:
        return record.batch_id


@admin.register(YearToDateFigure)
class YearToDateFigureAdmin(ReadOnlyAdmin):
    list_display = ["series", "year", "through_month", "partner", "tonnes", "import_number"]
    list_filter = ["series", "year"]
    list_select_related = ["series"]

    @admin.display(description="Import", ordering="batch")
    def import_number(self, figure: YearToDateFigure) -> int:
        return figure.batch_id
