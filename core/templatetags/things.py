"""Links to the pages of the things a page names: an element's and an HS code's pages live in
dashboards; they are reversed by name, so that no lower app imports it."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.filter
def element_url(element: Any) -> str:
    """The page of an element (an Element or its symbol): /elements/Dy/."""
    symbol = getattr(element, "symbol", element)
    try:
        return reverse("dashboards:element-detail", args=[symbol]) if symbol else ""
    except NoReverseMatch:
        return ""


@register.filter
def code_url(code: Any) -> str:
    """The page of an HS or commodity code (an HsCode or its text): /codes/8505.11/."""
    text = str(getattr(code, "code", code) or "").strip()
    try:
        return reverse("dashboards:code-detail", args=[text]) if text else ""
    except NoReverseMatch:
        return ""
