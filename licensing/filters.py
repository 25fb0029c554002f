"""Filters shared by the pages and the API, so that both filter alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from licensing.controls import measures_in_force
from licensing.models import (
    Approval,
    ControlMeasure,
    EntityListEntry,
    Importer,
    Licence,
    SupplyLink,
)
from licensing.selectors import hs_code_matches, licences_expiring


class LicenceFilter(django_filters.FilterSet):
    expiring_within = django_filters.NumberFilter(
        method="filter_expiring_within",
        label="Expiring within (days)",
        min_value=0,
        max_value=3650,
    )

    class Meta:
        model = Licence
        fields = ["exporter", "kind", "status"]

    def filter_expiring_within(self, queryset, name, value):
        return queryset.filter(pk__in=licences_expiring(within_days=int(value)).values("pk"))


class ApprovalFilter(django_filters.FilterSet):
    # By id: a select of every licence would make each page carry thousands of options.
    licence = django_filters.NumberFilter(field_name="licence", label="Licence (id)", min_value=1)

    class Meta:
        model = Approval
        fields = ["automaker", "exporter", "importer", "licence", "status", "evidence_grade"]


class ControlMeasureFilter(django_filters.FilterSet):
    element = django_filters.CharFilter(field_name="elements__symbol", lookup_expr="iexact")
    hs_code = django_filters.CharFilter(method="filter_hs_code", label="HS code (e.g. 8505.11)")
    in_force_on = django_filters.DateFilter(
        method="filter_in_force_on", label="In force on this date (YYYY-MM-DD)"
    )

    def filter_hs_code(self, queryset, name, value):
        return queryset.filter(hs_code_matches(value, "hs_codes__code")).distinct()

    def filter_in_force_on(self, queryset, name, value):
        return queryset.filter(pk__in=[measure.pk for measure in measures_in_force(on=value)])

    class Meta:
        model = ControlMeasure
        fields = ["kind", "authority"]


class ImporterFilter(django_filters.FilterSet):
    # Bounded: an id past a 64-bit integer is a 400, not a database overflow (500).
    automaker = django_filters.NumberFilter(
        field_name="supplies__customer_automaker",
        min_value=1,
        max_value=2**63 - 1,
        distinct=True,
        label="Supplies this automaker (by id)",
    )

    class Meta:
        model = Importer
        fields = ["country", "kind"]


ID = {"min_value": 1, "max_value": 2**63 - 1}


class SupplyLinkFilter(django_filters.FilterSet):
    automaker = django_filters.NumberFilter(field_name="customer_automaker", **ID)
    exporter = django_filters.NumberFilter(field_name="supplier_exporter", **ID)
    importer = django_filters.NumberFilter(method="filter_importer", **ID)

    class Meta:
        model = SupplyLink
        fields: list[str] = []

    def filter_importer(self, queryset, name, value):
        return queryset.filter(Q(supplier_importer=value) | Q(customer_importer=value))


class EntityListEntryFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(
        method="filter_name", label="Name contains (English or Chinese)"
    )
    listed_on = django_filters.DateFilter(
        method="filter_listed_on", label="Listed on this date, not yet delisted (YYYY-MM-DD)"
    )

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name_en__icontains=value) | Q(name_zh__icontains=value))

    def filter_listed_on(self, queryset, name, value):
        return queryset.filter(listed_on__lte=value).exclude(delisted_on__lte=value)

    class Meta:
        model = EntityListEntry
        fields = ["list", "country_code", "confidence"]
