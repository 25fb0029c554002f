"""GET /api/v1/controls/lookup/: what applies to a code on a day, and the series that measure it."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from dashboards.lookup import CodeAnswer, code_answer
from licensing.controls import NotACode
from licensing.models import ControlMeasure
from licensing.states import State


class LookupQuerySerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=40,
        help_text="A 4- to 10-digit commodity or HS code, with or without dots (8505111000, "
        "8505.11), a control code (1C902) or an element (Dy, dysprosium).",
    )
    on = serializers.DateField(required=False, help_text="The day (YYYY-MM-DD); today if left out.")


class ItemCodeSerializer(serializers.Serializer):
    commodity_code = serializers.CharField()
    hs_subheading = serializers.CharField()
    confidence = serializers.CharField()
    source_url = serializers.CharField()


class LookupItemSerializer(serializers.Serializer):
    control_code = serializers.CharField(source="item.control_code")
    elements = serializers.SerializerMethodField()
    form = serializers.CharField(source="item.form")
    form_detail = serializers.CharField(source="item.form_detail")
    confidence = serializers.CharField(
        source="item.confidence",
        help_text="confirmed, unconfirmed or inferred: never fact unless confirmed.",
    )
    matched_by = serializers.CharField(
        source="by", help_text="code, form (the item names no code), control code or element."
    )
    measure = serializers.CharField(source="item.measure.reference")
    codes = ItemCodeSerializer(source="item.codes.all", many=True)
    source_url = serializers.CharField(source="item.source_url")

    def get_elements(self, match) -> list[str]:
        return [element.symbol for element in match.item.elements.all()]


class LookupMeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="measure.pk")
    reference = serializers.CharField(source="measure.reference")
    state = serializers.ChoiceField(
        source="state.state",
        choices=State.values,
    )
    state_label = serializers.CharField(source="state.label")
    since = serializers.DateField(source="state.since", allow_null=True)
    until = serializers.DateField(source="state.until", allow_null=True)
    source_url = serializers.CharField(source="measure.source_url")


class LookupLicenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    exporter = serializers.CharField(source="exporter.name")
    kind = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)


class LookupSeriesSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    hs_codes = serializers.CharField()


class LookupSerializer(serializers.Serializer):
    code = serializers.CharField(source="lookup.code")
    on = serializers.DateField(source="lookup.on")
    kind = serializers.CharField(source="lookup.kind", help_text="hs, control code or element.")
    hs6 = serializers.CharField(source="lookup.hs6", allow_null=True)
    items = LookupItemSerializer(source="lookup.items", many=True)
    measures = LookupMeasureSerializer(source="lookup.measures", many=True)
    licences = LookupLicenceSerializer(source="lookup.licences", many=True)
    licences_count = serializers.IntegerField(
        source="lookup.licences_count", help_text="All the licences that cover it that day."
    )
    series = LookupSeriesSerializer(many=True)


class ControlLookupView(GenericAPIView):
    """The control items and measures that apply to a code on a day (each measure with its state
    that day), the licences on record that cover it, and the export series that measure it."""

    queryset = ControlMeasure.objects.none()  # for the permission: reading control measures
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        summary="Look up a commodity, HS or control code, or an element, on a day",
        parameters=[LookupQuerySerializer],
        responses=LookupSerializer,
    )
    def get(self, request: Request) -> Response:
        query = LookupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        on = query.validated_data.get("on") or timezone.localdate()
        try:
            answer: CodeAnswer = code_answer(code=query.validated_data["code"], on=on)
        except NotACode as error:
            raise serializers.ValidationError({"code": [str(error)]}) from None
        return Response(LookupSerializer(answer).data)
