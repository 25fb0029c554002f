"""The licensing API's shapes: output serializers for reads, input serializers for writes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.fields import empty
from simple_history.models import DeletedObject

from core.links import web_url
from licensing.history import Version
from licensing.models import (
    Approval,
    Automaker,
    Element,
    Exporter,
    HsCode,
    Importer,
    Licence,
    LicenceParty,
    LicenceTransition,
    SupplyLink,
)
from licensing.scenarios import TIMELINE_MAX_DAYS, Event
from licensing.selectors import AUTOMAKER_SORTS, CoverStatus, today
from licensing.services import TRANSITION_CHOICES


@extend_schema_field(
    {"type": "string", "enum": Licence.Kind.values, "description": "general or individual"},
    component_name="LicenceKind",
)
class LicenceKindField(serializers.ChoiceField):
    """A licence's kind, one named enum wherever it appears; null (stored as "") when unknown."""

    # A component of its own: licences and approvals share the choice set under two field
    # names, which drf-spectacular's enum naming would otherwise warn about.
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Licence.Kind.choices, **kwargs)

    def to_representation(self, value: str) -> str | None:
        return value or None

    def run_validation(self, data: Any = empty) -> str:
        value = super().run_validation(data)
        return "" if value is None else value


class ElementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Element
        fields = ["id", "symbol", "name", "atomic_number", "group"]


class HsCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = HsCode
        fields = ["id", "code", "description"]


class ExporterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Exporter
        fields = ["id", "name", "name_zh", "city", "province", "stock_code", "source_url"]


class ImporterSerializer(serializers.ModelSerializer):
    automakers = serializers.SerializerMethodField(
        help_text="The automakers it supplies directly, by its supply links (any date)."
    )

    class Meta:
        model = Importer
        fields = ["id", "name", "country", "kind", "automakers"]

    def get_automakers(self, importer: Importer) -> list[int]:
        return sorted({link.customer_automaker_id for link in importer.supplies.all()} - {None})


@extend_schema_serializer(component_name="Importer")
class ImporterInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    country = serializers.CharField(max_length=3, help_text="ISO 3166-1 alpha-3, e.g. DEU.")
    kind = serializers.ChoiceField(choices=Importer.Kind.choices)


class PartyRefSerializer(serializers.Serializer):
    """An exporter, importer or automaker named inside another object."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class SupplyLinkSerializer(serializers.ModelSerializer):
    supplier_exporter = PartyRefSerializer(read_only=True, allow_null=True)
    supplier_importer = PartyRefSerializer(read_only=True, allow_null=True)
    customer_importer = PartyRefSerializer(read_only=True, allow_null=True)
    customer_automaker = PartyRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SupplyLink
        fields = [
            "id",
            "supplier_exporter",
            "supplier_importer",
            "customer_importer",
            "customer_automaker",
            "valid_from",
            "valid_until",
            "evidence",
            "source_url",
            "created_at",
        ]


@extend_schema_serializer(component_name="SupplyLink")
class SupplyLinkInputSerializer(serializers.Serializer):
    """One supplier (an exporter or an importer) and one customer (an importer or an
    automaker); the service checks there is exactly one of each."""

    supplier_exporter = serializers.PrimaryKeyRelatedField(
        queryset=Exporter.objects.all(), required=False, allow_null=True
    )
    supplier_importer = serializers.PrimaryKeyRelatedField(
        queryset=Importer.objects.all(), required=False, allow_null=True
    )
    customer_importer = serializers.PrimaryKeyRelatedField(
        queryset=Importer.objects.all(), required=False, allow_null=True
    )
    customer_automaker = serializers.PrimaryKeyRelatedField(
        queryset=Automaker.objects.all(), required=False, allow_null=True
    )
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    evidence = serializers.CharField()
    source_url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, validators=[web_url]
    )


class LicencePartySerializer(serializers.ModelSerializer):
    importer = PartyRefSerializer(read_only=True, allow_null=True)
    automaker = PartyRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = LicenceParty
        fields = ["role", "importer", "automaker"]


class LicencePartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=LicenceParty.Role.choices)
    importer = serializers.PrimaryKeyRelatedField(
        queryset=Importer.objects.all(), required=False, allow_null=True
    )
    automaker = serializers.PrimaryKeyRelatedField(
        queryset=Automaker.objects.all(), required=False, allow_null=True
    )


@extend_schema_serializer(component_name="Automaker")
class AutomakerStatusSerializer(serializers.Serializer):
    """An automaker with its derived licence status (licensing.selectors.AutomakerStatus)."""

    id = serializers.IntegerField(source="automaker.id")
    name = serializers.CharField(source="automaker.name")
    country = serializers.CharField(source="automaker.country")
    status = serializers.ChoiceField(choices=CoverStatus.choices)
    status_label = serializers.CharField()
    cover_until = serializers.DateField(
        allow_null=True, help_text="The day the current cover ends; null without cover."
    )
    # Plain text, not an enum: "" when no approval gives the status.
    strongest_evidence = serializers.CharField(help_text="An approval evidence grade, or empty.")
    strongest_evidence_label = serializers.CharField()
    approval_count = serializers.IntegerField()


class CodeField(serializers.SlugRelatedField):
    """A related row named by its code; a code no row could have (a NUL character, which the
    database refuses) is unknown, like any other."""

    def to_internal_value(self, data: Any) -> Model:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class LicenceTransitionSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField(
        read_only=True, allow_null=True, slug_field="username"
    )

    class Meta:
        model = LicenceTransition
        fields = [
            "id",
            "from_status",
            "status",
            "effective_on",
            "reason",
            "source_url",
            "recorded_by",
            "recorded_at",
        ]


class LicenceTransitionInputSerializer(serializers.Serializer):
    """A change of status that takes effect on a date."""

    status = serializers.ChoiceField(
        choices=TRANSITION_CHOICES,
        help_text="reinstated returns a suspended licence to issued.",
    )
    effective_on = serializers.DateField(help_text="The day the change takes effect.")
    reason = serializers.CharField(max_length=2000)
    source_url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, validators=[web_url]
    )


@extend_schema_field(OpenApiTypes.STR)
class SlugOfPrefetched(serializers.SlugRelatedField):
    """A related object's slug, read from a list the view prefetched (`to_attr`)."""


class LicenceSerializer(serializers.ModelSerializer):
    exporter = PartyRefSerializer(read_only=True)
    kind = LicenceKindField(read_only=True)
    # The lists LicenceViewSet prefetches.
    elements = SlugOfPrefetched(
        many=True, read_only=True, slug_field="symbol", source="element_list"
    )
    hs_codes = SlugOfPrefetched(many=True, read_only=True, slug_field="code", source="hs_code_list")
    expiring = serializers.SerializerMethodField(
        help_text="Issued, valid today and ending within the expiry warning period."
    )
    transitions = LicenceTransitionSerializer(
        many=True, read_only=True, help_text="Its dated changes of status, oldest first."
    )
    parties = LicencePartySerializer(
        many=True,
        read_only=True,
        source="party_list",
        help_text="The consignees and end users it names.",
    )

    class Meta:
        model = Licence
        fields = [
            "id",
            "exporter",
            "kind",
            "number",
            "status",
            "issued_on",
            "valid_from",
            "valid_until",
            "elements",
            "hs_codes",
            "quantity_cap_kg",
            "customer_scope",
            "parties",
            "renews",
            "renewal_status",
            "notes",
            "source_url",
            "expiring",
            "transitions",
            "created_at",
            "updated_at",
        ]

    def get_expiring(self, licence: Licence) -> bool:
        return licence.is_expiring_on(today())


class ApprovalSerializer(serializers.ModelSerializer):
    automaker = PartyRefSerializer(read_only=True)
    exporter = PartyRefSerializer(read_only=True, allow_null=True)
    importer = PartyRefSerializer(read_only=True, allow_null=True)
    licence_kind = LicenceKindField(read_only=True, allow_null=True)
    has_evidence_file = serializers.SerializerMethodField()
    recorded_by = serializers.SlugRelatedField(
        read_only=True, allow_null=True, slug_field="username", help_text="Who recorded it."
    )

    class Meta:
        model = Approval
        # Never the evidence file's URL or storage path: the file is served by a checked page.
        fields = [
            "id",
            "automaker",
            "exporter",
            "importer",
            "licence",
            "licence_kind",
            "status",
            "extent",
            "evidence_grade",
            "claimed_on",
            "statement",
            "source_url",
            "evidence_file_name",
            "has_evidence_file",
            "recorded_by",
            "created_at",
            "updated_at",
        ]

    def get_has_evidence_file(self, approval: Approval) -> bool:
        return bool(approval.evidence_file)


@extend_schema_serializer(component_name="Licence")
class LicenceInputSerializer(serializers.Serializer):
    """A licence as written; the lifecycle and date rules are the service's to enforce."""

    exporter = serializers.PrimaryKeyRelatedField(queryset=Exporter.objects.all())
    kind = LicenceKindField()
    number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Licence.Status.choices, required=False)
    issued_on = serializers.DateField(required=False, allow_null=True)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    elements = CodeField(
        many=True, required=False, slug_field="symbol", queryset=Element.objects.all()
    )
    hs_codes = CodeField(
        many=True, required=False, slug_field="code", queryset=HsCode.objects.all()
    )
    quantity_cap_kg = serializers.DecimalField(
        max_digits=14, decimal_places=3, required=False, allow_null=True
    )
    customer_scope = serializers.CharField(max_length=300, required=False, allow_blank=True)
    parties = LicencePartyInputSerializer(
        many=True, required=False, help_text="The consignees and end users it names."
    )
    renews = serializers.PrimaryKeyRelatedField(
        queryset=Licence.objects.all(),
        required=False,
        allow_null=True,
        help_text="The licence this one renews.",
    )
    renewal_status = serializers.ChoiceField(choices=Licence.RenewalStatus.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    source_url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, validators=[web_url]
    )


@extend_schema_serializer(component_name="Approval")
class ApprovalInputSerializer(serializers.Serializer):
    """An approval as written; the service checks the parties agree and the evidence file."""

    automaker = serializers.PrimaryKeyRelatedField(queryset=Automaker.objects.all())
    exporter = serializers.PrimaryKeyRelatedField(
        queryset=Exporter.objects.all(), required=False, allow_null=True
    )
    importer = serializers.PrimaryKeyRelatedField(
        queryset=Importer.objects.all(), required=False, allow_null=True
    )
    licence = serializers.PrimaryKeyRelatedField(
        queryset=Licence.objects.select_related("exporter"), required=False, allow_null=True
    )
    licence_kind = LicenceKindField(
        required=False, allow_null=True, help_text="The kind claimed when the licence is not known."
    )
    status = serializers.ChoiceField(choices=Approval.Status.choices)
    extent = serializers.ChoiceField(
        choices=Approval.Extent.choices,
        required=False,
        help_text="Whether it covers all the automaker's supply or only some of it.",
    )
    evidence_grade = serializers.ChoiceField(choices=Approval.EvidenceGrade.choices)
    claimed_on = serializers.DateField()
    statement = serializers.CharField()
    source_url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, validators=[web_url]
    )
    evidence_file = serializers.FileField(
        required=False, help_text="A PDF, image or plain-text file (multipart upload)."
    )


class AutomakerQuerySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="The date to derive the status on.")


AUTOMAKER_ORDERINGS = list(AUTOMAKER_SORTS)


class AutomakerListQuerySerializer(AutomakerQuerySerializer):
    status = serializers.ChoiceField(choices=CoverStatus.choices, required=False)
    ordering = serializers.ChoiceField(
        choices=[f"{sign}{key}" for key in AUTOMAKER_ORDERINGS for sign in ("", "-")],
        required=False,
        help_text="Sort key; a leading '-' reverses it. Unknown expiries come last.",
    )


class TimelineQuerySerializer(serializers.Serializer):
    """?from=YYYY-MM-DD&to=YYYY-MM-DD: by default the year to today."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "from": serializers.DateField(required=False, help_text="First day (a year ago)."),
            "to": serializers.DateField(required=False, help_text="Last day (today)."),
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end = attrs.get("to") or today()
        start = attrs.get("from") or end - timedelta(days=365)
        if start > end:
            raise serializers.ValidationError({"from": "Must not be after “to”."})
        if (end - start).days > TIMELINE_MAX_DAYS:
            raise serializers.ValidationError(
                {"to": f"A timeline covers at most {TIMELINE_MAX_DAYS} days; ask for less."}
            )
        return {"from": start, "to": end}


class TimelineEntrySerializer(serializers.Serializer):
    date = serializers.DateField(source="on", help_text="The first day of this status.")
    status = serializers.ChoiceField(choices=CoverStatus.choices)


class WhatIfQuerySerializer(serializers.Serializer):
    licence = serializers.PrimaryKeyRelatedField(queryset=Licence.objects.all())
    event = serializers.ChoiceField(choices=Event.CHOICES)
    on = serializers.DateField(
        required=False, help_text="For a revocation, the day it takes effect (today)."
    )


class ClaimPathSerializer(serializers.Serializer):
    """A claim the cover ran through: automaker ← importer ← exporter ← licence."""

    id = serializers.IntegerField()
    claimed_on = serializers.DateField()
    evidence_grade = serializers.CharField()
    importer = PartyRefSerializer(allow_null=True)
    exporter = PartyRefSerializer(allow_null=True)
    licence = serializers.IntegerField(source="licence_id", allow_null=True)


class WhatIfLossSerializer(serializers.Serializer):
    automaker = PartyRefSerializer()
    status_before = serializers.ChoiceField(choices=CoverStatus.choices)
    status_after = serializers.ChoiceField(choices=CoverStatus.choices)
    date_from = serializers.DateField(source="on", help_text="The first day without cover.")
    through = ClaimPathSerializer(many=True, help_text="The claims whose cover ran through it.")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = fields.pop("date_from")
        return fields


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryRecordSerializer(serializers.Serializer):
    """One saved version; `changes` compares it with the version before (empty when created)."""

    history_id = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    history_user = serializers.CharField(allow_null=True, help_text="Username, if known.")
    history_type = serializers.ChoiceField(
        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")]
    )
    history_type_label = serializers.CharField()
    changes = ChangeSerializer(many=True)


# How a many-to-many field's members are named in the API, as in the output serializers.
M2M_LABELS = {"elements": "symbol", "hs_codes": "code"}


def history_entry(version: Version) -> dict[str, Any]:
    """A saved version as HistoryRecordSerializer shows it."""
    record = version.record
    user = record.history_user
    return {
        "history_id": record.history_id,
        "history_date": record.history_date,
        "history_user": user.username if user is not None else None,
        "history_type": record.history_type,
        "history_type_label": record.get_history_type_display(),
        "changes": [
            {
                "field": change.field,
                "old": _plain(change.field, change.old),
                "new": _plain(change.field, change.new),
            }
            for change in version.changes
        ],
    }


def _plain(field: str, value: Any) -> Any:
    """A value as JSON has it: a related object by its key, many-to-many members by label."""
    if isinstance(value, list):
        return sorted(_label(field, item) for item in value)
    if isinstance(value, Model | DeletedObject):
        return value.pk
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _label(field: str, item: Model | DeletedObject) -> str:
    return str(item.pk) if isinstance(item, DeletedObject) else getattr(item, M2M_LABELS[field])
