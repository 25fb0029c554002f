"""How the imports pages show a figure: its value in its series' one unit (exports.units), its
tonnes to one decimal (core.formatting.tonnes)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.formatting import money_in_words, tonnes
from exports.units import converted, in_words_unit, unit_words


def exactly(number: Decimal | float) -> str:
    """A figure to every decimal it was given, thousands separated, no padding zeros:
    "5,493.873", "5,493.9" (where the precision is the point: a preview, a revision)."""
    return f"{Decimal(str(number)).normalize():,f}"


def value_as_given(value: Decimal | None, unit: str) -> str:
    """A value to every decimal it was given, in words of its unit, its scale in millions
    (exactly: no decimal lost): 3.497 CNY 100M → "CNY 349.7 million", 1234.5 USD 1K → "USD
    1,234.5 thousand"; "" without a value."""
    if value is None:
        return ""
    shown = in_words_unit(unit)
    number = converted(value, unit, shown)
    if number is None:
        return f"{exactly(value)} {unit_words(unit)}"
    return money_in_words(number, unit_words(shown), digits=None)


@dataclass(frozen=True)
class ShownValue:
    amount: Decimal  # 349.7, in `unit`
    unit: str  # in words: "CNY million"

    @property
    def rounded(self) -> Decimal:
        """To three decimals at most, no padding zeros."""
        return self.amount.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize()

    @property
    def number(self) -> str:
        """ "349.7": under a heading that names the unit."""
        return money_in_words(self.rounded, "", digits=None)

    @property
    def words(self) -> str:
        """ "CNY 349.7 million": where nothing else names the unit (the filter `money`)."""
        return money_in_words(self.rounded, self.unit, digits=None)


def value_shown(value: Decimal | None, unit: str, series_unit: str) -> ShownValue | None:
    """A value in its series' unit; in its own when that is another currency (never converted
    into another currency); None when there is no value."""
    if value is None:
        return None
    if series_unit and (number := converted(value, unit, series_unit)) is not None:
        return ShownValue(number, unit_words(series_unit))
    number = converted(value, unit, unit)
    return ShownValue(Decimal(str(value)) if number is None else number, unit_words(unit))


def value_heading(values: Iterable[ShownValue | None]) -> str:
    """The unit every shown value is in, for its column's heading; "" when they differ (each
    cell then names its own) or there is none."""
    units = {value.unit for value in values if value is not None}
    return units.pop() if len(units) == 1 else ""


def records_shown(records: Iterable) -> str:
    """Give each ExportRecord (series selected) its `tonnes_shown`, `tonnes_exactly` (its tonnes
    to every decimal when one decimal hides some: 5,493.873 shown 5,493.9 t) and `value_shown`;
    the unit for the value column's heading (value_heading)."""
    records = list(records)
    for record in records:
        record.tonnes_shown = tonnes(record.tonnes)
        exact = Decimal(str(record.tonnes)).normalize()
        record.tonnes_exactly = exactly(exact) if exact.as_tuple().exponent < -1 else ""
        record.value_shown = value_shown(record.value, record.value_unit, record.series.value_unit)
    return value_heading(record.value_shown for record in records)
