"""What is controlled on a day: the measures with their states, and the lookup of a code (a
commodity or HS code, a control code, an element) to its items, measures and licences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from licensing.models import ControlItem, ControlItemCode, ControlMeasure, Element, Licence
from licensing.selectors import hs_code_matches, licence_valid_on, normalise_hs_code
from licensing.states import MeasureOn, State, states_on

MEASURES = ControlMeasure.objects.select_related("suspended_by").prefetch_related(
    "elements", "hs_codes"
)


def measures_naming(
    *, element: str | None = None, hs_code: str | None = None
) -> QuerySet[ControlMeasure]:
    """The measures; with `element` (a symbol) or `hs_code`, only those that name it (codes by
    hierarchy, both ways)."""
    measures = MEASURES.all()
    if element:
        measures = measures.filter(elements__symbol__iexact=element)
    if hs_code:
        measures = measures.filter(hs_code_matches(hs_code, "hs_codes__code"))
    return measures.distinct()


def measures_on(
    *, on: date, element: str | None = None, hs_code: str | None = None
) -> list[MeasureOn]:
    """The measures announced by the day and naming what is asked (measures_naming), with their
    state that day."""
    return states_on(measures_naming(element=element, hs_code=hs_code), on)


def measures_in_force(
    *, on: date, element: str | None = None, hs_code: str | None = None
) -> list[ControlMeasure]:
    """The measures in force on the day (not announced-only, suspended, awaiting confirmation,
    extended or ended)."""
    pairs = measures_on(on=on, element=element, hs_code=hs_code)
    return [measure for measure, state in pairs if state.state == State.IN_FORCE]


# 1C902, 1C902.a, 2B902.g.1, 1E902.b: a category digit, a group letter, three digits.
CONTROL_CODE = re.compile(r"^\d[A-E]\d{3}(\.[0-9a-z/.]+)?$", re.IGNORECASE)
# What an item without a code of its own is, in customs' headings: a measure that names the
# heading applies to its items of that form (shown as matched by form, not by code).
FORM_HEADINGS = {
    ControlItem.Form.MAGNET: "8505",
    ControlItem.Form.METAL: "2805",
    ControlItem.Form.OXIDE: "2846",
    ControlItem.Form.COMPOUND: "2846",
}


class NotACode(ValueError):
    """The text is none of the codes the lookup takes."""


@dataclass
class ItemMatch:
    item: ControlItem
    by: str  # "code", "form", "control code" or "element"


@dataclass
class Lookup:
    code: str
    kind: str  # "hs", "control code" or "element"
    on: date
    hs6: str | None = None
    digits: str = ""
    items: list[ItemMatch] = field(default_factory=list)
    measures: list[MeasureOn] = field(default_factory=list)
    licences: list[Licence] = field(default_factory=list)
    licences_count: int = 0
    # The HS codes it comes to, for the export series that measure it.
    hs_codes: set[str] = field(default_factory=set)


ITEMS = ControlItem.objects.select_related("measure").prefetch_related(
    "elements", Prefetch("codes", queryset=ControlItemCode.objects.order_by("commodity_code"))
)


def _digit_matches(digits: str, field_name: str, length: int) -> Q:
    """Stored digit codes of `length` digits at most in hierarchy with `digits`, both ways."""
    broader = [digits[:size] for size in range(2, min(len(digits), length) + 1)]
    return Q(**{f"{field_name}__in": broader}) | Q(**{f"{field_name}__startswith": digits})


def _element(text: str) -> Element | None:
    return Element.objects.filter(Q(symbol__iexact=text) | Q(name__iexact=text)).first()


def code_lookup(*, code: str, on: date) -> Lookup:
    """What applies to a code on a day. Raises NotACode for text that is no code."""
    text = code.strip()
    digits = re.sub(r"[\s.]", "", text)
    if digits.isdigit() and 4 <= len(digits) <= 10:
        return _hs_lookup(text, digits, on)
    if CONTROL_CODE.match(text):
        items = ITEMS.filter(Q(control_code__iexact=text) | Q(control_code__istartswith=f"{text}."))
        return _answer(Lookup(text, "control code", on), items, "control code")
    element = _element(text)
    if element is not None:
        lookup = Lookup(text, "element", on)
        lookup.measures = states_on(MEASURES.filter(elements=element), on)
        answer = _answer(lookup, ITEMS.filter(elements=element), "element")
        _set_licences(answer, Q(elements=element))
        return answer
    raise NotACode(
        f"“{text[:40]}” is not a code: give a 4- to 10-digit commodity or HS code "
        "(8505111000, 8505.11), a control code (1C902) or an element (Dy, dysprosium)."
    )


def _hs_lookup(text: str, digits: str, on: date) -> Lookup:
    lookup = Lookup(text, "hs", on, digits=digits)
    lookup.hs6 = normalise_hs_code(digits[:6]) if len(digits) >= 6 else None
    codes = ControlItemCode.objects.filter(
        _digit_matches(digits, "commodity_code", 10) | _digit_matches(digits, "hs_subheading", 6)
    )
    by_code = ITEMS.filter(codes__in=codes).distinct()
    lookup.measures = measures_on(on=on, hs_code=digits)
    lookup.items = [ItemMatch(item, "code") for item in by_code]
    named = {match.item.pk for match in lookup.items}
    # Items with no code of their own, of the form the heading holds, of measures that name it.
    forms = [form for form, heading in FORM_HEADINGS.items() if digits.startswith(heading)]
    measure_ids = [measure.pk for measure, _ in lookup.measures]
    by_form = ITEMS.filter(measure__in=measure_ids, form__in=forms, codes__isnull=True)
    lookup.items += [ItemMatch(item, "form") for item in by_form if item.pk not in named]
    _add_measures_of_items(lookup)
    _set_licences(lookup, hs_code_matches(digits, "hs_codes__code"))
    lookup.hs_codes = {normalise_hs_code(digits)}
    return lookup


def _answer(lookup: Lookup, items, by: str) -> Lookup:
    lookup.items = [ItemMatch(item, by) for item in items]
    _add_measures_of_items(lookup)
    if lookup.kind == "control code":
        elements = {element.pk for match in lookup.items for element in match.item.elements.all()}
        if elements:
            _set_licences(lookup, Q(elements__in=elements))
    lookup.hs_codes = {
        code.code for measure, _ in lookup.measures for code in measure.hs_codes.all()
    } | {
        normalise_hs_code(code.hs_subheading or code.commodity_code[:6])
        for match in lookup.items
        for code in match.item.codes.all()
    }
    return lookup


def _add_measures_of_items(lookup: Lookup) -> None:
    """The measures of the items found join those found; items of a measure not yet announced
    on the day drop out."""
    known = {measure.pk for measure, _ in lookup.measures}
    missing = {match.item.measure_id for match in lookup.items} - known
    if missing:
        lookup.measures += states_on(MEASURES.filter(pk__in=missing), lookup.on)
    lookup.measures.sort(key=lambda pair: (pair.measure.effective_from, pair.measure.reference))
    announced = {measure.pk for measure, _ in lookup.measures}
    lookup.items = [match for match in lookup.items if match.item.measure_id in announced]


# The licences shown, soonest to end first; the lookup says how many there are in all.
LICENCES_SHOWN = 50


def _set_licences(lookup: Lookup, condition: Q) -> None:
    """The licences valid on the day that cover it."""
    licences = Licence.objects.filter(
        pk__in=Licence.objects.filter(licence_valid_on(lookup.on)).filter(condition).values("pk")
    )
    lookup.licences_count = licences.count()
    if lookup.licences_count:
        lookup.licences = list(
            licences.select_related("exporter").order_by("valid_until", "id")[:LICENCES_SHOWN]
        )
