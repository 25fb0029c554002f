"""A code's answer for the lookup page and API, and for the pages of an element and of an HS or
commodity code: licensing's controls and the export series that measure it (dashboards may read
both apps; licensing does not read exports)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from exports.models import Series
from exports.selectors import series_measuring
from licensing.controls import Lookup, code_lookup, measures_naming
from licensing.models import ControlItemCode, ControlMeasure, Element, HsCode
from licensing.selectors import normalise_hs_code


@dataclass
class CodeAnswer:
    lookup: Lookup
    series: list[Series]
    # Every measure that names it, whenever announced, by the day it took effect (a thing's page).
    measures_over_time: list[ControlMeasure] = field(default_factory=list)

    @property
    def knows_of_it(self) -> bool:
        """Whether a measure, a control item or a series on record speaks of it."""
        return bool(self.lookup.measures or self.lookup.items or self.series)


class UnknownThing(LookupError):
    """No element has the symbol, or no code on record is the code."""


def code_answer(*, code: str, on: date) -> CodeAnswer:
    """What applies to the code on the day; raises licensing.controls.NotACode."""
    lookup = code_lookup(code=code, on=on)
    return CodeAnswer(lookup, series_measuring(lookup.hs_codes))


def element_answer(*, symbol: str, on: date) -> tuple[Element, CodeAnswer]:
    """An element's page: the lookup of its symbol on the day and every measure naming it;
    raises UnknownThing for a symbol no element has."""
    element = Element.objects.filter(Q(symbol__iexact=symbol) | Q(name__iexact=symbol)).first()
    if element is None:
        raise UnknownThing(symbol)
    answer = code_answer(code=element.symbol, on=on)
    answer.measures_over_time = _over_time(measures_naming(element=element.symbol))
    return element, answer


def hs_code_answer(*, code: str, on: date) -> tuple[HsCode | None, CodeAnswer]:
    """An HS or commodity code's page: the lookup of the code on the day and every measure
    naming it, with the HsCode on record when there is one; raises UnknownThing for a code
    that is no stored HS code and that no measure, control item or series names, on any day."""
    digits = re.sub(r"[\s.]", "", code)
    if not (digits.isdigit() and 4 <= len(digits) <= 10):
        raise UnknownThing(code)
    hs_code = HsCode.objects.filter(code=normalise_hs_code(digits)).first()
    answer = code_answer(code=digits, on=on)
    answer.measures_over_time = _over_time(measures_naming(hs_code=digits))
    itemised = Q(commodity_code__startswith=digits) | Q(hs_subheading__startswith=digits[:6])
    known = hs_code or answer.measures_over_time or answer.series
    if not known and not ControlItemCode.objects.filter(itemised).exists():
        raise UnknownThing(code)
    return hs_code, answer


def _over_time(measures) -> list[ControlMeasure]:
    return list(measures.order_by("effective_from", "reference"))
