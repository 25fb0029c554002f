"""How figures and dates are written everywhere: tonnes, signed percentages, value units by name,
dates in words."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import filesizeformat

NA = "n/a"
MINUS = "\u2212"

VALUE_UNIT_LABELS = {
    "CNY_100M": "100 million CNY",
    "CNY_10K": "10,000 CNY",
    "USD": "USD",
    "USD_1K": "thousand USD",
    "USD_1M": "million USD",
}


def tonnes(value: Decimal | float | None, *, whole: bool = False) -> str:
    """4392.1 → "4,392.1 t", 4446 → "4,446 t"; `whole` rounds to the tonne (62,585 t)."""
    if value is None:
        return NA
    step = Decimal("1") if whole else Decimal("0.1")
    rounded = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    return f"{text.removesuffix('.0')} t"


def percent_number(value: float | None) -> float | None:
    """The percentage as shown, as a number (for a CSV download): one decimal, half up."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percent(value: float | None) -> str:
    """Signed, one decimal, a real minus sign: +26.5%, −20.1%."""
    if value is None:
        return NA
    rounded = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:+f}%".replace("-", MINUS)


def value_unit_label(unit: str) -> str:
    """ "CNY_100M" → "100 million CNY"; an unknown unit as it is."""
    return VALUE_UNIT_LABELS.get(unit, unit)


def day_in_words(value: date) -> str:
    """A date in words, as messages, e-mails and chart notes give it: 10 November 2026."""
    return f"{value.day} {value:%B %Y}"


def sizes_compared(size: int, limit: int) -> tuple[str, str]:
    """A size and its limit in words that never read the same when they differ: in bytes when
    rounding would make them equal ("100.0 MB" both)."""
    shown, limit_shown = filesizeformat(size), filesizeformat(limit)
    if size != limit and shown == limit_shown:
        return f"{size:,} bytes", f"{limit:,} bytes"
    return shown, limit_shown
