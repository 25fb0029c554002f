"""How figures and dates are written everywhere: tonnes, signed percentages, dates in words
(value units: exports.units)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import filesizeformat

NA = "n/a"
MINUS = "\u2212"


def tonnes(value: Decimal | float | None) -> str:
    """Tonnes to one decimal everywhere, thousands separated: 4392.06 → "4,392.1 t", 4446 →
    "4,446.0 t"."""
    if value is None:
        return NA
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:,f} t"


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


def expiry_in_words(days_left: int) -> str:
    """When something valid until a day ends, from today: "expires in 5 days", "expires
    tomorrow", "expires today", "expired yesterday", "expired 3 days ago"."""
    if days_left > 1:
        return f"expires in {days_left:,} days"
    if days_left == 1:
        return "expires tomorrow"
    if days_left == 0:
        return "expires today"
    if days_left == -1:
        return "expired yesterday"
    return f"expired {-days_left:,} days ago"


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
