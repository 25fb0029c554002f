"""Value units: each figure is stored in the unit its source published (CNY 100M, CNY 10K, USD,
USD 1K, USD 1M) and shown in its series' one unit of the same currency (CNY million, USD
thousand). Scales convert; currencies never convert into each other."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Unit:
    code: str
    currency: str
    factor: int  # how many of the currency one of the unit is
    words: str


UNITS = {
    unit.code: unit
    for unit in (
        Unit("CNY_100M", "CNY", 100_000_000, "CNY 100 million"),
        Unit("CNY_1M", "CNY", 1_000_000, "CNY million"),
        Unit("CNY_10K", "CNY", 10_000, "CNY 10,000"),
        Unit("USD", "USD", 1, "USD"),
        Unit("USD_1K", "USD", 1_000, "USD thousand"),
        Unit("USD_1M", "USD", 1_000_000, "USD million"),
    )
}
# The units a file may give its values in, as published; CNY million is a unit of display.
STORED = ("CNY_100M", "CNY_10K", "USD", "USD_1K", "USD_1M")
FACTORS = {code: UNITS[code].factor for code in STORED}


def unit_words(code: str) -> str:
    """ "CNY_100M" → "CNY 100 million"; an unknown unit as it is."""
    unit = UNITS.get(code)
    return unit.words if unit else code


# The unit a value given in each unit is written in, in words, when nothing else fixes one (a
# preview): "CNY 100 million" and "CNY 10,000" read badly before a number ("3.497 CNY 100 million").
IN_WORDS = {"CNY_100M": "CNY_1M", "CNY_10K": "CNY_1M"}


def in_words_unit(code: str) -> str:
    """The unit to write a value given in `code` in: CNY_100M → CNY_1M; USD_1K as it is."""
    return IN_WORDS.get(code, code)


def converted(value: Decimal | float | None, unit: str, to: str) -> Decimal | None:
    """The value in another unit of the same currency (exactly: a change of scale), or None when
    there is no value or the currencies differ."""
    if value is None or unit not in UNITS or to not in UNITS:
        return None
    source, target = UNITS[unit], UNITS[to]
    if source.currency != target.currency:
        return None
    return Decimal(str(value)) * source.factor / target.factor


def amount(value: Decimal | float | None, unit: str, to: str) -> str:
    """The value as a number in `to`, thousands separated, no trailing zeros (3.497 CNY_100M →
    "349.7" in CNY million); empty when it cannot be shown in `to`."""
    shown = converted(value, unit, to)
    if shown is None:
        return ""
    shown = shown.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize()
    return f"{shown:,f}"
