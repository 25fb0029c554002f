"""Filters shared by the pages and the API, so that both filter alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from licensing.controls import measures_in_force
from licensing.models import (
    Approval,
    Automaker,
    ControlMeasure,
    EntityListEntry,
    Exporter,
    Importer,
    Licence,
    SupplyLink,
)
from licensing.search import licences_named, picker_attrs
from licensing.selectors import hs_code_matches, licences_expiring


def picked(kind: str) -> forms.Select:
    """A <select> that a script turns into a type-ahead (licensing.search.picker_attrs)."""
    return forms.Select(attrs=picker_attrs(kind))


class LicenceFilter(django_filters.FilterSet):
    exporter = django_filters.ModelChoiceFilter(
        queryset=Exporter.objects.all(), widget=picked("exporter")
    )
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


LICENCE_WORDS = "Its number, # and its id (#12), or words of its holder’s name."


class ApprovalFilter(django_filters.FilterSet):
    automaker = django_filters.ModelChoiceFilter(
        queryset=Automaker.objects.all(), widget=picked("automaker")
    )
    exporter = django_filters.ModelChoiceFilter(
        queryset=Exporter.objects.all(), widget=picked("exporter")
    )
    importer = django_filters.ModelChoiceFilter(
        queryset=Importer.objects.all(), widget=picked("importer")
    )
    # Words, not a select: a select of every licence would make each page carry thousands of
    # options. The form says back which licence the words named.
    licence = django_filters.CharFilter(
        method="filter_licence",
        label="Licence",
        max_length=100,
        help_text=LICENCE_WORDS,
        widget=forms.TextInput(attrs=picker_attrs("licence")),
    )

    class Meta:
        model = Approval
        fields = ["automaker", "exporter", "importer", "licence", "status", "evidence_grade"]

    def filter_licence(self, queryset, name, value):
        return queryset.filter(licence__in=licences_named(value))

    @property
    def form(self) -> forms.Form:
        form = super().form
        given = form.data.get("licence", "").strip() if form.is_bound else ""
        field = form.fields["licence"]
        if given and field.help_text == LICENCE_WORDS:
            field.help_text = named_back(given)
        return form


def named_back(given: str) -> str:
    """Which licence a filter's words named, in words: never a bare id."""
    found = list(licences_named(given).select_related("exporter")[:2])
    if not found:
        return "No licence matches these words."
    if len(found) > 1:
        return "Approvals under every licence these words match."
    return f"Showing approvals under the {found[0]}"


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
