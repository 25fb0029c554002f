"""The register's API: control measures with their state on a day (Compliance records and edits
them, with a source for every change), their items, the entity lists and screening."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.permissions import may
from licensing import register
from licensing.api.views import (
    HistoryMixin,
    ReadOnlyViewSet,
    WriteMixin,
    read_schema,
    today,
    write_schema,
)
from licensing.de_minimis import de_minimis_check
from licensing.filters import ControlMeasureFilter, EntityListEntryFilter
from licensing.models import (
    Confidence,
    ControlItem,
    ControlItemCode,
    ControlMeasure,
    Element,
    EntityListEntry,
)
from licensing.screening import entity_list_entry_save, name_screen
from licensing.states import State, state_on

STATES = State.values


class ControlMeasureSerializer(serializers.ModelSerializer):
    elements = serializers.SlugRelatedField(many=True, read_only=True, slug_field="symbol")
    hs_codes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    suspended_by = serializers.SlugRelatedField(
        read_only=True, slug_field="reference", allow_null=True
    )
    state = serializers.SerializerMethodField(
        help_text=f"Its state on `on` (today if left out): one of {', '.join(STATES)}."
    )
    state_label = serializers.SerializerMethodField()
    state_until = serializers.SerializerMethodField(
        help_text="The last day of that state, where known (suspended until, extended to)."
    )

    class Meta:
        model = ControlMeasure
        fields = [
            "id",
            "reference",
            "authority",
            "kind",
            "announced_on",
            "effective_from",
            "suspended_from",
            "suspended_until",
            "in_force_until",
            "suspended_by",
            "outcome",
            "extended_until",
            "outcome_known_on",
            "outcome_source_url",
            "elements",
            "hs_codes",
            "title",
            "source_url",
            "state",
            "state_label",
            "state_until",
            "edited_at",
        ]

    def _state(self, measure: ControlMeasure):
        return state_on(measure, self.context.get("on") or today())

    def get_state(self, measure: ControlMeasure) -> str | None:
        state = self._state(measure)
        return state.state.value if state else None

    def get_state_label(self, measure: ControlMeasure) -> str | None:
        state = self._state(measure)
        return state.label if state else None

    def get_state_until(self, measure: ControlMeasure) -> date | None:
        state = self._state(measure)
        return state.until if state else None


class ControlMeasureInputSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=200)
    authority = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=ControlMeasure.Kind.choices)
    announced_on = serializers.DateField()
    effective_from = serializers.DateField()
    suspended_from = serializers.DateField(required=False, allow_null=True)
    suspended_until = serializers.DateField(required=False, allow_null=True)
    in_force_until = serializers.DateField(required=False, allow_null=True)
    suspended_by = serializers.PrimaryKeyRelatedField(
        queryset=ControlMeasure.objects.all(), required=False, allow_null=True
    )
    outcome = serializers.ChoiceField(
        choices=ControlMeasure.Outcome.choices,
        required=False,
        allow_blank=True,
        help_text="What happened when the suspension ended: lapsed, extended or ended.",
    )
    extended_until = serializers.DateField(required=False, allow_null=True)
    outcome_known_on = serializers.DateField(required=False, allow_null=True)
    outcome_source_url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    elements = serializers.SlugRelatedField(
        many=True, slug_field="symbol", queryset=Element.objects.all(), required=False
    )
    hs_codes = serializers.ListField(
        child=serializers.CharField(max_length=12), required=False, max_length=50
    )
    title = serializers.CharField(max_length=5000)
    source_url = serializers.CharField(max_length=500)
    change_source_url = serializers.CharField(
        max_length=500, write_only=True, help_text="Where this change comes from (required)."
    )


def _on(request: Request) -> date | None:
    field = serializers.DateField()
    value = request.query_params.get("on")
    return field.to_internal_value(value) if value else None


@extend_schema_view(
    list=extend_schema(
        summary="List control measures, each with its state on a day",
        parameters=[
            OpenApiParameter(
                "on",
                OpenApiTypes.DATE,
                description="The day whose `state` each measure shows (today if left out); "
                "measures announced later are left out.",
            ),
            OpenApiParameter(
                "in_force_on",
                OpenApiTypes.DATE,
                description="Only the measures in force on this date. Combines with `element` "
                "and `hs_code`.",
            ),
        ],
    ),
    retrieve=extend_schema(summary="One control measure, with its state on `on`"),
    **write_schema("a control measure", ControlMeasureInputSerializer, ControlMeasureSerializer),
)
class ControlMeasureViewSet(HistoryMixin, WriteMixin, ReadOnlyViewSet):
    """Announcements: what they control, from when, any suspension window, what happened when
    it ended, and each one's state on a day."""

    queryset = ControlMeasure.objects.select_related("suspended_by").prefetch_related(
        "elements", "hs_codes"
    )
    serializer_class = ControlMeasureSerializer
    input_serializer_class = ControlMeasureInputSerializer
    filterset_class = ControlMeasureFilter
    ordering_fields = ["effective_from", "announced_on", "reference"]

    def get_queryset(self):
        on = _on(self.request)
        queryset = super().get_queryset()
        return queryset.filter(announced_on__lte=on) if on else queryset

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "on": _on(self.request)}

    def _data(self, request: Request, *, partial: bool = False) -> tuple[dict, str]:
        data = self._input(request, partial=partial)
        source = data.pop("change_source_url", "")
        if "hs_codes" in data:
            data["hs_codes"] = register.hs_codes_named(data["hs_codes"])
        return data, source

    def create(self, request: Request) -> Response:
        data, source = self._data(request)
        measure = register.control_measure_create(
            **data, change_source_url=source, user=request.user
        )
        return self._output(measure, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        measure = self.get_object()
        data, source = self._data(request, partial=partial)
        register.control_measure_update(
            measure=measure, data=data, change_source_url=source, user=request.user
        )
        return self._output(measure)


class ControlItemCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ControlItemCode
        fields = ["commodity_code", "hs_subheading", "confidence", "confidence_note", "source_url"]


class ControlItemSerializer(serializers.ModelSerializer):
    measure = serializers.SlugRelatedField(read_only=True, slug_field="reference")
    elements = serializers.SlugRelatedField(many=True, read_only=True, slug_field="symbol")
    codes = ControlItemCodeSerializer(many=True, read_only=True)

    class Meta:
        model = ControlItem
        fields = [
            "id",
            "measure",
            "control_code",
            "elements",
            "form",
            "form_detail",
            "description",
            "confidence",
            "confidence_note",
            "codes",
            "quote",
            "source_url",
        ]


@extend_schema_view(**read_schema("control item", "control items"))
class ControlItemViewSet(HistoryMixin, ReadOnlyViewSet):
    """What the measures control, item by item, with the commodity codes each names; an item
    or code that is not confirmed says so in `confidence`."""

    queryset = ControlItem.objects.select_related("measure").prefetch_related(
        "elements", Prefetch("codes", ControlItemCode.objects.order_by("commodity_code"))
    )
    serializer_class = ControlItemSerializer
    filterset_fields = ["measure", "form", "confidence"]
    ordering_fields = ["control_code"]


class EntityListEntrySerializer(serializers.ModelSerializer):
    measure = serializers.SlugRelatedField(read_only=True, slug_field="reference", allow_null=True)
    aliases = serializers.SerializerMethodField()

    class Meta:
        model = EntityListEntry
        fields = [
            "id",
            "list",
            "announcement",
            "measure",
            "listed_on",
            "delisted_on",
            "measures_suspended_until",
            "name_en",
            "name_zh",
            "aliases",
            "country",
            "country_code",
            "confidence",
            "confidence_note",
            "source_url",
            "note",
        ]

    def get_aliases(self, entry: EntityListEntry) -> list[str]:
        return [alias.strip() for alias in entry.aliases.splitlines() if alias.strip()]


class EntityListEntryInputSerializer(serializers.Serializer):
    list = serializers.ChoiceField(choices=EntityListEntry.List.choices)
    announcement = serializers.CharField(max_length=200)
    listed_on = serializers.DateField()
    delisted_on = serializers.DateField(required=False, allow_null=True)
    measures_suspended_until = serializers.DateField(required=False, allow_null=True)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    name_zh = serializers.CharField(max_length=300, required=False, allow_blank=True)
    aliases = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    country = serializers.CharField(max_length=120, required=False, allow_blank=True)
    source_url = serializers.CharField(max_length=1000)
    quote = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    confidence = serializers.ChoiceField(choices=Confidence.choices)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


@extend_schema_view(
    **read_schema("entity list entry", "the entries of MOFCOM's entity lists"),
    **write_schema(
        "an entity list entry", EntityListEntryInputSerializer, EntityListEntrySerializer
    ),
)
class EntityListEntryViewSet(HistoryMixin, WriteMixin, ReadOnlyViewSet):
    """MOFCOM's export-control control list, watch list and unreliable entity list; every party
    is screened again against an entry Compliance records or changes."""

    queryset = EntityListEntry.objects.select_related("measure")
    serializer_class = EntityListEntrySerializer
    input_serializer_class = EntityListEntryInputSerializer
    filterset_class = EntityListEntryFilter
    ordering_fields = ["listed_on", "name_en"]

    def create(self, request: Request) -> Response:
        entry = entity_list_entry_save(data=self._input(request), user=request.user)
        return self._output(entry, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        entry = self.get_object()
        data = self._input(request, partial=partial)
        entity_list_entry_save(entry=entry, data=data, user=request.user)
        return self._output(entry)


class ScreeningInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    country = serializers.CharField(
        max_length=3, required=False, allow_blank=True, help_text="ISO 3166-1 alpha-3, if known."
    )


class ScreeningMatchSerializer(serializers.Serializer):
    list = serializers.CharField(source="entry.list")
    entry = EntityListEntrySerializer()
    matched_name = serializers.CharField(source="name")
    score = serializers.FloatField(help_text="0-100; possible matches score 88 or more.")
    country_differs = serializers.BooleanField()


class ScreeningResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    matches = ScreeningMatchSerializer(many=True)


class ScreeningView(GenericAPIView):
    """Screen a name against every entry of the lists; nothing is stored."""

    # A POST that stores nothing: reading the lists is enough.
    permission_classes = [may("licensing.view_entitylistentry")]
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        summary="Screen a name against MOFCOM's entity lists",
        request=ScreeningInputSerializer,
        responses=ScreeningResultSerializer,
    )
    def post(self, request: Request) -> Response:
        query = ScreeningInputSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        name = query.validated_data["name"]
        matches = name_screen(name=name, country=query.validated_data.get("country", ""))
        return Response(ScreeningResultSerializer({"name": name, "matches": matches}).data)


class DeMinimisQuerySerializer(serializers.Serializer):
    item_value = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=Decimal("0.01"), help_text="In one currency."
    )
    content_value = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text="Its Chinese-origin controlled rare-earth content, in the same currency.",
    )
    chinese_technology = serializers.BooleanField(default=False)
    on = serializers.DateField(required=False)

    def validate(self, data):
        if data["content_value"] > data["item_value"]:
            raise serializers.ValidationError(
                {"content_value": ["The content cannot be worth more than the item."]}
            )
        return data


class DeMinimisSerializer(serializers.Serializer):
    on = serializers.DateField()
    share_percent = serializers.DecimalField(max_digits=9, decimal_places=3)
    over_threshold = serializers.BooleanField()
    chinese_technology = serializers.BooleanField()
    needs_licence = serializers.BooleanField(
        allow_null=True, help_text="null when nobody knows (No. 61 awaiting confirmation)."
    )
    measure = serializers.CharField(source="measure.reference", allow_null=True)
    state = serializers.CharField(source="state.state.value", allow_null=True)
    state_label = serializers.CharField(source="state.label", allow_null=True)
    verdict = serializers.CharField()


class DeMinimisView(GenericAPIView):
    """Announcement No. 61's 0.1 % rule for a foreign-made item on a day."""

    queryset = ControlMeasure.objects.none()  # for the permission: reading control measures
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        summary="Does a foreign-made item need a MOFCOM licence under No. 61 on a day?",
        parameters=[DeMinimisQuerySerializer],
        responses=DeMinimisSerializer,
    )
    def get(self, request: Request) -> Response:
        query = DeMinimisQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        answer = de_minimis_check(
            item_value=data["item_value"],
            content_value=data["content_value"],
            chinese_technology=data["chinese_technology"],
            on=data.get("on") or today(),
        )
        return Response(DeMinimisSerializer(answer).data)
