"""How figures and dates are written everywhere: tonnes, values in words of their unit, signed
percentages, periods, days and expiries in words (the units themselves: exports.units).

The template filters of core/templatetags/raregate.py call these; so do the charts' hovers."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import filesizeformat

from core.periods import period_name

NA = "n/a"
MINUS = "\u2212"


def tonnes(value: Decimal | float | None) -> str:
    """Tonnes to one decimal everywhere, thousands separated: 4392.06 → "4,392.1 t", 4446 →
    "4,446.0 t"."""
    if value is None:
        return NA
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:,f} t"


def money_in_words(value: Decimal | float | None, words: str, *, digits: int | None = 1) -> str:
    """A value in words of its unit ("CNY million", "USD thousand", "USD"): 349.7 →
    "CNY 349.7 million", 1234.5 in "USD thousand" → "USD 1,234.5 thousand". `digits` decimals,
    or with digits=None every decimal it has up to three, no padding zeros (3.5 → "CNY 3.5
    million", 1234.567 → "CNY 1,234.567 million")."""
    if value is None:
        return NA
    currency, _, scale = words.partition(" ")
    number = Decimal(str(value))
    if digits is None:
        number = number.normalize()
        # normalize() makes 100 1E+2; quantized to units it is written 100 again.
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
        shown = f"{number:,f}"
    else:
        shown = f"{number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP):,f}"
    return " ".join(part for part in (currency, shown, scale) if part)


def day_short(value: date) -> str:
    """A day as every page and input writes it: 1 Dec 2026."""
    return f"{value.day} {value:%b %Y}"


def period_in_words(start: date, end: date | None = None) -> str:
    """A month or span of months as every page writes it: "Nov 2025", "Jan–Feb 2026" (CSV
    files keep RareGate's notation, "2025-11", core.periods.period_label)."""
    return period_name(start, end or start, short=True)


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
