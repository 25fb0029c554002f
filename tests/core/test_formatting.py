"""Figures and dates as every page writes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.formatting import (
    day_in_words,
    expiry_in_words,
    percent,
    percent_number,
    tonnes,
)
from core.templatetags.raregate import tonnes_from_kg


def test_tonnes_have_thousands_and_one_decimal_or_none():
    assert tonnes(Decimal("4392.06")) == "4,392.1 t"
    assert tonnes(4446) == "4,446.0 t"
    assert tonnes(62584.6) == "62,584.6 t"
    assert tonnes(None) == "n/a"


def test_percentages_are_signed_with_a_real_minus_and_round_half_up():
    assert percent(26.5) == "+26.5%"
    assert percent(-20.14) == "\u221220.1%"
    assert percent(0.25) == "+0.3%"
    assert percent(None) == "n/a"
    assert percent_number(0.25) == 0.3
    assert percent_number(None) is None


def test_dates_in_words():
    assert day_in_words(date(2026, 11, 10)) == "10 November 2026"


def test_an_expiry_in_words_never_says_in_0_days():
    assert expiry_in_words(5) == "expires in 5 days"
    assert expiry_in_words(1) == "expires tomorrow"
    assert expiry_in_words(0) == "expires today"
    assert expiry_in_words(-1) == "expired yesterday"
    assert expiry_in_words(-3) == "expired 3 days ago"


def test_a_cap_kept_in_kg_is_shown_in_tonnes_and_never_rounded_away():
    assert tonnes_from_kg(2500) == "2.5 t"
    assert tonnes_from_kg(Decimal("1234")) == "1.2 t (1,234 kg)"
    assert tonnes_from_kg(12) == "0.0 t (12 kg)"
    assert tonnes_from_kg(None) == "—"
