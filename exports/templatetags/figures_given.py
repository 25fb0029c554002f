"""Template filters of the imports pages (`{% load figures_given %}`): figures to every decimal
they were given to, where precision is what is being looked at (a preview of an import)."""

from __future__ import annotations

from django import template

from exports.presentation import exactly as exactly_given
from exports.presentation import value_as_given

register = template.Library()


@register.filter
def exactly(number) -> str:
    """5493.900 → "5,493.9"; nothing for no number."""
    return "" if number is None else exactly_given(number)


@register.filter
def value_given(figure) -> str:
    """A figure's value in its own unit, in words: "3.497 CNY 100 million"; "" without one."""
    return value_as_given(figure.value, figure.value_unit)
