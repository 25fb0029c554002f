from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from licensing import screening
from licensing.models import (
    Approval,
    Automaker,
    ControlMeasure,
    Element,
    Exporter,
    HsCode,
    Importer,
    Licence,
    SupplyLink,
)


@admin.register(Element)
class ElementAdmin(admin.ModelAdmin):
    list_display = ["symbol", "name", "atomic_number", "group"]
    list_filter = ["group"]


@admin.register(HsCode)
class HsCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "description"]


@admin.register(ControlMeasure)
class ControlMeasureAdmin(SimpleHistoryAdmin):
    """Read-only here: Compliance keeps the register in the app, where every change names its
    source and the reference loader knows it was edited."""

    list_display = ["reference", "kind", "effective_from", "suspended_from", "suspended_until"]
    list_filter = ["kind"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Exporter)
class ExporterAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh", "province", "stock_code"]
    search_fields = ["name", "name_zh"]


class ScreenedAdmin(SimpleHistoryAdmin):
    """A party created or renamed here is screened against MOFCOM's lists, as in the app."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or "name" in form.changed_data:
            screening.party_screen(party=obj)


@admin.register(Automaker)
class AutomakerAdmin(ScreenedAdmin):
    list_display = ["name", "country"]
    search_fields = ["name"]


@admin.register(Importer)
class ImporterAdmin(ScreenedAdmin):
    list_display = ["name", "country", "kind"]
    list_filter = ["kind", "country"]


@admin.register(SupplyLink)
class SupplyLinkAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "valid_from", "valid_until"]
    list_select_related = [
        "supplier_exporter",
        "supplier_importer",
        "customer_importer",
        "customer_automaker",
    ]


@admin.register(Licence)
class LicenceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "status", "valid_from", "valid_until"]
    list_filter = ["kind", "status", "exporter"]
    filter_horizontal = ["elements", "hs_codes"]


@admin.register(Approval)
class ApprovalAdmin(SimpleHistoryAdmin):
    list_display = ["automaker", "status", "exporter", "licence", "evidence_grade", "claimed_on"]
    list_filter = ["status", "evidence_grade"]
    raw_id_fields = ["licence"]
