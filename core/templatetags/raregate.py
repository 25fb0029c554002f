"""Template filters of every app's pages (`{% load raregate %}`): dates as <time> elements, day
counts and expiries in words, periods ("Nov 2025"), quantities in tonnes, values in words of their
unit ("CNY 349.7 million"). Each writes through core.formatting, the one place of each rule."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.formatting import day_short, expiry_in_words, money_in_words, period_in_words, tonnes
from core.links import is_web_link

register = template.Library()

NONE = "—"


@register.filter
def day(value: date | None) -> SafeString | str:
    """A date as <time>, e.g. 1 Dec 2026; a dash when there is none."""
    if not value:
        return NONE
    # Formatted by hand: the pages are in English, and a list formats hundreds of dates.
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), day_short(value))


@register.filter
def moment(value: datetime | None) -> SafeString | str:
    """A timestamp as <time> in the local time zone, e.g. 26 Nov 2026, 14:05."""
    if not value:
        return NONE
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>', local.isoformat(), f"{local.day} {local:%b %Y, %H:%M}"
    )


@register.filter
def web_link(url: str | None) -> str:
    """The URL when it is an http(s) link, else "": a stored link is shown only as that, whatever
    wrote it (javascript: and data: URLs are never rendered as links)."""
    url = (url or "").strip()
    return url if is_web_link(url) else ""


@register.filter
def days(value: int | None) -> str:
    """A count of days in words: "1 day", "5 days"."""
    if value is None:
        return NONE
    return f"{value} day" if value == 1 else f"{value} days"


@register.filter
def expiry(days_left: int | None) -> str:
    """days_left (negative once past) in words: "expires today", "expired 3 days ago"."""
    return NONE if days_left is None else expiry_in_words(days_left)


@register.filter
def tonnes_from_kg(kilograms) -> str:
    """A quantity kept in kg, shown as every figure is: tonnes to one decimal (2500 → "2.5 t"),
    with the kilograms beside when one decimal would round them (1234 → "1.2 t (1,234 kg)")."""
    if kilograms is None or kilograms == "":
        return NONE
    kg = Decimal(str(kilograms))
    shown = tonnes(kg / 1000)
    return shown if kg % 100 == 0 else f"{shown} ({kg.normalize():,f} kg)"


@register.filter
def period(value: Any) -> str:
    """A month or period in words: "Nov 2025", "Jan–Feb 2026". Takes anything with
    period_start and period_end (a record, a summary), a (start, end) pair or a month's first
    day; a dash for nothing."""
    if not value:
        return NONE
    if isinstance(value, date):
        return period_in_words(value)
    if isinstance(value, tuple | list):
        return period_in_words(*value)
    return period_in_words(value.period_start, value.period_end)


@register.filter
def money(value: Any, words: str = "") -> str:
    """A value in words of its unit: `{{ 349.7|money:"CNY million" }}` → "CNY 349.7 million";
    a shown value (exports.presentation.ShownValue: an amount and its unit's words) needs no
    argument (to three decimals). Every decimal it has, no padding zeros; a dash for no value."""
    if value is None or value == "":
        return NONE
    if hasattr(value, "words"):
        return value.words
    return money_in_words(value, words, digits=None)
