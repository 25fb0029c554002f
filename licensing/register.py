"""Writes to the register Compliance keeps: control measures and their items. Every change
names its source (kept in the history) and marks the row as edited in the app, so that the
reference loader never overwrites it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.links import web_url
from licensing.history import as_history_user
from licensing.models import (
    MEASURE_HISTORY,
    ControlItem,
    ControlItemCode,
    ControlMeasure,
    Element,
    HsCode,
)
from licensing.selectors import normalise_hs_code
from licensing.validation import full_clean_naming_fields

MEASURE_FIELDS = {
    "reference",
    "authority",
    "kind",
    "announced_on",
    "effective_from",
    "suspended_from",
    "suspended_until",
    "in_force_until",
    "suspended_by",
    "title",
    "source_url",
}
OUTCOME_FIELDS = {"outcome", "extended_until", "outcome_known_on", "outcome_source_url"}
ITEM_FIELDS = {
    "measure",
    "control_code",
    "form",
    "form_detail",
    "description",
    "confidence",
    "confidence_note",
    "quote",
    "source_url",
}


def _change_source(source_url: str) -> str:
    """The source a change names: a web address, required."""
    source_url = (source_url or "").strip()
    if not source_url:
        raise ValidationError({"change_source_url": ["Say where this change comes from."]})
    try:
        web_url(source_url)
    except ValidationError as error:
        raise ValidationError({"change_source_url": error.messages}) from None
    return source_url


def hs_codes_named(codes: Iterable[str]) -> list[HsCode]:
    """HS codes as written (850511, 8505.11), created when new."""
    found = []
    for code in codes:
        normalised = normalise_hs_code(code)
        if len(normalised.replace(".", "")) not in (4, 6, 8, 10):
            raise ValidationError({"hs_codes": [f"“{code}” is not an HS code, e.g. 8505.11."]})
        found.append(HsCode.objects.get_or_create(code=normalised)[0])
    return found


def _check_outcome(measure: ControlMeasure) -> None:
    if not measure.outcome and not measure.extended_until:
        return
    if measure.suspended_by_id:
        raise ValidationError(
            {
                "outcome": [
                    f"Record what happened on {measure.suspended_by.short_name}, which suspends "
                    "this measure: it holds the outcome for every measure it suspends."
                ]
            }
        )
    ends = measure.pause_ends_on
    if ends is None:
        raise ValidationError({"outcome": ["This measure has no suspension whose end to record."]})
    if measure.extended_until is not None and measure.extended_until <= ends:
        raise ValidationError(
            {"extended_until": [f"An extension runs past the suspension's end ({ends})."]}
        )


def _save(
    measure: ControlMeasure,
    *,
    elements: Iterable[Element] | None,
    hs_codes: Iterable[HsCode] | None,
    source: str,
    user,
) -> None:
    """Save a measure and its codes as one history record naming the change's source."""
    created = measure._state.adding
    measure.edited_at = timezone.now()
    measure.skip_history_when_saving = True
    try:
        measure.save()
        if elements is not None:
            measure.elements.set(elements)
        if hs_codes is not None:
            measure.hs_codes.set(hs_codes)
    finally:
        del measure.skip_history_when_saving
    as_history_user(measure, user)
    measure._change_reason = source
    MEASURE_HISTORY.create_historical_record(measure, "+" if created else "~")


def _store_measure(measure, data: dict[str, Any], *, change_source_url: str, user) -> None:
    data = dict(data)
    elements = data.pop("elements", None)
    hs_codes = data.pop("hs_codes", None)
    unknown = set(data) - MEASURE_FIELDS - OUTCOME_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    source = _change_source(change_source_url)
    for name, value in data.items():
        setattr(measure, name, value)
    full_clean_naming_fields(measure)
    _check_outcome(measure)
    _save(measure, elements=elements, hs_codes=hs_codes, source=source, user=user)


@transaction.atomic
def control_measure_create(*, change_source_url: str, user=None, **data: Any) -> ControlMeasure:
    """Record a measure in the register, with the source of the record."""
    measure = ControlMeasure()
    _store_measure(measure, data, change_source_url=change_source_url, user=user)
    return measure


@transaction.atomic
def control_measure_update(
    *, measure: ControlMeasure, data: dict[str, Any], change_source_url: str, user=None
) -> ControlMeasure:
    """Change a measure (dates, scope, or what happened when its suspension ended), with the
    source of the change."""
    measure = ControlMeasure.objects.select_for_update().get(pk=measure.pk)
    _store_measure(measure, data, change_source_url=change_source_url, user=user)
    return measure


@transaction.atomic
def control_item_save(
    *,
    item: ControlItem | None = None,
    data: dict[str, Any],
    change_source_url: str,
    user=None,
) -> ControlItem:
    """Record or change a control item and the commodity codes it names (`codes`: digits,
    6-digit HS subheadings or 8-/10-digit Chinese codes), with the source of the change."""
    item = item or ControlItem()
    data = dict(data)
    elements = data.pop("elements", None)
    codes = data.pop("codes", None)
    unknown = set(data) - ITEM_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    source = _change_source(change_source_url)
    for name, value in data.items():
        setattr(item, name, value)
    item.edited_at = timezone.now()
    full_clean_naming_fields(item)
    as_history_user(item, user)
    item._change_reason = source
    item.save()
    if elements is not None:
        item.elements.set(elements)
    if codes is not None:
        _codes_set(item, codes, source)
    return item


def _codes_set(item: ControlItem, codes: list[str], source: str) -> None:
    # A Chinese code names its HS subheading too, as the reference rows do.
    wanted = {(code, code[:6]) if len(code) in (8, 10) else ("", code) for code in codes}
    have = {(c.commodity_code, c.hs_subheading): c for c in item.codes.all()}
    for key, code in have.items():
        if key not in wanted:
            code._change_reason = source
            code.delete()
    for commodity, hs6 in wanted - set(have):
        code = ControlItemCode(
            item=item,
            commodity_code=commodity,
            hs_subheading=hs6,
            confidence=item.confidence,
            source_url=item.source_url,
        )
        full_clean_naming_fields(code)
        code._change_reason = source
        code.save()
